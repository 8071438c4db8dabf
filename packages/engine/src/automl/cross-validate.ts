// k-fold cross-validation of any engine trainer: fold metrics, their mean and spread, out-of-fold predictions, and
// the final model trained on every row (k + 1 trainings).
import type { ModelArtifact } from '../artifact/model-artifact.js';
import { predictFrame } from '../artifact/predict-frame.js';
import { outputsPerRow } from '../artifact/stacked-features.js';
import { EngineError } from '../errors.js';
import type { Frame } from '../frame/frame.js';
import type { TrainOptions, TrainResult } from '../glm/train-glm-model.js';
import { encodeTarget } from '../preprocess/encode-target.js';
import { checkTarget } from '../training/check-target.js';
import type { Fold } from '../validation/fold.js';
import { kFold } from '../validation/k-fold.js';
import { stratifiedKFold } from '../validation/stratified-k-fold.js';
import type { CvResult } from './cv-result.js';
import { foldMetrics, gatherRows, scatterRows, summariseFolds } from './fold-metrics.js';

/** The options every engine trainer takes, as far as cross-validation touches them. */
export type CvTrainOptions = TrainOptions<{ seed?: number; testFraction?: number }>;

export interface CrossValidateOptions {
  /** Folds, an integer >= 2. Default 5. */
  k?: number;
  /** Seed of the (shuffled) fold assignment. Default: the trainer's `params.seed`, else 42. */
  seed?: number;
}

/**
 * Rows whose target is missing are dropped first, and a target the trainers refuse is refused the same way
 * (`checkTarget`). The rows are cut into k shuffled, seeded folds (stratified by class for classification). Each fold
 * model is `train` on the other folds' rows with the caller's options; it scores its held-out fold with predictFrame
 * and the trainers' holdout metrics. The final model is `train` on the whole frame with the same options.
 *
 * Every training uses `params.testFraction` when the caller sets it, else 0: all of its rows fit the model. Set it
 * only when the trainer needs an inner holdout (GLM lambda search, GBDT early stopping); a fold model then fits on
 * (1 - testFraction) of its k - 1 folds, and the final model on (1 - testFraction) of all rows.
 *
 * Throws `unseen_class` when a class has so few rows that some fold model never sees it.
 */
export function crossValidate<O extends CvTrainOptions, A extends ModelArtifact>(
  frame: Frame,
  train: (frame: Frame, options: O) => TrainResult<A>,
  options: O,
  cv: CrossValidateOptions = {},
): CvResult<A> {
  const { target, task } = options;
  const k = cv.k ?? 5;
  const seed = cv.seed ?? options.params?.seed ?? 42;
  if (!frame.has(target)) throw new EngineError('unknown_column', `Unknown target "${target}"`, { column: target });
  const encoded = encodeTarget(frame, target, task);
  checkTarget(frame, target, encoded);
  const { rows, y, classes } = encoded;
  const folds: Fold[] =
    classes === undefined
      ? kFold(rows.length, { k, shuffle: true, seed })
      : stratifiedKFold(Int32Array.from(y), { k, shuffle: true, seed });
  const outputs = outputsPerRow(classes);
  const trainOptions = {
    ...options,
    params: { ...options.params, testFraction: options.params?.testFraction ?? 0 },
  } as O;

  // Progress over k + 1 trainings, kept strictly increasing across their boundaries.
  const { onProgress } = options;
  let last = 0;
  const stage = (i: number) =>
    onProgress === undefined
      ? {}
      : {
          onProgress: (f: number) => {
            const overall = (i + f) / (k + 1);
            if (overall > last) onProgress((last = overall));
          },
        };

  const oof = new Float64Array(rows.length * outputs);
  const perFold: Record<string, number>[] = [];
  const foldTimes: number[] = [];
  folds.forEach((fold, f) => {
    const started = Date.now();
    const model = train(frame.take(gatherIndices(rows, fold.train)), { ...trainOptions, ...stage(f) }).artifact;
    const missing = (classes ?? []).filter((c) => !(model.classes ?? []).includes(c));
    if (missing.length > 0) {
      throw new EngineError(
        'unseen_class',
        `Class(es) ${missing.map((c) => `"${c}"`).join(', ')} of target "${target}" have too few rows for ${k}-fold ` +
          `cross-validation: fold ${f}'s model never sees them`,
        { column: target, classes: missing, fold: f },
      );
    }
    const predictions = predictFrame(model, frame.take(gatherIndices(rows, fold.test)));
    scatterRows(oof, fold.test, predictions, outputs);
    perFold.push(foldMetrics(task, outputs, gatherRows(y, fold.test, 1), predictions));
    foldTimes.push(Date.now() - started);
  });

  const started = Date.now();
  const { artifact } = train(frame, { ...trainOptions, ...stage(k) });
  const final = Date.now() - started;
  return {
    task,
    classes,
    k,
    seed,
    rows,
    y,
    folds,
    outputs,
    oof,
    foldMetrics: perFold,
    ...summariseFolds(perFold),
    oofMetrics: foldMetrics(task, outputs, y, oof),
    artifact,
    timings: { folds: foldTimes, final },
  };
}

/** rows[positions[i]]: frame row numbers of fold positions. */
function gatherIndices(rows: Int32Array, positions: Int32Array): Int32Array {
  const out = new Int32Array(positions.length);
  for (let i = 0; i < positions.length; i++) out[i] = rows[positions[i]!]!;
  return out;
}
