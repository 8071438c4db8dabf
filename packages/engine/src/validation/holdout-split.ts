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
  const strata = new Map<number, number[]>();
  for (let row = 0; row < nRows; row++) {
    const key = stratify === undefined ? 0 : stratify[row]!;
    let rows = strata.get(key);
    if (rows === undefined) strata.set(key, (rows = []));
    rows.push(row);
  }
  const isTest = new Uint8Array(nRows);
  // Strata in ascending key order so the draw sequence does not depend on row order of first appearance.
  for (const key of [...strata.keys()].sort((a, b) => a - b)) {
    const rows = Int32Array.from(strata.get(key)!);
    shuffle(rows, random);
    const nTest = Math.round(rows.length * testFraction);
    for (let i = 0; i < nTest; i++) isTest[rows[i]!] = 1;
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
