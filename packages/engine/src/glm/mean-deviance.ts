// How far a fit's linear predictors are from the targets, per row: what the lambda path compares fits by.
import type { DesignMatrix } from '../preprocess/design-matrix.js';
import type { GlmCoefficients, GlmFamily } from './glm-fit.js';
import { linearPredictor } from './linear-predictor.js';
import { multinomialLoss } from './fit-multinomial.js';

/** Gaussian: mean squared error; binomial and multinomial: 2 × mean log loss (the deviance over n). NaN with no rows. */
export function meanDeviance(family: GlmFamily, x: DesignMatrix, y: Float64Array, fit: GlmCoefficients): number {
  const n = y.length;
  if (n === 0) return Number.NaN;
  const etas = fit.coefficients.map((beta, k) => linearPredictor(x, fit.intercepts[k]!, beta));
  if (family === 'multinomial') return 2 * multinomialLoss(y, etas);
  const eta = etas[0]!;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = eta[i]!;
    if (family === 'gaussian') {
      sum += (y[i]! - e) ** 2;
    } else {
      // log(1 + exp(e)) - y e, written so that it cannot overflow.
      const softplus = e > 0 ? e + Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e));
      sum += 2 * (softplus - y[i]! * e);
    }
  }
  return sum / n;
}
