// Share of correct labels when a positive-class probability above 0.5 predicts class 1 (0.5 itself predicts class 0).
import { checkBinaryTruth } from './class-labels.js';
import { checkInputs } from './check-inputs.js';

export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = checkInputs(yTrue, yPred);
  checkBinaryTruth(yTrue);
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const label = yPred[i]! > 0.5 ? 1 : 0;
    if (label === yTrue[i]) correct++;
  }
  return correct / n;
}
