// Argument checks for the metrics that take an n × k row-major matrix of class probabilities.
import { EngineError } from '../errors.js';
import { checkFinite, checkNotEmpty } from './check-inputs.js';
import { checkClassCodes, checkClassCount } from './class-labels.js';

export function checkProbabilityMatrix(
  yTrue: ArrayLike<number>,
  probs: ArrayLike<number>,
  k: number,
): { n: number; labels: Int32Array } {
  checkClassCount('k', k, 2);
  const n = yTrue.length;
  if (probs.length !== n * k) {
    throw new EngineError('length_mismatch', `probs has ${probs.length} values, expected ${n} rows × ${k}`, {
      yTrue: n,
      probs: probs.length,
    });
  }
  checkNotEmpty(n);
  checkFinite('yTrue', yTrue);
  checkFinite('probs', probs);
  return { n, labels: checkClassCodes('yTrue', yTrue, k) };
}
