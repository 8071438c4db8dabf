// Anderson extrapolation of coordinate-descent iterates (Bertrand & Massias, "Anderson acceleration of coordinate
// descent", AISTATS 2021): on near-collinear designs plain sweeps converge linearly but slowly, and a combination of
// the last few iterates lands far closer to the optimum. The caller keeps the guess only if it lowers the objective.

export class Anderson {
  readonly #depth: number;
  #history: Float64Array[] = [];

  /** `depth` = number of iterate differences combined (K in the paper). */
  constructor(depth = 5) {
    this.#depth = depth;
  }

  /** Records an iterate; every depth + 1 iterates returns the extrapolated point and starts over, otherwise null. */
  push(iterate: Float64Array): Float64Array | null {
    this.#history.push(Float64Array.from(iterate));
    if (this.#history.length <= this.#depth) return null;
    const history = this.#history;
    this.#history = [];
    const k = this.#depth;
    const diffs = Array.from({ length: k }, (_, a) => {
      const next = history[a + 1]!;
      const prev = history[a]!;
      return next.map((v, i) => v - prev[i]!);
    });
    // Minimise |sum_a z_a diff_a| subject to sum_a z_a = 1: solve (U'U) z = 1, then normalise.
    const gram = diffs.map((da) => diffs.map((db) => dot(da, db)));
    let trace = 0;
    for (let a = 0; a < k; a++) trace += gram[a]![a]!;
    if (!(trace > 0)) return null;
    for (let a = 0; a < k; a++) gram[a]![a] = gram[a]![a]! + 1e-12 * trace;
    const weights = solve(gram, new Array<number>(k).fill(1));
    if (weights === null) return null;
    const total = weights.reduce((s, v) => s + v, 0);
    if (!Number.isFinite(total) || total === 0) return null;
    const out = new Float64Array(iterate.length);
    for (let a = 0; a < k; a++) {
      const z = weights[a]! / total;
      const point = history[a + 1]!;
      for (let i = 0; i < out.length; i++) out[i] = out[i]! + z * point[i]!;
    }
    return out;
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Gaussian elimination with partial pivoting on a small dense system; null when singular. */
function solve(matrix: number[][], rhs: number[]): number[] | null {
  const n = rhs.length;
  const m = matrix.map((row, i) => [...row, rhs[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++) if (Math.abs(m[row]![col]!) > Math.abs(m[pivot]![col]!)) pivot = row;
    if (m[pivot]![col] === 0) return null;
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const top = m[col]!;
    for (let row = col + 1; row < n; row++) {
      const r = m[row]!;
      const f = r[col]! / top[col]!;
      for (let j = col; j <= n; j++) r[j] = r[j]! - f * top[j]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row--) {
    const r = m[row]!;
    let s = r[n]!;
    for (let j = row + 1; j < n; j++) s -= r[j]! * x[j]!;
    x[row] = s / r[row]!;
  }
  return x;
}
