// The rows a forest tree sees, as integer weights: bootstrap draw counts, or 0/1 for a draw without replacement.

/** `round(fraction * n)` draws (at least one), with replacement when `bootstrap`, else without. */
export function sampleWeights(n: number, bootstrap: boolean, fraction: number, random: () => number): Float64Array {
  const weights = new Float64Array(n);
  const draws = Math.max(1, Math.round(fraction * n));
  if (bootstrap) {
    for (let d = 0; d < draws; d++) weights[Math.floor(random() * n)]! += 1;
    return weights;
  }
  if (draws >= n) return weights.fill(1);
  // Partial Fisher-Yates: the first `draws` entries of a shuffled index array.
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let d = 0; d < draws; d++) {
    const j = d + Math.floor(random() * (n - d));
    const r = order[j]!;
    order[j] = order[d]!;
    order[d] = r;
    weights[r] = 1;
  }
  return weights;
}
