// F1 score, equal to scikit-learn's f1_score (0 where precision and recall are both 0 or undefined).
import { averagedScore, safeRatio, type ClassificationMetricOptions } from './precision-recall-f1.js';

/**
 * Per class 2·TP / (predicted + actual), the harmonic mean of precision and recall; macro and weighted average
 * those per-class scores (not the averaged precision and recall). Binary by default.
 */
export function f1(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, opts?: ClassificationMetricOptions): number {
  return averagedScore(yTrue, yPred, (tp, predicted, actual) => safeRatio(2 * tp, predicted + actual), opts);
}
