// Permutation importance (Breiman 2001; scikit-learn's permutation_importance): how much a metric worsens when one
// feature's values are shuffled across rows, breaking its link with the target, for any model behind a predict function.
import { EngineError } from '../errors.js';
import type { Column } from '../frame/column.js';
import { Frame } from '../frame/frame.js';
import { seededRandom, shuffle } from '../validation/random.js';
import type { AsyncPredictFunction, PredictFunction } from './predict-function.js';
import { runScoringSteps, runScoringStepsAsync, type ScoringSteps } from './scoring-steps.js';

export interface PermutationImportanceOptions {
  predict: PredictFunction;
  /** Rows to score: the features the model reads (extra columns are passed through untouched). */
  frame: Frame;
  /** What the metric compares predictions with, one value per frame row (e.g. class indices, or values). */
  target: ArrayLike<number>;
  /** Scores predictions against the target, e.g. `(y, p) => logLoss(y, p)`. */
  metric: (target: ArrayLike<number>, predictions: Float64Array) => number;
  /** Whether a larger metric is better (AUC, R²); false for losses (log loss, RMSE). */
  greaterIsBetter: boolean;
  /** Columns to permute one at a time; defaults to every frame column. */
  features?: string[];
  /** Shuffles per feature, each with its own permutation; default 5. */
  repeats?: number;
  /** Seed of the shuffles; default 0. */
  seed?: number;
}

/** The options without a scorer: what `permutationImportanceSteps` needs. */
export type PermutationImportanceSettings = Omit<PermutationImportanceOptions, 'predict'>;

export interface FeatureImportance {
  feature: string;
  /** Mean worsening of the metric over the repeats (positive: the model relies on the feature). */
  mean: number;
  /** Population standard deviation of the worsening over the repeats. */
  std: number;
  /** The worsening of each repeat. */
  values: number[];
}

export interface PermutationImportance {
  /** The metric on the unshuffled frame. */
  baseline: number;
  /** One entry per permuted feature, in the order given. */
  importances: FeatureImportance[];
}

/**
 * Worsening of `metric` when each feature is permuted: baseline − permuted when greater is better, permuted − baseline
 * otherwise, so a larger importance always means a more useful feature. Deterministic for a given seed.
 */
export function permutationImportance(options: PermutationImportanceOptions): PermutationImportance {
  return runScoringSteps(permutationImportanceSteps(options), options.predict);
}

/** `permutationImportance` with an asynchronous scorer: the same frames scored, the same numbers. */
export function permutationImportanceAsync(
  options: PermutationImportanceSettings & { predict: AsyncPredictFunction },
): Promise<PermutationImportance> {
  return runScoringStepsAsync(permutationImportanceSteps(options), options.predict);
}

/** The computation itself: yields the unshuffled frame, then one shuffled frame per feature and repeat. */
export function* permutationImportanceSteps(
  options: PermutationImportanceSettings,
): ScoringSteps<PermutationImportance> {
  const { frame, target, metric, greaterIsBetter } = options;
  const repeats = options.repeats ?? 5;
  const features = options.features ?? frame.names;
  if (!Number.isInteger(repeats) || repeats < 1) {
    throw new EngineError('invalid_param', 'repeats must be a positive integer', { repeats });
  }
  if (target.length !== frame.nRows) {
    throw new EngineError('length_mismatch', `target has ${target.length} values, expected ${frame.nRows}`, {
      length: target.length,
      expected: frame.nRows,
    });
  }
  const baseline = metric(target, yield frame);
  const random = seededRandom(options.seed ?? 0);
  const order = new Int32Array(frame.nRows);
  const importances: FeatureImportance[] = [];
  for (const feature of features) {
    const column = frame.column(feature);
    const values: number[] = [];
    for (let r = 0; r < repeats; r++) {
      for (let i = 0; i < order.length; i++) order[i] = i;
      shuffle(order, random);
      const shuffled = Frame.fromColumns(
        frame.names.map((name) => (name === feature ? permuted(column, order) : frame.column(name))),
      );
      const score = metric(target, yield shuffled);
      values.push(greaterIsBetter ? baseline - score : score - baseline);
    }
    const mean = values.reduce((s, v) => s + v, 0) / repeats;
    const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / repeats);
    importances.push({ feature, mean, std, values });
  }
  return { baseline, importances };
}

function permuted(column: Column, order: Int32Array): Column {
  if (column.kind === 'number') {
    const values = new Float64Array(order.length);
    for (let i = 0; i < order.length; i++) values[i] = column.values[order[i]!]!;
    return { ...column, values };
  }
  const codes = new Int32Array(order.length);
  for (let i = 0; i < order.length; i++) codes[i] = column.codes[order[i]!]!;
  return { ...column, codes };
}
