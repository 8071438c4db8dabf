// Screening for the lambda path (Tibshirani et al., "Strong rules for discarding predictors in lasso-type problems",
// 2012): which columns can be left out of the next fit, and which left-out columns the fit turned out to need.
import type { DesignMatrix } from '../preprocess/design-matrix.js';
import type { GlmCoefficients, GlmFamily } from './glm-fit.js';
import { linearPredictor } from './linear-predictor.js';
import { logSumExp } from './fit-multinomial.js';

/**
 * |x_j . (y - mu_k)| / n per column, the largest over outputs k: the loss gradient's size at a fit. A zero coefficient
 * is optimal exactly while this stays at or below lambda * alpha.
 */
export function gradientSizes(x: DesignMatrix, y: Float64Array, family: GlmFamily, fit: GlmCoefficients): Float64Array {
  const n = x.nRows;
  const sizes = new Float64Array(x.width);
  for (const residual of residuals(x, y, family, fit)) {
    for (const part of x.parts) {
      if (part.kind === 'dense') {
        let g = 0;
        for (let i = 0; i < n; i++) g += part.values[i]! * residual[i]!;
        sizes[part.index] = Math.max(sizes[part.index]!, Math.abs(g) / n);
      } else {
        const sums = new Float64Array(part.size);
        for (let i = 0; i < n; i++) {
          const c = part.codes[i]!;
          if (c >= 0) sums[c] = sums[c]! + residual[i]!;
        }
        for (let k = 0; k < part.size; k++) {
          const j = part.start + k;
          sizes[j] = Math.max(sizes[j]!, Math.abs(sums[k]!) / n);
        }
      }
    }
  }
  return sizes;
}

/**
 * The sequential strong rule: going from `previousLambda` to `lambda`, keep column j if it was non-zero or if
 * |gradient_j| >= alpha * (2 lambda - previousLambda). It can wrongly drop a column, which `violations` then catches.
 */
export function strongSet(
  sizes: Float64Array,
  nonZero: Uint8Array,
  lambda: number,
  previousLambda: number,
  alpha: number,
): Uint8Array {
  const bound = alpha * (2 * lambda - previousLambda);
  return Uint8Array.from(sizes, (g, j) => (nonZero[j] || g >= bound ? 1 : 0));
}

/** Left-out columns whose zero coefficient breaks the optimality condition |gradient_j| <= lambda * alpha. */
export function violations(sizes: Float64Array, keep: Uint8Array, lambda: number, alpha: number): number[] {
  // A relative slack, so that round-off at a column exactly on the boundary does not count.
  const bound = lambda * alpha * (1 + 1e-9);
  const out: number[] = [];
  sizes.forEach((g, j) => {
    if (!keep[j] && g > bound) out.push(j);
  });
  return out;
}

/** y - mu for each output: mu the fitted mean (gaussian), probability (binomial) or class probability. */
function residuals(x: DesignMatrix, y: Float64Array, family: GlmFamily, fit: GlmCoefficients): Float64Array[] {
  const etas = fit.coefficients.map((beta, k) => linearPredictor(x, fit.intercepts[k]!, beta));
  if (family === 'gaussian') return [etas[0]!.map((e, i) => y[i]! - e)];
  if (family === 'binomial') return [etas[0]!.map((e, i) => y[i]! - 1 / (1 + Math.exp(-e)))];
  const normaliser = new Float64Array(x.nRows);
  logSumExp(etas, normaliser);
  return etas.map((eta, k) => eta.map((e, i) => (y[i] === k ? 1 : 0) - Math.exp(e - normaliser[i]!)));
}
