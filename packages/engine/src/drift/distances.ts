// Distances between two distributions: SciPy's `wasserstein_distance` on samples and
// `scipy.spatial.distance.jensenshannon` on probability vectors, and the population stability index.

/** rel_entr(x, y) = x·ln(x/y), 0 where x = 0, ∞ where only y = 0. */
function relativeEntropy(x: number, y: number): number {
  if (x > 0 && y > 0) return x * Math.log(x / y);
  if (x === 0 && y >= 0) return 0;
  return Infinity;
}

/** Jensen–Shannon distance of two vectors of weights (each normalised to sum 1 first), log base `base`. */
export function jensenShannonDistance(p: ArrayLike<number>, q: ArrayLike<number>, base = Math.E): number {
  if (p.length !== q.length) throw new RangeError('jensenShannonDistance needs vectors of equal length');
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    sp += p[i]!;
    sq += q[i]!;
  }
  let left = 0;
  let right = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i]! / sp;
    const b = q[i]! / sq;
    const m = (a + b) / 2;
    left += relativeEntropy(a, m);
    right += relativeEntropy(b, m);
  }
  let js = left + right;
  js /= Math.log(base);
  return Math.sqrt(js / 2);
}

/**
 * The first Wasserstein distance between two samples (equal weights), ∫|F_u − F_v|: inputs sorted ascending, without
 * NaN, neither empty.
 */
export function wassersteinDistance(u: ArrayLike<number>, v: ArrayLike<number>): number {
  const nu = u.length;
  const nv = v.length;
  if (nu === 0 || nv === 0) throw new RangeError('wassersteinDistance needs two non-empty samples');
  let i = 0;
  let j = 0;
  let sum = 0;
  let previous = Math.min(u[0]!, v[0]!);
  // Walk the merged values one at a time: between two consecutive ones both CDFs are flat, at i/nu and j/nv (their
  // gap kept as the integer |i·nv − j·nu| until the end); ties add zero-width steps.
  while (i < nu && j < nv) {
    const a = u[i]!;
    const b = v[j]!;
    const next = a <= b ? a : b;
    sum += Math.abs(i * nv - j * nu) * (next - previous);
    previous = next;
    if (a <= b) i++;
    else j++;
  }
  for (; i < nu; i++) {
    sum += Math.abs(i * nv - j * nu) * (u[i]! - previous);
    previous = u[i]!;
  }
  for (; j < nv; j++) {
    sum += Math.abs(i * nv - j * nu) * (v[j]! - previous);
    previous = v[j]!;
  }
  return sum / nu / nv;
}

/** Σ (r − c)·ln(r / c) over bins; both vectors of shares with no zero (see `fillEmptyShares`). */
export function populationStabilityIndex(reference: ArrayLike<number>, current: ArrayLike<number>): number {
  let psi = 0;
  for (let i = 0; i < reference.length; i++) {
    const r = reference[i]!;
    const c = current[i]!;
    psi += (r - c) * Math.log(r / c);
  }
  return psi;
}

/**
 * Replaces empty bins' zero shares by a small one, as Evidently does before PSI: the smallest non-zero share / 10⁶
 * when that share is ≤ 0.0001, else 0.0001.
 */
export function fillEmptyShares(shares: Float64Array): Float64Array {
  let smallest = Infinity;
  for (const s of shares) if (s !== 0 && s < smallest) smallest = s;
  if (smallest === Infinity) return shares;
  const fill = smallest <= 0.0001 ? smallest / 10 ** 6 : 0.0001;
  return shares.map((s) => (s === 0 ? fill : s));
}
