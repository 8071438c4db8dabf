// Deterministic train/test split of row indices, optionally stratified by a class code per row.
import { EngineError } from '../errors.js';
import { seededRandom, shuffle } from './random.js';

export interface HoldoutOptions {
  /** Share of rows that go to the test set, in [0, 1). */
  testFraction: number;
  seed: number;
  /** One stratum code per row; each stratum contributes round(size * testFraction) rows to the test set. */
  stratify?: Int32Array;
}

/** Returns ascending row indices; the same seed always gives the same split. */
export function holdoutSplit(nRows: number, opts: HoldoutOptions): { train: Int32Array; test: Int32Array } {
  const { testFraction, seed, stratify } = opts;
  if (!Number.isInteger(nRows) || nRows < 0) {
    throw new EngineError('invalid_param', `nRows must be a non-negative integer, got ${nRows}`, { nRows });
  }
  if (!(testFraction >= 0 && testFraction < 1)) {
    throw new EngineError('invalid_param', `testFraction must be in [0, 1), got ${testFraction}`, { testFraction });
  }
  if (!Number.isFinite(seed)) throw new EngineError('invalid_param', `seed must be a finite number`, { seed });
  if (stratify !== undefined && stratify.length !== nRows) {
    throw new EngineError('length_mismatch', `stratify has ${stratify.length} values, expected ${nRows}`);
  }
  const random = seededRandom(seed);
  const isTest = new Uint8Array(nRows);
  if (testFraction > 0) {
    // Each stratum's rows, ascending, as one slice of a grouped array: no per-row objects for a million rows.
    const index = new Map<number, number>();
    const stratumOf = new Int32Array(nRows);
    for (let row = 0; row < nRows; row++) {
      const key = stratify === undefined ? 0 : stratify[row]!;
      let s = index.get(key);
      if (s === undefined) index.set(key, (s = index.size));
      stratumOf[row] = s;
    }
    const starts = new Int32Array(index.size + 1);
    for (let row = 0; row < nRows; row++) starts[stratumOf[row]! + 1]!++;
    for (let s = 0; s < index.size; s++) starts[s + 1] = starts[s + 1]! + starts[s]!;
    const grouped = new Int32Array(nRows);
    const filled = starts.slice(0, index.size);
    for (let row = 0; row < nRows; row++) grouped[filled[stratumOf[row]!]!++] = row;
    // Strata in ascending key order so the draw sequence does not depend on row order of first appearance.
    for (const key of [...index.keys()].sort((a, b) => a - b)) {
      const s = index.get(key)!;
      const rows = grouped.subarray(starts[s]!, starts[s + 1]!);
      shuffle(rows, random);
      const nTest = Math.round(rows.length * testFraction);
      for (let i = 0; i < nTest; i++) isTest[rows[i]!] = 1;
    }
  }
  let nTest = 0;
  for (let row = 0; row < nRows; row++) nTest += isTest[row]!;
  const train = new Int32Array(nRows - nTest);
  const test = new Int32Array(nTest);
  let t = 0;
  let s = 0;
  for (let row = 0; row < nRows; row++) {
    if (isTest[row] === 1) test[s++] = row;
    else train[t++] = row;
  }
  return { train, test };
}
