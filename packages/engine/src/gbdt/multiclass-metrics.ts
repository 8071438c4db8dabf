// The holdout metrics of a multiclass model, keeping only those defined on the holdout.
import { EngineError } from '../errors.js';
import { multiclassLogLoss } from '../metrics/multiclass-log-loss.js';
import { rocAucOvr } from '../metrics/roc-auc-ovr.js';

/** `accuracy` (argmax, ties to the first class), `logloss` and one-vs-rest macro `auc_ovr`; probs is n × k. */
export function multiclassMetrics(yTrue: Float64Array, probs: Float64Array, k: number): Record<string, number> {
  const n = yTrue.length;
  let correct = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (probs[i * k + c]! > probs[i * k + best]!) best = c;
    if (best === yTrue[i]) correct++;
  }
  const all: Record<string, number> = {
    accuracy: n === 0 ? Number.NaN : correct / n,
    logloss: ifDefined(() => multiclassLogLoss(yTrue, probs, k)),
    auc_ovr: ifDefined(() => rocAucOvr(yTrue, probs, k)),
  };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => Number.isFinite(value)));
}

function ifDefined(metric: () => number): number {
  try {
    return metric();
  } catch (error) {
    if (error instanceof EngineError && error.code === 'undefined_metric') return Number.NaN;
    throw error;
  }
}
