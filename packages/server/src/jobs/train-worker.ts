// A training thread: rebuilds the frame from transferred buffers, trains with the engine, replies with the artifact.

import { parentPort } from 'node:worker_threads';
import {
  EngineError,
  Frame,
  LONG_SPINS,
  crossValidate,
  crossValidateMeta,
  predictFrame,
  trainStackedEnsemble,
  type CvResult,
  type ModelArtifact,
  type OutOfFold,
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

/** A cross-validation's metrics as a run keeps them: fold means under the usual names, `<name>_std`, the fold count. */
function cvMetrics(cv: CvResult): Record<string, number> {
  const metrics: Record<string, number> = { ...cv.mean, cv_folds: cv.k };
  for (const [name, value] of Object.entries(cv.std)) metrics[`${name}_std`] = value;
  return metrics;
}

/** Milliseconds to score 1,000 rows in one batch, measured on up to the first 1,000 rows. */
function scoringMsPer1k(artifact: ModelArtifact, frame: Frame): number {
  const n = Math.min(1000, frame.nRows);
  const sample = frame.take(Int32Array.from({ length: n }, (_, i) => i));
  predictFrame(artifact, sample);
  const started = performance.now();
  predictFrame(artifact, sample);
  return ((performance.now() - started) * 1000) / n;
}

function outOfFold(cv: CvResult): OutOfFold {
  const { task, classes, rows, y, seed, folds, outputs, oof } = cv;
  return { task, classes, rows, y, seed, folds, outputs, oof };
}

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
    const options: Options = {
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
    };
    const seed = typeof request.params.seed === 'number' ? request.params.seed : undefined;
    let result: TrainResult & { oof?: OutOfFold };
    if (request.stack !== undefined) {
      const stackOptions = { target: request.target, task: request.task, ...(seed !== undefined && { seed }) };
      const artifact = trainStackedEnsemble(frame, request.stack.bases, stackOptions);
      const cv = crossValidateMeta(frame, request.stack.bases, stackOptions);
      result = { artifact, metrics: cvMetrics(cv), trainRows: cv.rows.length, testRows: 0, oof: outOfFold(cv) };
    } else if (request.cvFolds !== undefined) {
      const train = TRAINERS[request.algorithm] as unknown as Parameters<typeof crossValidate>[1];
      const cv = crossValidate(frame, train, options as Parameters<typeof crossValidate>[2], {
        k: request.cvFolds,
        ...(seed !== undefined && { seed }),
      });
      result = {
        artifact: cv.artifact,
        metrics: cvMetrics(cv),
        trainRows: cv.rows.length,
        testRows: 0,
        oof: outOfFold(cv),
      };
    } else {
      result = TRAINERS[request.algorithm](frame, options);
    }
    if (request.cvFolds !== undefined || request.stack !== undefined) {
      result.metrics.scoring_ms_per_1k = scoringMsPer1k(result.artifact, frame);
    }
    reply({
      type: 'done',
      jobId: request.jobId,
      artifact: result.artifact,
      metrics: result.metrics,
      trainRows: result.trainRows,
      testRows: result.testRows,
      ...(result.oof !== undefined && { oof: result.oof }),
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
