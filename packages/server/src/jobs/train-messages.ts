// Messages between the training queue and its worker threads.

import type { Column, GlmParams, ModelArtifact } from '@modelyard/engine';

export interface TrainRequest {
  type: 'train';
  jobId: string;
  columns: Column[];
  target: string;
  task: 'classification' | 'regression';
  params: GlmParams;
}

export type TrainReply =
  | { type: 'progress'; jobId: string; fraction: number }
  | {
      type: 'done';
      jobId: string;
      artifact: ModelArtifact;
      metrics: Record<string, number>;
      trainRows: number;
      testRows: number;
    }
  | { type: 'failed'; jobId: string; code: string; message: string; details?: Record<string, unknown> };
