// Recall, equal to scikit-learn's recall_score (0 for a class with no true rows, where scikit-learn warns).
import { averagedScore, safeRatio, type ClassificationMetricOptions } from './precision-recall-f1.js';

/** Binary by default (class 1, probabilities above 0.5); see `Average` for the multiclass averages. */
export function recall(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, opts?: ClassificationMetricOptions): number {
  return averagedScore(yTrue, yPred, (tp, _predicted, actual) => safeRatio(tp, actual), opts);
}
