// Mean absolute percentage error, equal to scikit-learn's mean_absolute_percentage_error (a fraction, not %).
import { checkInputs } from './check-inputs.js';

/**
 * |yPred - yTrue| / max(|yTrue|, 2^-52) averaged: a zero target does not throw but divides by float64 epsilon,
 * so one miss on a zero target gives an enormous value (scikit-learn's documented behaviour).
 */
export function mape(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = checkInputs(yTrue, yPred);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs(yPred[i]! - yTrue[i]!) / Math.max(Math.abs(yTrue[i]!), Number.EPSILON);
  return sum / n;
}
