// Mean binary cross-entropy, equal to scikit-learn's log_loss for 0/1 labels and positive-class probabilities.
import { checkBinaryTruth } from './class-labels.js';
import { checkInputs } from './check-inputs.js';

/**
 * Probabilities are clipped to [eps, 1 - eps] with eps = 2^-52 (scikit-learn's `eps='auto'` for float64). Equal to
 * `log_loss(yTrue, yPred, labels=[0, 1])`, so one class in yTrue is fine (without `labels` scikit-learn raises).
 */
export function logLoss(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = checkInputs(yTrue, yPred);
  checkBinaryTruth(yTrue);
  const eps = Number.EPSILON;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const p = Math.min(1 - eps, Math.max(eps, yPred[i]!));
    sum -= yTrue[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / n;
}
