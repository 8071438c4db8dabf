// Root mean squared error.
import { checkLengths } from './check-lengths.js';

export function rmse(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = checkLengths(yTrue, yPred);
  if (n === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = yTrue[i]! - yPred[i]!;
    sum += d * d;
  }
  return Math.sqrt(sum / n);
}
