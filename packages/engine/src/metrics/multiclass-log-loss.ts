// Multiclass cross-entropy, equal to scikit-learn's log_loss(yTrue, probs, labels=range(k)).
import { checkProbabilityMatrix } from './probability-matrix.js';

/**
 * `probs` is n × k row-major. Each probability is clipped to [2^-52, 1 - 2^-52] and each row then divided by its
 * sum, as scikit-learn 1.2 does, so rows need not sum to 1 exactly. Classes absent from yTrue are fine.
 */
export function multiclassLogLoss(yTrue: ArrayLike<number>, probs: ArrayLike<number>, k: number): number {
  const { n, labels } = checkProbabilityMatrix(yTrue, probs, k);
  const eps = Number.EPSILON;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    let rowSum = 0;
    for (let c = 0; c < k; c++) rowSum += Math.min(1 - eps, Math.max(eps, probs[i * k + c]!));
    const p = Math.min(1 - eps, Math.max(eps, probs[i * k + labels[i]!]!));
    sum -= Math.log(p / rowSum);
  }
  return sum / n;
}
