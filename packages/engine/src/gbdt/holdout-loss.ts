// The loss early stopping watches on the holdout, computed from margins.
import type { GbdtObjective } from '../artifact/model-artifact.js';

/** Mean loss of the objective: log loss, squared error, absolute error or Poisson deviance (up to a constant). */
export function holdoutLoss(objective: GbdtObjective, y: Float64Array, margin: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    const m = margin[i]!;
    const t = y[i]!;
    if (objective === 'squared_error') sum += (m - t) ** 2;
    else if (objective === 'absolute_error') sum += Math.abs(m - t);
    else if (objective === 'poisson') sum += Math.exp(m) - t * m;
    // log(1 + e^m) - t m, written to stay finite for large |m|.
    else sum += Math.max(m, 0) + Math.log1p(Math.exp(-Math.abs(m))) - t * m;
  }
  return sum / Math.max(y.length, 1);
}

/** Mean multiclass log loss from per-class margins. */
export function softmaxHoldoutLoss(y: Float64Array, margins: Float64Array[]): number {
  const k = margins.length;
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, margins[c]![i]!);
    let total = 0;
    for (let c = 0; c < k; c++) total += Math.exp(margins[c]![i]! - max);
    // -log p_y = log(sum exp) - m_y, shifted by the maximum.
    sum += Math.log(total) + max - margins[y[i]!]![i]!;
  }
  return sum / Math.max(y.length, 1);
}
