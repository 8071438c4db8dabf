// Picks the inner solver for one weighted elastic-net problem: covariance updates when the Gram matrix is small, the
// naive residual updates otherwise (glmnet makes the same choice, by the same reasoning).
import type { DesignMatrix } from '../preprocess/design-matrix.js';
import {
  coordinateDescent,
  type Coefficients,
  type DescentResult,
  type WeightedProblem,
} from './coordinate-descent.js';
import { covarianceDescent } from './covariance-descent.js';
import { weightedGram, type WeightedGram } from './weighted-gram.js';

/** Above this many columns the p × p Gram costs more memory and time than sweeping the rows. */
const MAX_COVARIANCE_WIDTH = 500;

/** Unit-weight Grams by design: a gaussian lambda path reuses one for every lambda. */
const unitGrams = new WeakMap<DesignMatrix, WeightedGram>();

/**
 * A Gram costs about one pass over the rows per pair of design parts, after which a sweep costs O(p^2) instead of
 * O(n p); it pays off whenever there are more rows than columns and the matrix stays small.
 */
export function useCovariance(x: DesignMatrix): boolean {
  return x.width > 0 && x.width <= MAX_COVARIANCE_WIDTH && x.nRows >= x.width;
}

export function solveWeighted(
  problem: WeightedProblem,
  coef: Coefficients,
  threshold: number,
  maxSweeps: number,
  options: { unitWeights?: boolean; onSweep?: (sweep: number) => void } = {},
): DescentResult {
  const { x, w } = problem;
  if (!useCovariance(x)) return coordinateDescent(problem, coef, threshold, maxSweeps, options.onSweep);
  let gram = options.unitWeights ? unitGrams.get(x) : undefined;
  if (gram === undefined) {
    gram = weightedGram(x, w);
    if (options.unitWeights) unitGrams.set(x, gram);
  }
  return covarianceDescent(problem, gram, coef, threshold, maxSweeps, options.onSweep);
}
