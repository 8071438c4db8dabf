// Weighted elastic-net coordinate descent (glmnet's naive updates), the inner solver of every GLM family.
import { addProduct, type BlockPart, type DesignMatrix } from '../preprocess/design-matrix.js';
import { Anderson } from './anderson.js';
import { blockShift } from './block-shift.js';

/**
 * Minimises (1/2n) * sum_i w_i (z_i - b0 - x_i.b)^2 + lambda * (alpha*|b|_1 + (1-alpha)/2 * |b|^2) with b0 unpenalised.
 * Gaussian calls it once with w = 1; binomial calls it per IRLS step with the working response and weights.
 */
export interface WeightedProblem {
  x: DesignMatrix;
  z: Float64Array;
  w: Float64Array;
  lambda: number;
  alpha: number;
}

export interface Coefficients {
  intercept: number;
  beta: Float64Array;
}

export interface DescentResult {
  sweeps: number;
  converged: boolean;
}

/**
 * Updates `coef` in place (warm start); stops when the largest weighted squared coefficient change of a full sweep,
 * max_j (1/n) sum_i w_i (x_ij - m_j)^2 * db_j^2, drops below `threshold`.
 *
 * Each slope is updated as if its column were centred by its weighted mean m_j, with the intercept absorbing the
 * centring, which decouples intercept and slopes (glmnet standardises for the same reason). The centring is never
 * materialised: the solver keeps rho = z - X b and b0 separately (residual r = rho - b0), so one-hot blocks stay codes. Every sweep ends with a whole-block step per one-hot block, and every few sweeps an
 * Anderson extrapolation is tried and kept only if it lowers the objective.
 */
