// Shared argument check for metric functions.
import { EngineError } from '../errors.js';

export function checkLengths(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  if (yTrue.length !== yPred.length) {
    throw new EngineError('length_mismatch', `yTrue has ${yTrue.length} values, yPred ${yPred.length}`, {
      yTrue: yTrue.length,
      yPred: yPred.length,
    });
  }
  return yTrue.length;
}
