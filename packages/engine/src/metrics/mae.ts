// Mean absolute error.
import { checkInputs } from './check-inputs.js';

export function mae(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = checkInputs(yTrue, yPred);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs(yTrue[i]! - yPred[i]!);
  return sum / n;
}
