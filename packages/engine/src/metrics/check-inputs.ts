// Argument checks shared by the metrics: equal lengths, at least one row, finite values.
import { EngineError } from '../errors.js';
import { checkLengths } from './check-lengths.js';

/** Throws `invalid_input` naming the first NaN or infinite value (scikit-learn rejects both). */
export function checkFinite(argument: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      throw new EngineError('invalid_input', `${argument}[${i}] is ${values[i]}; metrics need finite values`, {
        argument,
        index: i,
      });
    }
  }
}

/**
 * Throws `undefined_metric` for zero rows. scikit-learn raises for most metrics, returns NaN for the accuracies and
 * 0 with a warning for precision, recall and F1; we treat them all alike.
 */
export function checkNotEmpty(n: number): void {
  if (n === 0) throw new EngineError('undefined_metric', 'A metric of zero rows is not defined');
}

/** Lengths, emptiness and finiteness of a (truth, prediction) pair; returns the row count. */
export function checkInputs(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = checkLengths(yTrue, yPred);
  checkNotEmpty(n);
  checkFinite('yTrue', yTrue);
  checkFinite('yPred', yPred);
  return n;
}
