// Exact minimisation along "add t to every coefficient of a one-hot block", the direction coordinate descent is slow on.

/**
 * Minimises f(t) = A t^2/2 - B t + l1 * sum_k |b_k + t| + l2/2 * sum_k (b_k + t)^2 over t.
 *
 * Why: a complete one-hot block sums to the (centred) constant, so moving all its coefficients together barely changes
 * the loss and only the ridge term pins it down. Single-coordinate steps crawl along that valley (about 1/lambda
 * sweeps); this one-dimensional step crosses it at once. f is convex and piecewise quadratic with kinks at t = -b_k,
 * so the minimiser is found exactly between or at the sorted kinks, keeping lasso zeros exact.
 */
export function blockShift(b: ArrayLike<number>, a: number, bLin: number, l1: number, l2: number): number {
  const k = b.length;
  let sum = 0;
  for (let i = 0; i < k; i++) sum += b[i]!;
  const c1 = a + l2 * k;
  const c0 = l2 * sum - bLin;
  if (!(c1 > 0)) return 0;
  if (l1 === 0) return -c0 / c1;
  const kinks = Float64Array.from({ length: k }, (_, i) => -b[i]!).sort();
  // Derivative on the open interval with m kinks below t: c1 t + c0 + l1 (2m - k).
  for (let m = 0; m <= k; m++) {
    const t = -(c0 + l1 * (2 * m - k)) / c1;
    const lo = m > 0 ? kinks[m - 1]! : -Infinity;
    const hi = m < k ? kinks[m]! : Infinity;
    if (t > lo && t < hi) return t;
    if (m < k) {
      const kink = kinks[m]!;
      let above = m;
      while (above < k && kinks[above] === kink) above++;
      const left = c1 * kink + c0 + l1 * (2 * m - k);
      const right = c1 * kink + c0 + l1 * (2 * above - k);
      if (left <= 0 && right >= 0) return kink;
    }
  }
  return 0;
}
