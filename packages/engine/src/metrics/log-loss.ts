// Mean binary cross-entropy, equal to scikit-learn's log_loss for 0/1 labels and positive-class probabilities.
import { checkLengths } from './check-lengths.js';

/** Probabilities are clipped to [eps, 1 - eps] with eps = 2^-52 (scikit-learn >= 1.5 clips at float64 eps). */
export function logLoss(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = checkLengths(yTrue, yPred);
  if (n === 0) return Number.NaN;
  const eps = Number.EPSILON;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const p = Math.min(1 - eps, Math.max(eps, yPred[i]!));
    sum -= yTrue[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / n;
}
