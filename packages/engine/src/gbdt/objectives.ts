// Losses of the GBDT: starting margin, and gradient and hessian of the loss at the current margins.
import { EngineError } from '../errors.js';
import type { GbdtObjective } from '../artifact/model-artifact.js';
import { sigmoid } from '../glm/fit-glm.js';

/** XGBoost's Poisson safeguard: the hessian is taken at margin + 0.7 so leaf steps stay small. */
const POISSON_MAX_DELTA_STEP = 0.7;
const MIN_HESSIAN = 1e-16;

/** Margin that every tree starts from: the optimal constant (the median for absolute error). */
export function baseScore(objective: GbdtObjective, y: Float64Array): number {
  if (y.length === 0) return 0;
  if (objective === 'absolute_error') return median(Float64Array.from(y));
  let mean = 0;
  for (let i = 0; i < y.length; i++) mean += y[i]!;
  mean /= y.length;
  if (objective === 'squared_error') return mean;
  if (objective === 'poisson') {
    for (let i = 0; i < y.length; i++) {
      if (!(y[i]! >= 0)) {
        throw new EngineError('invalid_param', 'The poisson objective needs a non-negative target', { row: i });
      }
    }
    return Math.log(Math.max(mean, 1e-12));
  }
  const p = Math.min(Math.max(mean, 1e-12), 1 - 1e-12);
  return Math.log(p / (1 - p));
}

/** Softmax: each class starts at the log of its training share (softmax ignores the common shift). */
export function classBaseScores(y: Float64Array, k: number): number[] {
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < y.length; i++) counts[y[i]!]!++;
  return counts.map((count) => Math.log(Math.max(count / Math.max(y.length, 1), 1e-12)));
}

/**
 * Softmax gradients of every class at once, from per-class margins (XGBoost's: g = p - 1[y = c],
 * h = max(2 p (1 - p), 1e-16)); all classes' gradients come from the margins before the round's trees.
 */
export function computeSoftmaxGradients(
  y: Float64Array,
  margins: Float64Array[],
  grads: Float64Array[],
  hesses: Float64Array[],
  from = 0,
  to = y.length,
): void {
  const k = margins.length;
  const row = new Float64Array(k);
  for (let i = from; i < to; i++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, margins[c]![i]!);
    let sum = 0;
    for (let c = 0; c < k; c++) {
      row[c] = Math.exp(margins[c]![i]! - max);
      sum += row[c]!;
    }
    for (let c = 0; c < k; c++) {
      const p = row[c]! / sum;
      grads[c]![i] = p - (y[i] === c ? 1 : 0);
      hesses[c]![i] = Math.max(2 * p * (1 - p), MIN_HESSIAN);
    }
  }
}

/**
 * Fills grad and hess at the given margins for rows [from, to); plain loops over typed arrays since this runs once
 * per tree.
 */
export function computeGradients(
  objective: GbdtObjective,
  y: Float64Array,
  margin: Float64Array,
  grad: Float64Array,
  hess: Float64Array,
  from = 0,
  to = y.length,
): void {
  if (objective === 'squared_error') {
    for (let i = from; i < to; i++) {
      grad[i] = margin[i]! - y[i]!;
      hess[i] = 1;
    }
  } else if (objective === 'absolute_error') {
    for (let i = from; i < to; i++) {
      const d = margin[i]! - y[i]!;
      grad[i] = d > 0 ? 1 : d < 0 ? -1 : 0;
      hess[i] = 1;
    }
  } else if (objective === 'poisson') {
    for (let i = from; i < to; i++) {
      grad[i] = Math.exp(margin[i]!) - y[i]!;
      hess[i] = Math.exp(margin[i]! + POISSON_MAX_DELTA_STEP);
    }
  } else {
    for (let i = from; i < to; i++) {
      const p = sigmoid(margin[i]!);
      grad[i] = p - y[i]!;
      hess[i] = Math.max(p * (1 - p), MIN_HESSIAN);
    }
  }
}

/** Median of the values (reorders them); the mean of the middle two for an even count. */
export function median(values: Float64Array): number {
  values.sort();
  const n = values.length;
  if (n === 0) return 0;
  const mid = n >>> 1;
  return n % 2 === 1 ? values[mid]! : values[mid - 1]! / 2 + values[mid]! / 2;
}
