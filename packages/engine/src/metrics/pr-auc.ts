// Area under the precision-recall curve as average precision, equal to scikit-learn's average_precision_score.
import { checkBinaryTruth } from './class-labels.js';
import { checkInputs } from './check-inputs.js';

/**
 * AP = sum over distinct score thresholds (descending) of (R_k - R_{k-1}) * P_k: a step function, no trapezoidal
 * interpolation. 0 when yTrue has no positives: scikit-learn warns, sets recall to 1 everywhere and returns -0.
 */
export function prAuc(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = checkInputs(yTrue, yPred);
  checkBinaryTruth(yTrue);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => yPred[b]! - yPred[a]!);
  let totalPositives = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === 1) totalPositives++;
  if (totalPositives === 0) return 0;
  let truePositives = 0;
  let seen = 0;
  let previousRecall = 0;
  let ap = 0;
  let i = 0;
  while (i < n) {
    // Tied scores form one threshold.
    const score = yPred[order[i]!];
    while (i < n && yPred[order[i]!] === score) {
      if (yTrue[order[i]!] === 1) truePositives++;
      seen++;
      i++;
    }
    const recall = truePositives / totalPositives;
    ap += (recall - previousRecall) * (truePositives / seen);
    previousRecall = recall;
  }
  return ap;
}
