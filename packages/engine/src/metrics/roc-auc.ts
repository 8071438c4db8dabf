// Area under the ROC curve (binary), equal to scikit-learn's roc_auc_score, ties counted as half.
import { EngineError } from '../errors.js';
import { binaryAuc } from './binary-auc.js';
import { checkBinaryTruth } from './class-labels.js';
import { checkInputs } from './check-inputs.js';

/** yTrue is 0/1; one class in yTrue throws `undefined_metric`, as scikit-learn raises there. */
export function rocAuc(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  const n = checkInputs(yTrue, yPred);
  checkBinaryTruth(yTrue);
  const auc = binaryAuc(
    n,
    (i) => yTrue[i] === 1,
    (i) => yPred[i]!,
  );
  if (Number.isNaN(auc)) throw new EngineError('undefined_metric', 'ROC AUC needs both classes in yTrue');
  return auc;
}
