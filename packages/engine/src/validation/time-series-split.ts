// Time-ordered splits, exactly scikit-learn's TimeSeriesSplit: each fold trains on rows before its test block.
import { EngineError } from '../errors.js';
import { checkK, type Fold } from './fold.js';

export interface TimeSeriesSplitOptions {
  /** Number of splits (test blocks). */
  k: number;
  /** Rows left out between the end of training and the test block (default 0). */
  gap?: number;
  /** Rows per test block (default floor(n / (k + 1))). */
  testSize?: number;
  /** Keep only the latest rows of training when it is longer than this. */
  maxTrainSize?: number;
}

/** Rows must already be in time order. `too_few_rows` when the blocks, the gap and some training do not fit. */
export function timeSeriesSplit(n: number, opts: TimeSeriesSplitOptions): Fold[] {
  const { k, gap = 0 } = opts;
  checkK(k);
  checkCount('n', n, 0);
  checkCount('gap', gap, 0);
  if (opts.testSize !== undefined) checkCount('testSize', opts.testSize, 1);
  if (opts.maxTrainSize !== undefined) checkCount('maxTrainSize', opts.maxTrainSize, 1);
  if (k + 1 > n) {
    throw new EngineError('too_few_rows', `Cannot have ${k + 1} time folds with ${n} rows`, { rows: n, k });
  }
  const testSize = opts.testSize ?? Math.floor(n / (k + 1));
  if (n - gap - testSize * k <= 0) {
    throw new EngineError(
      'too_few_rows',
      `${k} test blocks of ${testSize} rows and a gap of ${gap} leave no training`,
      {
        rows: n,
        k,
        testSize,
        gap,
      },
    );
  }
  const folds: Fold[] = [];
  for (let testStart = n - k * testSize; testStart < n; testStart += testSize) {
    const trainEnd = testStart - gap;
    const trainStart =
      opts.maxTrainSize !== undefined && opts.maxTrainSize < trainEnd ? trainEnd - opts.maxTrainSize : 0;
    folds.push({ train: range(trainStart, trainEnd), test: range(testStart, Math.min(n, testStart + testSize)) });
  }
  return folds;
}

function range(start: number, end: number): Int32Array {
  return Int32Array.from({ length: end - start }, (_, i) => start + i);
}

function checkCount(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new EngineError('invalid_param', `${name} must be an integer >= ${min}, got ${value}`, { [name]: value });
  }
}
