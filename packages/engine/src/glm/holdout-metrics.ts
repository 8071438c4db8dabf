// The holdout metrics a training run reports, keeping only those defined on the holdout.
import { accuracy } from '../metrics/accuracy.js';
import { logLoss } from '../metrics/log-loss.js';
import { mae } from '../metrics/mae.js';
import { prAuc } from '../metrics/pr-auc.js';
import { r2 } from '../metrics/r2.js';
import { rmse } from '../metrics/rmse.js';
import { rocAuc } from '../metrics/roc-auc.js';

export function holdoutMetrics(
  task: 'classification' | 'regression',
  yTrue: Float64Array,
  yPred: Float64Array,
): Record<string, number> {
  const all: Record<string, number> =
    task === 'classification'
      ? {
          auc: rocAuc(yTrue, yPred),
          pr_auc: prAuc(yTrue, yPred),
          logloss: logLoss(yTrue, yPred),
          accuracy: accuracy(yTrue, yPred),
        }
      : { rmse: rmse(yTrue, yPred), mae: mae(yTrue, yPred), r2: r2(yTrue, yPred) };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => Number.isFinite(value)));
}
