// Per-class counts behind precision, recall, F1 and balanced accuracy.
import { checkClassCodes, checkClassCount } from './class-labels.js';

export interface ClassTallies {
  /** The classes counted, ascending. */
  labels: Int32Array;
  truePositives: Float64Array;
  /** Rows predicted as the class. */
  predicted: Float64Array;
  /** Rows that are the class (the support). */
  actual: Float64Array;
}

/**
 * Counts over the classes in `0..nClasses-1` when `nClasses` is given (scikit-learn's `labels=range(nClasses)`),
 * otherwise over the classes present in either vector (scikit-learn's default).
 */
export function classTallies(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, nClasses?: number): ClassTallies {
  if (nClasses !== undefined) checkClassCount('nClasses', nClasses, 1);
  const t = checkClassCodes('yTrue', yTrue, nClasses);
  const p = checkClassCodes('yPred', yPred, nClasses);
  let size = nClasses ?? 0;
  if (nClasses === undefined) for (let i = 0; i < t.length; i++) size = Math.max(size, t[i]! + 1, p[i]! + 1);
  const truePositives = new Float64Array(size);
  const predicted = new Float64Array(size);
  const actual = new Float64Array(size);
  for (let i = 0; i < t.length; i++) {
    actual[t[i]!]!++;
    predicted[p[i]!]!++;
    if (t[i] === p[i]) truePositives[t[i]!]!++;
  }
  const kept: number[] = [];
  for (let c = 0; c < size; c++) if (nClasses !== undefined || actual[c]! + predicted[c]! > 0) kept.push(c);
  const labels = Int32Array.from(kept);
  return {
    labels,
    truePositives: Float64Array.from(kept, (c) => truePositives[c]!),
    predicted: Float64Array.from(kept, (c) => predicted[c]!),
    actual: Float64Array.from(kept, (c) => actual[c]!),
  };
}
