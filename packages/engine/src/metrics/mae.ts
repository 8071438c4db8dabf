// Mean absolute error.
import { checkLengths } from './check-lengths.js';

export function mae(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = checkLengths(yTrue, yPred);
  if (n === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.abs(yTrue[i]! - yPred[i]!);
  return sum / n;
}
