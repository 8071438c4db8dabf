// The Mann-Whitney core of the ROC AUCs: binary and each one-vs-rest column.

/**
 * AUC of scores `score(i)` against 0/1 `positive(i)`, ties counted as half (average ranks); NaN when a class is
 * absent. Callers check the inputs first.
 */
export function binaryAuc(n: number, positive: (i: number) => boolean, score: (i: number) => number): number {
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => score(a) - score(b));
  let positives = 0;
  let rankSum = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && score(order[j + 1]!) === score(order[i]!)) j++;
    const averageRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) {
      if (positive(order[k]!)) {
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
