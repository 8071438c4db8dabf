// Turns a forest's summed tree outputs into means: values, positive-class probabilities or class probabilities.

/**
 * In place. `sums` holds k values per row (k = 1 for regression and binary models); each is divided by the trees per
 * output. Binary probabilities are clamped to [0, 1] against rounding; k > 2 class shares are normalised to sum to 1
 * (uniform when all are 0).
 */
export function forestOutputs(
  task: 'classification' | 'regression',
  sums: Float64Array,
  k: number,
  nTrees: number,
): Float64Array {
  const rounds = nTrees / k;
  for (let i = 0; i < sums.length; i++) sums[i] = sums[i]! / rounds;
  if (task === 'regression') return sums;
  if (k === 1) {
    for (let i = 0; i < sums.length; i++) sums[i] = Math.min(1, Math.max(0, sums[i]!));
    return sums;
  }
  for (let start = 0; start < sums.length; start += k) {
    let total = 0;
    for (let c = 0; c < k; c++) total += sums[start + c]!;
    for (let c = 0; c < k; c++) sums[start + c] = total > 0 ? sums[start + c]! / total : 1 / k;
  }
  return sums;
}
