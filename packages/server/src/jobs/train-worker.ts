// A training thread: rebuilds the frame from transferred buffers, trains with the engine, replies with the artifact.

import { parentPort } from 'node:worker_threads';
import {
  EngineError,
  Frame,
  LONG_SPINS,
  trainForestModel,
  trainGbdtModel,
  trainGlmModel,
  type ForestParams,
  type GbdtParams,
  type GlmParams,
  type TrainResult,
  type TreeTrainOptions,
} from '@modelyard/engine';
import type { AlgorithmName, ParamValues } from '../tracking/algorithms.js';
import { HistogramThreads } from './histogram-threads.js';
import type { TrainReply, TrainRequest } from './train-messages.js';

type Options = TreeTrainOptions<ParamValues>;

/** The engine's trainer for each algorithm; parameters were checked against ALGORITHMS when the run was created. */
const TRAINERS: Record<AlgorithmName, (frame: Frame, options: Options) => TrainResult> = {
  glm: (frame, { threads: _single, onIntermediate: _none, ...options }) =>
    trainGlmModel(frame, { ...options, params: options.params as GlmParams }),
  gbdt: (frame, options) => trainGbdtModel(frame, { ...options, params: options.params as GbdtParams }),
  forest: (frame, options) => trainForestModel(frame, { ...options, params: options.params as ForestParams }),
};

/** Histogram helpers of this training thread, kept between jobs (they idle without holding the process open). */
let helpers: HistogramThreads | undefined;
function helperThreads(threads: number, spinWait: boolean): HistogramThreads | undefined {
  if (threads <= 1) return undefined;
  if (helpers?.size !== threads - 1) {
    void helpers?.close();
    helpers = new HistogramThreads(threads - 1);
  }
  helpers.spins = spinWait ? LONG_SPINS : undefined;
  return helpers;
}

const port = parentPort;
if (!port) throw new Error('train-worker must run in a worker thread');

/** Thrown from the engine's callbacks when the queue asks this training to stop (a pruned trial). */
class StopRequested extends Error {}

port.on('message', (request: TrainRequest) => {
  const reply = (message: TrainReply): void => port.postMessage(message);
  const stopFlag = request.stop === undefined ? undefined : new Int32Array(request.stop);
  const checkStop = (): void => {
    if (stopFlag !== undefined && Atomics.load(stopFlag, 0) === 1) throw new StopRequested();
  };
  try {
    const frame = Frame.fromColumns(request.columns);
    let lastSent = 0;
    const result = TRAINERS[request.algorithm](frame, {
      target: request.target,
      task: request.task,
      params: request.params,
      threads: helperThreads(request.threads, request.spinWait),
      onProgress: (fraction) => {
        checkStop();
        // Progress is for people watching; a few updates a second are plenty.
        const now = Date.now();
        if (now - lastSent > 200) {
          lastSent = now;
          reply({ type: 'progress', jobId: request.jobId, fraction });
        }
      },
      ...(request.reportIntermediate === true && {
        onIntermediate: (step: number, value: number) => {
          reply({ type: 'intermediate', jobId: request.jobId, step, value });
          checkStop();
        },
      }),
    });
    reply({
      type: 'done',
      jobId: request.jobId,
      artifact: result.artifact,
      metrics: result.metrics,
      trainRows: result.trainRows,
      testRows: result.testRows,
    });
  } catch (error) {
    if (error instanceof StopRequested) {
      reply({ type: 'failed', jobId: request.jobId, code: 'stopped', message: 'The training was stopped.' });
    } else if (error instanceof EngineError) {
      reply({
        type: 'failed',
        jobId: request.jobId,
        code: error.code,
        message: error.message,
        ...(error.details && { details: error.details }),
      });
    } else {
      // Not the data's fault: the helpers may be what failed, so the next job gets fresh ones.
      void helpers?.close();
      helpers = undefined;
      reply({
        type: 'failed',
        jobId: request.jobId,
        code: 'training_failed',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
});
