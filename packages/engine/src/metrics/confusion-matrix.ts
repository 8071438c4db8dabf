// Confusion matrix, equal to scikit-learn's confusion_matrix(yTrue, yPred, labels=range(nClasses)).
import { checkLengths } from './check-lengths.js';
import { checkClassCodes, checkClassCount } from './class-labels.js';

export interface ConfusionMatrix {
  nClasses: number;
  /** Row-major nClasses × nClasses: `counts[t * nClasses + p]` rows of true class t predicted as p. */
  counts: Int32Array;
}

/** Codes outside `[0, nClasses)` throw `invalid_input` (scikit-learn would silently drop those rows). */
export function confusionMatrix(
  yTrue: ArrayLike<number>,
  yPredLabels: ArrayLike<number>,
  nClasses: number,
): ConfusionMatrix {
  const n = checkLengths(yTrue, yPredLabels);
  checkClassCount('nClasses', nClasses, 1);
  const t = checkClassCodes('yTrue', yTrue, nClasses);
  const p = checkClassCodes('yPredLabels', yPredLabels, nClasses);
  const counts = new Int32Array(nClasses * nClasses);
  for (let i = 0; i < n; i++) counts[t[i]! * nClasses + p[i]!]!++;
  return { nClasses, counts };
}
