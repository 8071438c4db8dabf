// The metrics of one group of rows: selection rate, true and false positive rates, accuracy and AUC
// (classification), or mean prediction, RMSE and MAE (regression), from the engine's own metrics.
import { mae } from '../metrics/mae.js';
import { rmse } from '../metrics/rmse.js';
import { rocAuc } from '../metrics/roc-auc.js';

/** JSON-serialisable: a metric a task or group cannot have is null. */
export interface GroupMetrics {
  count: number;
  /** count over every row sliced. */
  share: number;
  /** Rows whose true class is the positive class; null for regression. */
  positives: number | null;
  /** Share predicted as the positive class (classification); the mean prediction (regression). */
  selectionRate: number | null;
  /** TP / (TP + FN); 0 when the group has no positives, as fairlearn's `true_positive_rate`. */
  truePositiveRate: number | null;
  /** FP / (FP + TN); 0 when the group has no negatives. */
  falsePositiveRate: number | null;
  accuracy: number | null;
  /** ROC AUC of the positive class's score; null with one class in the group or without scores. */
  auc: number | null;
  rmse: number | null;
  mae: number | null;
}

/** The rows of a task as numbers: class codes (the positive class is 1) or values. */
export interface ScoredRows {
  task: 'classification' | 'regression';
  /** Classification: 1 for the positive class, 0 otherwise; regression: the value. */
  truth: Float64Array;
  /** Classification: 1 when predicted positive; regression: the prediction. */
  predicted: Float64Array;
  /** Classification: the true class code per row; regression: unused. */
  trueClass: Int32Array;
  /** Classification: the predicted class code per row. */
  predictedClass: Int32Array;
  /** Classification: P(positive class) per row, for AUC; undefined without scores. */
  scores: Float64Array | undefined;
}

export function groupMetrics(rows: ScoredRows, members: Int32Array, total: number): GroupMetrics {
  const n = members.length;
  const pick = (from: ArrayLike<number>) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = from[members[i]!]!;
    return out;
  };
  const empty: GroupMetrics = {
    count: n,
    share: total === 0 ? 0 : n / total,
    positives: null,
    selectionRate: null,
    truePositiveRate: null,
    falsePositiveRate: null,
    accuracy: null,
    auc: null,
    rmse: null,
    mae: null,
  };
  if (n === 0) return empty;
  const truth = pick(rows.truth);
  const predicted = pick(rows.predicted);
  if (rows.task === 'regression') {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += predicted[i]!;
    return { ...empty, selectionRate: sum / n, rmse: rmse(truth, predicted), mae: mae(truth, predicted) };
  }
  let tp = 0;
  let fp = 0;
  let positives = 0;
  for (let i = 0; i < n; i++) {
    if (truth[i] === 1) {
      positives++;
      if (predicted[i] === 1) tp++;
    } else if (predicted[i] === 1) fp++;
  }
  const negatives = n - positives;
  let auc: number | null = null;
  if (rows.scores !== undefined && positives > 0 && negatives > 0) auc = rocAuc(truth, pick(rows.scores));
  return {
    ...empty,
    positives,
    selectionRate: (tp + fp) / n,
    truePositiveRate: positives === 0 ? 0 : tp / positives,
    falsePositiveRate: negatives === 0 ? 0 : fp / negatives,
    accuracy: exactMatches(rows, members) / n,
    auc,
  };
}

/** Rows whose predicted class is the true one: every class counts, not only the positive one (multiclass). */
function exactMatches(rows: ScoredRows, members: Int32Array): number {
  let correct = 0;
  for (const row of members) if (rows.trueClass[row] === rows.predictedClass[row]) correct++;
  return correct;
}
