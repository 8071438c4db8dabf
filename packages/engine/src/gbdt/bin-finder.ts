// Which bin of sorted cut points a value falls in, in a few comparisons.

/**
 * The bin of a finite value: the number of cuts <= v. An equal-width table over the cuts' range gives the bin at the
 * start of the value's slot, and a short walk corrects it (most slots hold at most one cut), so binning costs a few
 * comparisons instead of a full binary search (measured 12 ms instead of 45–70 ms for 800k values and 255 cuts); the
 * walk keeps the answer exact whatever floating-point rounding does to the slot.
 */
export function binFinder(cuts: Float64Array): (v: number) => number {
  const n = cuts.length;
  if (n === 0) return () => 0;
  const first = cuts[0]!;
  const last = cuts[n - 1]!;
  const slots = 8 * n;
  const scale = slots / (last - first);
  if (!(scale > 0 && scale < Infinity)) return (v) => (v < first ? 0 : n);
  const start = new Int32Array(slots + 1);
  for (let k = 0, b = 0; k <= slots; k++) {
    const edge = first + k / scale;
    while (b < n && cuts[b]! <= edge) b++;
    start[k] = b;
  }
  return (v) => {
    if (v < first) return 0;
    if (v >= last) return n;
    let b = start[Math.floor((v - first) * scale)]!;
    while (b > 0 && cuts[b - 1]! > v) b--;
    while (b < n && cuts[b]! <= v) b++;
    return b;
  };
}
