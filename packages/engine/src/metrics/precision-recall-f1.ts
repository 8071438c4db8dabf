// The averaging shared by precision, recall and F1 (scikit-learn's precision_recall_fscore_support).
import { checkBinaryTruth, thresholdPredictions } from './class-labels.js';
import { checkInputs } from './check-inputs.js';
import { classTallies } from './class-tallies.js';

/**
 * `binary`: the score of class 1, with probabilities (or 0/1 labels) above 0.5 predicting class 1.
 * `macro`: the unweighted mean over classes; `weighted`: the mean weighted by each class's support;
 * `micro`: from counts summed over classes (for single-label multiclass input it equals accuracy).
 */
export type Average = 'binary' | 'macro' | 'weighted' | 'micro';

export interface ClassificationMetricOptions {
  /** Default `binary`. The multiclass averages take class codes (non-negative integers) in both vectors. */
  average?: Average;
  /** Multiclass only: average over classes `0..nClasses-1` even if absent (scikit-learn's `labels=range(n)`). */
  nClasses?: number;
}

/** A per-class score from true positives, predicted count and actual count (0 where 0/0, as scikit-learn). */
export type ClassScore = (truePositives: number, predicted: number, actual: number) => number;

export function averagedScore(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  score: ClassScore,
  opts: ClassificationMetricOptions = {},
): number {
  const n = checkInputs(yTrue, yPred);
  const average = opts.average ?? 'binary';
  if (average === 'binary') {
    checkBinaryTruth(yTrue);
    const labels = thresholdPredictions(yPred);
    let tp = 0;
    let predicted = 0;
    let actual = 0;
    for (let i = 0; i < n; i++) {
      predicted += labels[i]!;
      actual += yTrue[i]!;
      if (labels[i] === 1 && yTrue[i] === 1) tp++;
    }
    return score(tp, predicted, actual);
  }
  const { labels, truePositives, predicted, actual } = classTallies(yTrue, yPred, opts.nClasses);
  if (average === 'micro') {
    let tp = 0;
    let pred = 0;
    let act = 0;
    for (let c = 0; c < labels.length; c++) {
      tp += truePositives[c]!;
      pred += predicted[c]!;
      act += actual[c]!;
    }
    return score(tp, pred, act);
  }
  let sum = 0;
  let weights = 0;
  for (let c = 0; c < labels.length; c++) {
    const weight = average === 'weighted' ? actual[c]! : 1;
    sum += weight * score(truePositives[c]!, predicted[c]!, actual[c]!);
    weights += weight;
  }
  return sum / weights;
}

export function safeRatio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}
