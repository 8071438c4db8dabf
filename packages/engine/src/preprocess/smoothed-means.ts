// The target encoding of one category column for one target output: smoothed per-category means and the prior,
// fitted on all rows (for scoring) or out of fold (for the training rows).
import type { Fold } from '../validation/fold.js';
import { encodeIndices } from './apply-target-encoding.js';

export interface SmoothedMeans {
  /** The mean of the target over the rows: the value of missing and unseen categories. */
  prior: number;
  /** One value per category; a category without rows gets the prior. */
  values: Float64Array;
}

/**
 * Over `rows` (indices into `codes` and `y`; codes < 0 are missing and count only towards the prior): with a numeric
 * `smoothing` m, (sum + m * prior) / (count + m); with 'auto', scikit-learn's empirical-Bayes blend
 * l * mean + (1 - l) * prior, l = count * var(y) / (count * var(y) + var(y | category)), population variances.
 * The arithmetic follows scikit-learn's `_fit_encoding_fast*` step by step. No rows: everything is `fallbackPrior`.
 */
export function smoothedMeans(
  codes: Int32Array,
  y: Float64Array,
  rows: Int32Array,
  nCategories: number,
  smoothing: number | 'auto',
  fallbackPrior: number,
): SmoothedMeans {
  const values = new Float64Array(nCategories);
  if (rows.length === 0) return { prior: fallbackPrior, values: values.fill(fallbackPrior) };
  const sums = new Float64Array(nCategories);
  const counts = new Float64Array(nCategories);
  let total = 0;
  for (const i of rows) {
    const v = y[i]!;
    total += v;
    const c = codes[i]!;
    if (c < 0) continue;
    sums[c] = sums[c]! + v;
    counts[c] = counts[c]! + 1;
  }
  const prior = total / rows.length;
  if (smoothing !== 'auto') {
    for (let c = 0; c < nCategories; c++) {
      values[c] = counts[c] === 0 ? prior : (sums[c]! + smoothing * prior) / (counts[c]! + smoothing);
    }
    return { prior, values };
  }
  let squares = 0;
  for (const i of rows) squares += (y[i]! - prior) ** 2;
  const variance = squares / rows.length;
  const means = sums.map((s, c) => s / counts[c]!);
  const within = new Float64Array(nCategories);
  for (const i of rows) {
    const c = codes[i]!;
    if (c >= 0) within[c] = within[c]! + (y[i]! - means[c]!) ** 2;
  }
  for (let c = 0; c < nCategories; c++) {
    const n = counts[c]!;
    const lambda = (variance * n) / (variance * n + within[c]! / n);
    // NaN when the category has no rows or the target is constant (0 / 0): the prior, as scikit-learn does.
    values[c] = Number.isNaN(lambda) ? prior : lambda * means[c]! + (1 - lambda) * prior;
  }
  return { prior, values };
}

/**
 * Each row's value from the mapping fitted without its fold; missing and fold-unseen categories get that fold's
 * prior. Without folds (a single training row) every row gets `fallback`, the full prior.
 */
export function outOfFoldMeans(
  codes: Int32Array,
  y: Float64Array,
  folds: Fold[],
  nCategories: number,
  smoothing: number | 'auto',
  fallback: number,
): Float64Array {
  const out = new Float64Array(y.length).fill(fallback);
  for (const { train, test } of folds) {
    const fitted = smoothedMeans(codes, y, train, nCategories, smoothing, fallback);
    const encoded = encodeIndices(
      Int32Array.from(test, (i) => codes[i]!),
      fitted,
    );
    test.forEach((row, j) => (out[row] = encoded[j]!));
  }
  return out;
}
