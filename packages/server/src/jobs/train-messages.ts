// Messages between the training queue and its worker threads.

import type { Column, ModelArtifact, OutOfFold } from '@modelyard/engine';
import type { AlgorithmName, ParamValues } from '../tracking/algorithms.js';

export interface TrainRequest {
  type: 'train';
  jobId: string;
  columns: Column[];
  target: string;
  task: 'classification' | 'regression';
  algorithm: AlgorithmName;
  /** Checked against the algorithm's parameter list when the run was created. */
  params: ParamValues;
  /** Threads the training may use (tree models); the model is the same for any count. */
  threads: number;
  /** Whether those threads may busy-wait between jobs (see HelperThreads.spins): no other training shares the cores. */
  spinWait: boolean;
  /** Send the holdout loss after each round (GBDT), for a pruner to judge the training by. */
  reportIntermediate?: boolean;
  /** One Int32 the queue sets to 1 to stop the training at its next round (a pruned trial). */
  stop?: SharedArrayBuffer;
  /** Cross-validate with this many folds (metrics are the fold means, with `<metric>_std`), then train on every row. */
  cvFolds?: number;
  /** Train a stacked ensemble of these cross-validated models instead (a GLM over their out-of-fold predictions). */
  stack?: { bases: { artifact: ModelArtifact; oof: OutOfFold }[] };
}

export type TrainReply =
  | { type: 'progress'; jobId: string; fraction: number }
  | { type: 'intermediate'; jobId: string; step: number; value: number }
  | {
      type: 'done';
      jobId: string;
      artifact: ModelArtifact;
      metrics: Record<string, number>;
      trainRows: number;
      testRows: number;
      /** Out-of-fold predictions of a cross-validated training, for stacking. */
      oof?: OutOfFold;
    }
  | { type: 'failed'; jobId: string; code: string; message: string; details?: Record<string, unknown> };
