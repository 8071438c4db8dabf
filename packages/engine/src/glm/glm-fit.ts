// The shapes every GLM family's fit takes and returns, kept apart so the family solvers do not import each other.

/** glmnet's floor on IRLS weights, which keeps near-separated rows from dominating. */
export const MIN_WEIGHT = 1e-5;

export type GlmFamily = 'gaussian' | 'binomial' | 'multinomial';

/** One linear predictor per output: gaussian and binomial have one, multinomial one per class (in class-code order). */
export interface GlmCoefficients {
  intercepts: number[];
  coefficients: Float64Array[];
}

export interface GlmFit extends GlmCoefficients {
  /** Total coordinate-descent sweeps. */
  iterations: number;
  converged: boolean;
}

export interface GlmFitOptions {
  family: GlmFamily;
  lambda: number;
  alpha: number;
  /** Cap on coordinate-descent sweeps per solve (binomial: per IRLS step; multinomial: per class and step). */
  maxIterations: number;
  /** Convergence threshold; gaussian scales it by the variance of y, as glmnet does by standardising y. */
  tolerance: number;
  /** Multinomial: the number of classes (y holds class codes 0..k-1). Defaults to the largest code + 1. */
  nClasses?: number;
  /** Warm start (e.g. the fit at the previous lambda of a path); copied, never modified. */
  start?: GlmCoefficients;
  onProgress?: (fraction: number) => void;
}

export function copyCoefficients(start: GlmCoefficients): GlmCoefficients {
  return { intercepts: [...start.intercepts], coefficients: start.coefficients.map((row) => Float64Array.from(row)) };
}
