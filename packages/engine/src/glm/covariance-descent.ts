// Covariance-mode coordinate descent (glmnet's "covariance updates"): the same weighted elastic-net problem as
// coordinate-descent.ts, solved from the centred Gram matrix, so a sweep costs O(p^2) instead of O(n p).
import type { DesignMatrix } from '../preprocess/design-matrix.js';
import { Anderson } from './anderson.js';
import { blockShift } from './block-shift.js';
import { rebalanceTied, type Coefficients, type DescentResult, type WeightedProblem } from './coordinate-descent.js';
import type { WeightedGram } from './weighted-gram.js';

/**
 * With the intercept profiled out (b0 = zbar - m.b) the loss is (1/2n)(b'Cb - 2 q'b) + const, C the centred weighted
 * Gram and q = X~'W z~. The solver keeps s = q - C b, the centred residual correlations, updating it by one column
 * of C per coordinate step. Updates `coef` in place (warm start) and stops by the same rule as `coordinateDescent`.
 */
export function covarianceDescent(
  problem: WeightedProblem,
  gram: WeightedGram,
  coef: Coefficients,
  threshold: number,
  maxSweeps: number,
  onSweep?: (sweep: number) => void,
): DescentResult {
  const { x, z, w, lambda, alpha } = problem;
  const n = x.nRows;
  const p = x.width;
  const l1 = lambda * alpha;
  const l2 = lambda * (1 - alpha);
  const { sumW, means, matrix: c } = gram;
  const beta = coef.beta;

  let zbar = 0;
  for (let i = 0; i < n; i++) zbar += w[i]! * z[i]!;
  zbar = sumW > 0 ? zbar / sumW : 0;
  const q = centredCorrelations(x, z, w, zbar, means, sumW);
  const s = new Float64Array(p);
  const resetResiduals = (): void => {
    for (let j = 0; j < p; j++) {
      let t = q[j]!;
      const row = j * p;
      for (let k = 0; k < p; k++) t -= c[row + k]! * beta[k]!;
      s[j] = t;
    }
  };
  resetResiduals();
  const move = (j: number, d: number): void => {
    beta[j] = beta[j]! + d;
    const row = j * p;
    for (let k = 0; k < p; k++) s[k] = s[k]! - c[row + k]! * d;
  };

  // Per one-hot block: the sum of its columns of C, and its curvature along "add t to every coefficient".
  const blocks = x.parts.flatMap((part) => {
    if (part.kind !== 'block' || part.size < 2 || !(l2 > 0)) return [];
    const sum = new Float64Array(p);
    for (let k = 0; k < part.size; k++) {
      const row = (part.start + k) * p;
      for (let m = 0; m < p; m++) sum[m] = sum[m]! + c[row + m]!;
    }
    let curvature = 0;
    for (let k = 0; k < part.size; k++) curvature += sum[part.start + k]!;
    return [{ start: part.start, size: part.size, sum, curvature: curvature / n }];
  });
  const tied = l1 === 0 && l2 > 0 ? (x.tied ?? []) : [];

  const objective = (b: Float64Array): number => {
    let quadratic = 0;
    let linear = 0;
    let a1 = 0;
    let a2 = 0;
    for (let j = 0; j < p; j++) {
      const bj = b[j]!;
      if (bj === 0) continue;
      let cb = 0;
      const row = j * p;
      for (let k = 0; k < p; k++) cb += c[row + k]! * b[k]!;
      quadratic += bj * cb;
      linear += q[j]! * bj;
      a1 += Math.abs(bj);
      a2 += bj * bj;
    }
    return (quadratic - 2 * linear) / (2 * n) + l1 * a1 + (l2 / 2) * a2;
  };
  const anderson = new Anderson();

  let sweeps = 0;
  let converged = false;
  let previousChange = Infinity;
  while (sweeps < maxSweeps) {
    sweeps++;
    let maxChange = 0;
    for (let j = 0; j < p; j++) {
      const v = c[j * p + j]! / n;
      const old = beta[j]!;
      const d = v === 0 ? -old : softThreshold(s[j]! / n + v * old, l1) / (v + l2) - old;
      if (d === 0) continue;
      move(j, d);
      maxChange = Math.max(maxChange, v * d * d);
    }
    for (const block of blocks) {
      let ur = 0;
      for (let k = 0; k < block.size; k++) ur += s[block.start + k]!;
      const t = blockShift(beta.subarray(block.start, block.start + block.size), block.curvature, ur / n, l1, l2);
      if (t === 0) continue;
      for (let k = 0; k < block.size; k++) {
        const j = block.start + k;
        beta[j] = beta[j]! + t;
        maxChange = Math.max(maxChange, (c[j * p + j]! / n) * t * t);
      }
      for (let m = 0; m < p; m++) s[m] = s[m]! - block.sum[m]! * t;
    }
    // Tied columns under a pure ridge: their common total split in proportion to the scales.
    maxChange = Math.max(
      maxChange,
      rebalanceTied(tied, beta, move, (j) => c[j * p + j]! / n),
    );

    onSweep?.(sweeps);
    const ratio = Math.min(0.999, Math.sqrt(maxChange / previousChange));
    previousChange = maxChange;
    if (maxChange * Math.max(1, (ratio / (1 - ratio)) ** 2) < threshold) {
      converged = true;
      break;
    }
    const guess = anderson.push(beta);
    if (guess !== null && objective(guess) < objective(beta)) {
      beta.set(guess);
      resetResiduals();
    }
  }

  let b0 = zbar;
  for (let j = 0; j < p; j++) b0 -= means[j]! * beta[j]!;
  coef.intercept = b0;
  return { sweeps, converged };
}

/** q_j = sum_i w_i (x_ij - m_j)(z_i - zbar) = sum_i w_i x_ij z_i - sumW m_j zbar. */
function centredCorrelations(
  x: DesignMatrix,
  z: Float64Array,
  w: Float64Array,
  zbar: number,
  means: Float64Array,
  sumW: number,
): Float64Array {
  const n = x.nRows;
  const q = new Float64Array(x.width);
  for (const part of x.parts) {
    if (part.kind === 'dense') {
      let t = 0;
      const values = part.values;
      for (let i = 0; i < n; i++) t += w[i]! * values[i]! * z[i]!;
      q[part.index] = t;
    } else {
      const codes = part.codes;
      for (let i = 0; i < n; i++) {
        const k = codes[i]!;
        if (k >= 0) q[part.start + k] = q[part.start + k]! + w[i]! * z[i]!;
      }
    }
  }
  for (let j = 0; j < q.length; j++) q[j] = q[j]! - sumW * means[j]! * zbar;
  return q;
}

function softThreshold(value: number, bound: number): number {
  if (value > bound) return value - bound;
  if (value < -bound) return value + bound;
  return 0;
}
