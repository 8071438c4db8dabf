// Precision, equal to scikit-learn's precision_score (0 where nothing is predicted, where scikit-learn warns).
import { averagedScore, safeRatio, type ClassificationMetricOptions } from './precision-recall-f1.js';

/** Binary by default (class 1, probabilities above 0.5); see `Average` for the multiclass averages. */
export function precision(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  opts?: ClassificationMetricOptions,
): number {
  return averagedScore(yTrue, yPred, (tp, predicted) => safeRatio(tp, predicted), opts);
}
