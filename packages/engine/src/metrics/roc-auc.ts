// Area under the ROC curve (binary), equal to scikit-learn's roc_auc_score, ties counted as half.
import { checkLengths } from './check-lengths.js';

/** yTrue is 0/1 (anything but 1 counts as negative); NaN when either class is absent or the input is empty. */
export function rocAuc(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = checkLengths(yTrue, yPred);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => yPred[a]! - yPred[b]!);
  // Mann-Whitney U with average ranks for tied scores.
  let positives = 0;
  let rankSum = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && yPred[order[j + 1]!] === yPred[order[i]!]) j++;
    const averageRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (yTrue[order[k]!] === 1) {
        positives++;
        rankSum += averageRank;
      }
    }
    i = j + 1;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