export function coordinateDescent(
  problem: WeightedProblem,
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
  const beta = coef.beta;

  // Plain loops over typed arrays throughout: this is the engine's hottest kernel.
  let sumW = 0;
  for (let i = 0; i < n; i++) sumW += w[i]!;
  const means = new Float64Array(p);
  const xv = new Float64Array(p);
  /** Per block: S_k = sum of weights of the rows in category k. */
  const blockWeights = new Map<BlockPart, Float64Array>();
  for (const part of x.parts) {
    if (part.kind === 'dense') {
      const values = part.values;
      let s = 0;
      for (let i = 0; i < n; i++) s += w[i]! * values[i]!;
      const m = sumW > 0 ? s / sumW : 0;
      let v = 0;
      for (let i = 0; i < n; i++) v += w[i]! * (values[i]! - m) ** 2;
      means[part.index] = m;
      xv[part.index] = v / n;
    } else {
      const weights = new Float64Array(part.size);
      const codes = part.codes;
      for (let i = 0; i < n; i++) {
        const c = codes[i]!;
        if (c >= 0) weights[c] = weights[c]! + w[i]!;
      }
      for (let k = 0; k < part.size; k++) {
        const inside = weights[k]!;
        const m = sumW > 0 ? inside / sumW : 0;
        // An indicator's ones contribute (1 - m)^2 each, its zeros m^2.
        means[part.start + k] = m;
        xv[part.start + k] = (inside * (1 - m) ** 2 + (sumW - inside) * m * m) / n;
      }
      blockWeights.set(part, weights);
    }
  }

  let b0 = coef.intercept;
  let rho = fittedResidual(x, z, beta);
  let sumWRho = 0;

  // Tied columns (see preprocess/find-tied-columns.ts): the loss sees only T = sum_k s_k b_k, so under a pure ridge
  // penalty the optimum splits T in proportion to the scales, b_k = s_k T / sum s^2. Coordinate steps would only
  // creep there at a rate set by lambda; this step lands there exactly. (With an l1 part the split is not
  // proportional, and coordinate descent is left to find it.)
  const tied = l1 === 0 && l2 > 0 ? (x.tied ?? []) : [];
  const located = new Map<number, Float64Array | { codes: Int32Array; k: number }>();
  for (const part of x.parts) {
    if (part.kind === 'dense') located.set(part.index, part.values);
    else for (let k = 0; k < part.size; k++) located.set(part.start + k, { codes: part.codes, k });
  }
  const moveColumn = (j: number, d: number): void => {
    beta[j] = beta[j]! + d;
    const column = located.get(j)!;
    if (column instanceof Float64Array) {
      for (let i = 0; i < n; i++) rho[i] = rho[i]! - d * column[i]!;
    } else {
      const { codes, k } = column;
      for (let i = 0; i < n; i++) if (codes[i] === k) rho[i] = rho[i]! - d;
    }
    sumWRho -= d * means[j]! * sumW;
    b0 -= means[j]! * d;
  };

  const objective = (res: Float64Array, intercept: number, b: Float64Array): number => {
    let loss = 0;
    for (let i = 0; i < n; i++) loss += w[i]! * (res[i]! - intercept) ** 2;
    let a1 = 0;
    let a2 = 0;
    for (let j = 0; j < p; j++) {
      a1 += Math.abs(b[j]!);
      a2 += b[j]! * b[j]!;
    }
    return loss / (2 * n) + l1 * a1 + (l2 / 2) * a2;
  };
  const anderson = new Anderson();
  const iterate = new Float64Array(p + 1);
  const maxSize = Math.max(0, ...x.parts.map((part) => (part.kind === 'block' ? part.size : 0)));
  const acc = new Float64Array(maxSize);
  const delta = new Float64Array(maxSize);

  let sweeps = 0;
  let converged = false;
  let previousChange = Infinity;
  while (sweeps < maxSweeps) {
    sweeps++;
    let maxChange = 0;
    // Recomputed each sweep so that round-off in the running update cannot build up.
    sumWRho = 0;
    for (let i = 0; i < n; i++) sumWRho += w[i]! * rho[i]!;

    const dc = sumW > 0 ? (sumWRho - b0 * sumW) / sumW : 0;
    if (dc !== 0) {
      b0 += dc;
      maxChange = Math.max(maxChange, (sumW / n) * dc * dc);
    }

    for (const part of x.parts) {
      if (part.kind === 'dense') {
        const j = part.index;
        const values = part.values;
        const v = xv[j]!;
        const old = beta[j]!;
        let d: number;
        if (v === 0) {
          // A constant column carries no information; the penalty sends its coefficient to zero.
          d = -old;
        } else {
          let g = 0;
          for (let i = 0; i < n; i++) g += w[i]! * values[i]! * rho[i]!;
          g = (g - means[j]! * sumWRho) / n + v * old;
          d = softThreshold(g, l1) / (v + l2) - old;
        }
        if (d === 0) continue;
        beta[j] = old + d;
        for (let i = 0; i < n; i++) rho[i] = rho[i]! - d * values[i]!;
        sumWRho -= d * means[j]! * sumW;
        b0 -= means[j]! * d;
        maxChange = Math.max(maxChange, v * d * d);
        continue;
      }

      // A block's columns have disjoint rows, so updating one leaves the others' sum(w x rho) unchanged: one pass
      // gathers them all, the coordinate updates run on those sums, one more pass applies the changes to rho.
      const { start, size, codes } = part;
      const weights = blockWeights.get(part)!;
      acc.fill(0, 0, size);
      delta.fill(0, 0, size);
      for (let i = 0; i < n; i++) {
        const c = codes[i]!;
        if (c >= 0) acc[c] = acc[c]! + w[i]! * rho[i]!;
      }
      const shift = (k: number, d: number): void => {
        beta[start + k] = beta[start + k]! + d;
        delta[k] = delta[k]! + d;
        acc[k] = acc[k]! - d * weights[k]!;
        sumWRho -= d * weights[k]!;
        b0 -= means[start + k]! * d;
      };
      for (let k = 0; k < size; k++) {
        const j = start + k;
        const v = xv[j]!;
        const old = beta[j]!;
        const d = v === 0 ? -old : softThreshold((acc[k]! - means[j]! * sumWRho) / n + v * old, l1) / (v + l2) - old;
        if (d === 0) continue;
        shift(k, d);
        maxChange = Math.max(maxChange, v * d * d);
      }
      // Whole-block step (only with a ridge part, which makes the optimum unique along the block direction; a pure
      // lasso can have a flat valley there).
      if (l2 > 0 && size > 1) {
        let inside = 0;
        let ur = 0;
        for (let k = 0; k < size; k++) {
          inside += weights[k]!;
          ur += acc[k]! - means[start + k]! * sumWRho;
        }
        const curvature = sumW > 0 ? (inside * (1 - inside / sumW)) / n : 0;
        const t = blockShift(beta.subarray(start, start + size), curvature, ur / n, l1, l2);
        if (t !== 0) {
          for (let k = 0; k < size; k++) {
            shift(k, t);
            maxChange = Math.max(maxChange, xv[start + k]! * t * t);
          }
        }
      }
      for (let i = 0; i < n; i++) {
        const c = codes[i]!;
        if (c >= 0) rho[i] = rho[i]! - delta[c]!;
      }
    }

    maxChange = Math.max(
      maxChange,
      rebalanceTied(tied, beta, moveColumn, (j) => xv[j]!),
    );

    onSweep?.(sweeps);
    // Linear convergence with step ratio q leaves about step * q / (1 - q) to go: stop on that estimate, so that a
    // slowly converging (near-collinear) problem is not mistaken for a converged one.
    const q = Math.min(0.999, Math.sqrt(maxChange / previousChange));
    previousChange = maxChange;
    if (maxChange * Math.max(1, (q / (1 - q)) ** 2) < threshold) {
      converged = true;
      break;
    }

    // Extrapolate in the centred parametrisation (c = b0 + sum_j m_j b_j), where the iteration is smooth.
    let c = b0;
    for (let j = 0; j < p; j++) c += means[j]! * beta[j]!;
    iterate[0] = c;
    iterate.set(beta, 1);
    const guess = anderson.push(iterate);
    if (guess !== null) {
      const guessBeta = guess.subarray(1);
      let guessB0 = guess[0]!;
      for (let j = 0; j < p; j++) guessB0 -= means[j]! * guessBeta[j]!;
      const guessRho = fittedResidual(x, z, guessBeta);
      if (objective(guessRho, guessB0, guessBeta) < objective(rho, b0, beta)) {
        beta.set(guessBeta);
        b0 = guessB0;
        rho = guessRho;
      }
    }
  }

  coef.intercept = b0;
  return { sweeps, converged };
}

