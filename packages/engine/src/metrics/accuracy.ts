// Share of correct labels when a positive-class probability above 0.5 predicts class 1 (0.5 itself predicts class 0).
import { checkLengths } from './check-lengths.js';

export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = checkLengths(yTrue, yPred);
  if (n === 0) return Number.NaN;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const label = yPred[i]! > 0.5 ? 1 : 0;
    if (label === (yTrue[i] === 1 ? 1 : 0)) correct++;
  }
  return correct / n;
}
