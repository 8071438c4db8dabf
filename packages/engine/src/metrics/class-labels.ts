// Turning metric inputs into class codes: 0/1 truths, thresholded probabilities, multiclass codes.
import { EngineError } from '../errors.js';

/** Checks that every truth is 0 or 1 (call after the finiteness check). */
export function checkBinaryTruth(yTrue: ArrayLike<number>): void {
  for (let i = 0; i < yTrue.length; i++) {
    const y = yTrue[i]!;
    if (y !== 0 && y !== 1) {
      throw new EngineError(
        'invalid_input',
        `yTrue[${i}] is ${y}; binary metrics take 0/1 truths (pass an average for multiclass)`,
        {
          argument: 'yTrue',
          index: i,
        },
      );
    }
  }
}

/** Class 1 where the probability (or 0/1 label) is above 0.5; exactly 0.5 predicts class 0, as in `accuracy`. */
export function thresholdPredictions(yPred: ArrayLike<number>): Int32Array {
  const labels = new Int32Array(yPred.length);
  for (let i = 0; i < yPred.length; i++) labels[i] = yPred[i]! > 0.5 ? 1 : 0;
  return labels;
}

/** Class codes as given: non-negative integers, below `nClasses` when that is given. */
export function checkClassCodes(argument: string, values: ArrayLike<number>, nClasses?: number): Int32Array {
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < 0 || (nClasses !== undefined && v >= nClasses)) {
      const range = nClasses === undefined ? 'a non-negative integer' : `an integer in [0, ${nClasses})`;
      throw new EngineError('invalid_input', `${argument}[${i}] is ${v}; a class code must be ${range}`, {
        argument,
        index: i,
      });
    }
    codes[i] = v;
  }
  return codes;
}

/** Checks a class count argument (at least `min` classes). */
export function checkClassCount(argument: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new EngineError('invalid_param', `${argument} must be an integer >= ${min}, got ${value}`, {
      [argument]: value,
    });
  }
}
