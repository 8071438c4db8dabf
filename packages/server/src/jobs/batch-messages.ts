// Messages between the batch runner and its scoring threads: one partition of rows in, its part file out.

import type { ModelArtifact } from '@modelyard/engine';

/** How a model feature is read from its input column (the same conversions as data/load-frame.ts). */
export type BatchFeatureRead =
  | { name: string; read: 'number' | 'date' | 'timestamp' }
  /** Dictionary codes into the model's categories; an unseen value gets a code past them. */
  | { name: string; read: 'category'; categories: string[] };

export interface BatchPartitionRequest {
  taskId: string;
  /** Parsed once per run on the main thread; threads keep the last one by key. */
  artifactKey: string;
  artifact?: ModelArtifact;
  /** The input snapshot (a local Parquet file) and this partition's rows [rowStart, rowEnd) in file order. */
  input: string;
  rowStart: number;
  rowEnd: number;
  features: BatchFeatureRead[];
  /** Written under a temporary name, then renamed to `partPath` once complete. */
  partPath: string;
}

export type BatchPartitionReply =
  /** Milliseconds spent reading, scoring and writing the partition (for logs and benchmarks). */
  | { type: 'done'; taskId: string; rows: number; ms: { read: number; score: number; write: number } }
  | { type: 'failed'; taskId: string; code: string; message: string; details?: Record<string, unknown> };
