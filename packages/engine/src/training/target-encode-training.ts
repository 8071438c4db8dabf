// Fits target encoding on the training rows and adds its numeric columns: out of fold for training, full for holdout.
import type { TargetEncodedColumn, TargetEncoding } from '../artifact/model-artifact.js';
import type { Column } from '../frame/column.js';
import { Frame } from '../frame/frame.js';
import { targetEncodeFrame } from '../preprocess/apply-target-encoding.js';
import type { ResolvedEncodingParams } from '../preprocess/encoding-params.js';
import { categoryIndices } from '../preprocess/feature-values.js';
import { MAX_CATEGORIES, usedCategories } from '../preprocess/fit-preprocessing.js';
import { outOfFoldMeans, smoothedMeans } from '../preprocess/smoothed-means.js';
import type { Fold } from '../validation/fold.js';
import { kFold } from '../validation/k-fold.js';
import { stratifiedKFold } from '../validation/stratified-k-fold.js';

export interface TargetEncodedTraining {
  /** Undefined when no feature is target-encoded (then nothing else changed). */
  targetEncoding: TargetEncoding | undefined;
  /** The frames with the output columns added: out-of-fold values for training, the full mapping for the holdout. */
  trainFrame: Frame;
  testFrame: Frame;
  /** The model columns: the features, each encoded one replaced by its outputs. */
  featureNames: string[];
}

export interface TargetEncodingInput {
  trainFrame: Frame;
  testFrame: Frame;
  featureNames: string[];
  /** Class codes (classification) or values (regression) of the training rows. */
  yTrain: Float64Array;
  classes: string[] | undefined;
  /** Names the output columns must not take (the target and every other column). */
  taken: string[];
}

/** Salt for the fold draw, so it differs from the holdout split drawn with the same seed. */
const FOLD_SALT = 0x7e5a3c1b;

export function targetEncodeTraining(
  input: TargetEncodingInput,
  params: ResolvedEncodingParams,
  seed: number,
): TargetEncodedTraining {
  const { trainFrame, testFrame, featureNames, yTrain, classes } = input;
  const chosen = featureNames.filter((name) => {
    const column = trainFrame.column(name);
    if (column.kind !== 'category' || params.categoricalEncoding === 'native') return false;
    if (params.categoricalEncoding === 'target') return true;
    // auto: many categories that repeat; an identifier (a value for every other row or more) is left to be dropped.
    const distinct = usedCategories(column).length;
    return distinct > MAX_CATEGORIES && distinct <= trainFrame.nRows / 2;
  });
  if (chosen.length === 0) return { targetEncoding: undefined, trainFrame, testFrame, featureNames };

  const targets = outputTargets(yTrain, classes);
  const folds = outOfFoldSplits(yTrain, classes, params.targetFolds, seed);
  const taken = new Set([...input.taken, ...featureNames]);
  const columns: TargetEncodedColumn[] = [];
  const trainColumns: Column[] = [];
  for (const feature of chosen) {
    const column = trainFrame.column(feature);
    if (column.kind !== 'category') continue;
    const categories = usedCategories(column);
    const codes = categoryIndices(trainFrame, { name: feature, type: 'category', categories });
    const outputs = targets.map(({ label, y }) => {
      const full = smoothedMeans(codes, y, allRows(y.length), categories.length, params.targetSmoothing, 0);
      const name = freeName(targets.length === 1 ? `${feature}:target` : `${feature}:target=${label}`, taken);
      trainColumns.push({
        kind: 'number',
        name,
        values: outOfFoldMeans(codes, y, folds, categories.length, params.targetSmoothing, full.prior),
      });
      return {
        name,
        ...(label === undefined ? {} : { class: label }),
        prior: full.prior,
        values: Array.from(full.values),
      };
    });
    columns.push({ feature, categories, outputs });
  }
  const targetEncoding: TargetEncoding = {
    version: 1,
    smoothing: params.targetSmoothing,
    folds: folds.length,
    columns,
  };
  const byFeature = new Map(columns.map((c) => [c.feature, c.outputs.map((o) => o.name)]));
  return {
    targetEncoding,
    trainFrame: withColumns(trainFrame, trainColumns),
    testFrame: targetEncodeFrame(targetEncoding, testFrame),
    featureNames: featureNames.flatMap((name) => byFeature.get(name) ?? [name]),
  };
}

/** Regression: y itself; binary: the 0/1 code, i.e. P(classes[1]); more classes: one indicator per class. */
function outputTargets(y: Float64Array, classes: string[] | undefined): { label?: string; y: Float64Array }[] {
  if (classes === undefined) return [{ y }];
  if (classes.length === 2) return [{ label: classes[1]!, y }];
  return classes.map((label, c) => ({ label, y: y.map((v) => (v === c ? 1 : 0)) }));
}

/**
 * Shuffled, seeded folds (stratified by class for classification, as scikit-learn's TargetEncoder does); fewer when
 * there are fewer rows than folds, none below two rows.
 */
function outOfFoldSplits(y: Float64Array, classes: string[] | undefined, k: number, seed: number): Fold[] {
  const folds = Math.min(k, y.length);
  if (folds < 2) return [];
  const options = { k: folds, shuffle: true, seed: (seed ^ FOLD_SALT) >>> 0 };
  if (classes === undefined) return kFold(y.length, options);
  const labels = Int32Array.from(y);
  const counts = new Int32Array(classes.length);
  for (const c of labels) counts[c]!++;
  // stratifiedKFold refuses when every class is smaller than k; plain folds still keep rows out of their own fit.
  return Math.max(...counts) >= folds ? stratifiedKFold(labels, options) : kFold(y.length, options);
}

function allRows(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

/** `name`, or `name` with a numeric suffix when it is taken; the result is taken from then on. */
function freeName(name: string, taken: Set<string>): string {
  let free = name;
  for (let i = 2; taken.has(free); i++) free = `${name}#${i}`;
  taken.add(free);
  return free;
}

function withColumns(frame: Frame, added: Column[]): Frame {
  return Frame.fromColumns([...frame.names.map((name) => frame.column(name)), ...added]);
}
