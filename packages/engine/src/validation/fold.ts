// The shape every splitter returns, and the argument checks and assembly they share.
import { EngineError } from '../errors.js';

/** One train/test split as ascending row indices. */
export interface Fold {
  train: Int32Array;
  test: Int32Array;
}

/** k must be an integer >= 2 (`invalid_param`). */
export function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 2) {
    throw new EngineError('invalid_param', `k must be an integer >= 2, got ${k}`, { k });
  }
}

/** At least k rows (`too_few_rows`); zero rows always fail here since k >= 2. */
export function checkRows(n: number, k: number): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new EngineError('invalid_param', `n must be a non-negative integer, got ${n}`, { n });
  }
  if (n < k) throw new EngineError('too_few_rows', `Cannot split ${n} rows into ${k} folds`, { rows: n, k });
}

export function checkSeed(seed: number): void {
  if (!Number.isFinite(seed)) throw new EngineError('invalid_param', `seed must be a finite number`, { seed });
}

/** Folds from a fold number per row: fold f tests on the rows marked f and trains on the rest. */
export function foldsFromAssignment(assignment: Int32Array, k: number): Fold[] {
  const n = assignment.length;
  const sizes = new Int32Array(k);
  for (let row = 0; row < n; row++) sizes[assignment[row]!]!++;
  const folds: Fold[] = [];
  for (let f = 0; f < k; f++) {
    const test = new Int32Array(sizes[f]!);
    const train = new Int32Array(n - sizes[f]!);
    let s = 0;
    let t = 0;
    for (let row = 0; row < n; row++) {
      if (assignment[row] === f) test[s++] = row;
      else train[t++] = row;
    }
    folds.push({ train, test });
  }
  return folds;
}