/** z - X b, without the intercept. */
function fittedResidual(x: DesignMatrix, z: Float64Array, beta: Float64Array): Float64Array {
  const rho = Float64Array.from(z);
  addProduct(rho, x, beta, -1);
  return rho;
}

function softThreshold(value: number, bound: number): number {
  if (value > bound) return value - bound;
  if (value < -bound) return value + bound;
  return 0;
}

/**
 * Tied columns under a pure ridge: the loss sees only their scaled total, so each column moves to its share of it, in
 * proportion to its scale (the minimum-norm split). `move` applies a change to one coefficient; returns the largest
 * weighted squared change (`weight(j) * d^2`) for the convergence test.
 */
export function rebalanceTied(
  tied: { columns: number[]; scales: number[] }[],
  beta: Float64Array,
  move: (j: number, d: number) => void,
  weight: (j: number) => number,
): number {
  let maxChange = 0;
  for (const { columns, scales } of tied) {
    let total = 0;
    let squares = 0;
    columns.forEach((j, k) => {
      total += scales[k]! * beta[j]!;
      squares += scales[k]! * scales[k]!;
    });
    columns.forEach((j, k) => {
      const d = (scales[k]! * total) / squares - beta[j]!;
      if (d === 0) return;
      move(j, d);
      maxChange = Math.max(maxChange, weight(j) * d * d);
    });
  }
  return maxChange;
}
