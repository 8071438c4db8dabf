// numpy's `histogram_bin_edges(values, bins='sturges')` and `histogram(values, edges)`, so binned drift scores
// (Jensen–Shannon, PSI) equal the Python tools' to rounding.

/** Equal-width edges over [min, max] of both samples, ⌈range / (range / (log₂ n + 1))⌉ bins, as numpy computes them. */
export function sturgesEdges(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  let min = Infinity;
  let max = -Infinity;
  for (const sample of [a, b]) {
    for (let i = 0; i < sample.length; i++) {
      const v = sample[i]!;
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  const n = a.length + b.length;
  const width = (max - min) / (Math.log2(n) + 1);
  if (min === max) {
    min -= 0.5;
    max += 0.5;
  }
  const bins = width > 0 ? Math.ceil((max - min) / width) : 1;
  const step = (max - min) / bins;
  const edges = new Float64Array(bins + 1);
  for (let i = 0; i < bins; i++) edges[i] = i * step + min;
  edges[bins] = max;
  return edges;
}

/** Counts per bin: [edge_i, edge_i+1), the last bin closed; values outside the edges are not counted. */
export function histogramCounts(values: ArrayLike<number>, edges: Float64Array): Float64Array {
  const bins = edges.length - 1;
  const counts = new Float64Array(bins);
  const first = edges[0]!;
  const last = edges[bins]!;
  const scale = bins / (last - first);
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    if (!(v >= first && v <= last)) continue;
    let i = Math.min(bins - 1, Math.floor((v - first) * scale));
    // The guess can be one off where rounding disagrees with the stored edges: the edges decide.
    while (i > 0 && v < edges[i]!) i--;
    while (i < bins - 1 && v >= edges[i + 1]!) i++;
    counts[i]!++;
  }
  return counts;
}
