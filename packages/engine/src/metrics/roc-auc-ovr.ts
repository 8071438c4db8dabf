// Multiclass ROC AUC, one-vs-rest, macro average: scikit-learn's roc_auc_score(multi_class='ovr', labels=range(k)).
import { EngineError } from '../errors.js';
import { binaryAuc } from './binary-auc.js';
import { checkProbabilityMatrix } from './probability-matrix.js';

/**
 * `probs` is n × k row-major, one probability per class. Rows must sum to 1 within NumPy's `allclose` tolerance
 * (`invalid_input` otherwise, as scikit-learn raises). A class absent from yTrue (or the only one present) makes its
 * AUC undefined and throws `undefined_metric`. For k = 2 this is the binary AUC of column 1 (scikit-learn refuses a
 * two-column matrix for binary truths).
 */
export function rocAucOvr(yTrue: ArrayLike<number>, probs: ArrayLike<number>, k: number): number {
  const { n, labels } = checkProbabilityMatrix(yTrue, probs, k);
  for (let i = 0; i < n; i++) {
    let rowSum = 0;
    for (let c = 0; c < k; c++) rowSum += probs[i * k + c]!;
    if (!(Math.abs(1 - rowSum) <= 1e-8 + 1e-5 * Math.abs(rowSum))) {
      throw new EngineError('invalid_input', `probs row ${i} sums to ${rowSum}, not 1`, { index: i });
    }
  }
  let sum = 0;
  for (let c = 0; c < k; c++) {
    const auc = binaryAuc(
      n,
      (i) => labels[i] === c,
      (i) => probs[i * k + c]!,
    );
    if (Number.isNaN(auc)) {
      throw new EngineError('undefined_metric', `One-vs-rest ROC AUC of class ${c} needs it and another in yTrue`, {
        class: c,
      });
    }
    sum += auc;
  }
  return sum / k;
}
