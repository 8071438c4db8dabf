// The holdout metrics a training run reports, keeping only those defined on the holdout.
import { EngineError } from '../errors.js';
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
          auc: ifDefined(rocAuc, yTrue, yPred),
          pr_auc: ifDefined(prAuc, yTrue, yPred),
          logloss: ifDefined(logLoss, yTrue, yPred),
          accuracy: ifDefined(accuracy, yTrue, yPred),
        }
      : { rmse: ifDefined(rmse, yTrue, yPred), mae: ifDefined(mae, yTrue, yPred), r2: ifDefined(r2, yTrue, yPred) };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => Number.isFinite(value)));
}

/** The metric, or NaN (left out above) where it is undefined: no test rows, one class, a single row for R². */
function ifDefined(
  metric: (yTrue: Float64Array, yPred: Float64Array) => number,
  yTrue: Float64Array,
  yPred: Float64Array,
): number {
  try {
    return metric(yTrue, yPred);
  } catch (error) {
    if (error instanceof EngineError && error.code === 'undefined_metric') return Number.NaN;
    throw error;
  }
}
