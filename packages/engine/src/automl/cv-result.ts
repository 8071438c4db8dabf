// What a cross-validation returns: fold metrics and their summary, out-of-fold predictions, and the final model.
import type { ModelArtifact } from '../artifact/model-artifact.js';
import type { Fold } from '../validation/fold.js';

/** Out-of-fold predictions of one model: what a stacked ensemble's meta-learner is fitted on. */
export interface OutOfFold {
  task: 'classification' | 'regression';
  /** Sorted class labels (classification), the models' class order; undefined for regression. */
  classes: string[] | undefined;
  /** The frame rows used (those with a target), ascending: position i of `y` and `oof` is frame row rows[i]. */
  rows: Int32Array;
  /** The target per position: the class index into `classes`, or the value. */
  y: Float64Array;
  /** Seed of the (shuffled) fold assignment. */
  seed: number;
  /** The folds, as positions into `rows` (not frame rows). */
  folds: Fold[];
  /** Values per position in `oof`: k class probabilities over k > 2 classes, else 1. */
  outputs: number;
  /**
   * Row-major, `outputs` per position, each predicted by the fold model that did not see the row: P(classes[1]) for a
   * binary model, P(each class) in `classes` order over more classes, the value for regression (as predictFrame).
   */
  oof: Float64Array;
}

export interface CvResult<A extends ModelArtifact = ModelArtifact> extends OutOfFold {
  k: number;
  /** Each fold's held-out metrics, the same names and functions as a trainer's holdout metrics. */
  foldMetrics: Record<string, number>[];
  /** Mean over the folds of every metric that each fold reports. */
  mean: Record<string, number>;
  /** Sample standard deviation (divisor k - 1) over the folds, for the same metrics as `mean`. */
  std: Record<string, number>;
  /** The same metrics over every out-of-fold prediction at once (H2O's "cross-validation metrics"). */
  oofMetrics: Record<string, number>;
  /** The final model, trained on every row. */
  artifact: A;
  /** Wall-clock milliseconds of each fold's training (with its scoring) and of the final training. */
  timings: { folds: number[]; final: number };
}
