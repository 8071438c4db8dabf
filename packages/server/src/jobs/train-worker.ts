// A training thread: rebuilds the frame from transferred buffers, trains with the engine, replies with the artifact.

import { parentPort } from 'node:worker_threads';
import { EngineError, Frame, trainGlmModel } from '@modelyard/engine';
import type { TrainReply, TrainRequest } from './train-messages.js';

const port = parentPort;
if (!port) throw new Error('train-worker must run in a worker thread');

port.on('message', (request: TrainRequest) => {
  const reply = (message: TrainReply): void => port.postMessage(message);
  try {
    const frame = Frame.fromColumns(request.columns);
    let lastSent = 0;
    const result = trainGlmModel(frame, {
      target: request.target,
      task: request.task,
      params: request.params,
      onProgress: (fraction) => {
        // Progress is for people watching; a few updates a second are plenty.
        const now = Date.now();
        if (now - lastSent > 200) {
          lastSent = now;
          reply({ type: 'progress', jobId: request.jobId, fraction });
        }
      },
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
    if (error instanceof EngineError) {
      reply({
        type: 'failed',
        jobId: request.jobId,
        code: error.code,
        message: error.message,
        ...(error.details && { details: error.details }),
      });
    } else {
      reply({
        type: 'failed',
        jobId: request.jobId,
        code: 'training_failed',
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
});
