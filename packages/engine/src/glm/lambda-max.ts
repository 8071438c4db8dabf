// The start of a lambda path: the smallest penalty at which the elastic net keeps every coefficient at zero.
import type { DesignMatrix } from '../preprocess/design-matrix.js';
import type { GlmFamily } from './glm-fit.js';

/** glmnet's floor on alpha for the path's start, so that a ridge path (alpha = 0) starts at a finite lambda. */
const MIN_PATH_ALPHA = 1e-3;

/**
 * max over columns j and outputs k of |x_j . r_k| / (n * alpha), where r_k is the residual of the intercept-only
 * model (y - mean, or class indicator - class share): at lambda above it the zero vector meets the lasso optimality
 * conditions. r_k sums to zero, so the centred and uncentred columns give the same products.
 */
export function lambdaMax(x: DesignMatrix, y: Float64Array, family: GlmFamily, alpha: number, nClasses = 2): number {
  const n = x.nRows;
  if (n === 0) return 0;
  const residuals = nullResiduals(y, family, nClasses);
  let top = 0;
  for (const r of residuals) {
    for (const part of x.parts) {
      if (part.kind === 'dense') {
        let g = 0;
        for (let i = 0; i < n; i++) g += part.values[i]! * r[i]!;
        top = Math.max(top, Math.abs(g));
      } else {
        const sums = new Float64Array(part.size);
        for (let i = 0; i < n; i++) {
          const c = part.codes[i]!;
          if (c >= 0) sums[c] = sums[c]! + r[i]!;
        }
        for (const g of sums) top = Math.max(top, Math.abs(g));
      }
    }
  }
  return top / (n * Math.max(alpha, MIN_PATH_ALPHA));
}

function nullResiduals(y: Float64Array, family: GlmFamily, nClasses: number): Float64Array[] {
  const n = y.length;
  if (family !== 'multinomial') {
    const mean = y.reduce((s, v) => s + v, 0) / n;
    return [y.map((v) => v - mean)];
  }
  const shares = new Float64Array(nClasses);
  for (const c of y) shares[c] = shares[c]! + 1 / n;
  return Array.from(shares, (share, k) => y.map((c) => (c === k ? 1 : 0) - share));
}
