// Out-of-fold predictions as stored next to a cross-validated run (`runs/<id>/oof.json`), for a later stacked
// ensemble to read back: typed arrays as plain number arrays, the rest as is.

import type { OutOfFold } from '@modelyard/engine';

export const oofKeyOf = (runId: string): string => `runs/${runId}/oof.json`;

interface StoredOof {
  task: OutOfFold['task'];
  classes: string[] | null;
  rows: number[];
  y: number[];
  seed: number;
  folds: { train: number[]; test: number[] }[];
  outputs: number;
  oof: number[];
}

export function encodeOof(oof: OutOfFold): Uint8Array {
  const stored: StoredOof = {
    task: oof.task,
    classes: oof.classes ?? null,
    rows: Array.from(oof.rows),
    y: Array.from(oof.y),
    seed: oof.seed,
    folds: oof.folds.map((f) => ({ train: Array.from(f.train), test: Array.from(f.test) })),
    outputs: oof.outputs,
    oof: Array.from(oof.oof),
  };
  return new TextEncoder().encode(JSON.stringify(stored));
}

export function decodeOof(bytes: Uint8Array): OutOfFold {
  const stored = JSON.parse(new TextDecoder().decode(bytes)) as StoredOof;
  return {
    task: stored.task,
    classes: stored.classes ?? undefined,
    rows: Int32Array.from(stored.rows),
    y: Float64Array.from(stored.y),
    seed: stored.seed,
    folds: stored.folds.map((f) => ({ train: Int32Array.from(f.train), test: Int32Array.from(f.test) })),
    outputs: stored.outputs,
    oof: Float64Array.from(stored.oof),
  };
}
