// The start every trainer shares: check the target and features, encode the target, draw the seeded holdout.
import { EngineError } from '../errors.js';
import type { Frame } from '../frame/frame.js';
import { encodeTarget } from '../preprocess/encode-target.js';
import { holdoutSplit } from '../validation/holdout-split.js';

export interface PreparedTraining {
  featureNames: string[];
  /** Sorted class labels for classification; undefined for regression. */
  classes: string[] | undefined;
  trainFrame: Frame;
  testFrame: Frame;
  /** Targets as numbers: class codes for classification. */
  yTrain: Float64Array;
  yTest: Float64Array;
}

export function prepareTraining(
  frame: Frame,
  options: { target: string; task: 'classification' | 'regression'; features?: string[] | undefined },
  split: { testFraction: number; seed: number },
): PreparedTraining {
  const { target, task } = options;
  if (task !== 'classification' && task !== 'regression') {
    throw new EngineError('invalid_param', `task must be classification or regression`, { task });
  }
  if (!frame.has(target)) throw new EngineError('unknown_column', `Unknown target "${target}"`, { column: target });
  const featureNames = options.features ?? frame.names.filter((name) => name !== target);
  checkFeatureNames(frame, featureNames, target);

  const encoded = encodeTarget(frame, target, task);
  if (encoded.rows.length === 0) {
    throw new EngineError('empty_frame', `No rows with a value for target "${target}"`, { column: target });
  }
  const classes = encoded.classes;
  if (classes !== undefined && classes.length < 2) {
    throw new EngineError('single_class_target', `Target "${target}" has only one class`, { classes });
  }

  const holdout = holdoutSplit(encoded.rows.length, {
    testFraction: split.testFraction,
    seed: split.seed,
    ...(classes === undefined ? {} : { stratify: Int32Array.from(encoded.y) }),
  });
  if (holdout.train.length === 0) throw new EngineError('empty_frame', 'No training rows left after the holdout split');
  const pick = (positions: Int32Array) => positions.map((k) => encoded.rows[k]!);
  const pickY = (positions: Int32Array) => Float64Array.from(positions, (k) => encoded.y[k]!);
  const features = frame.select(featureNames);
  return {
    featureNames,
    classes,
    trainFrame: features.take(pick(holdout.train)),
    testFrame: features.take(pick(holdout.test)),
    yTrain: pickY(holdout.train),
    yTest: pickY(holdout.test),
  };
}

export function checkFeatureNames(frame: Frame, names: string[], target: string): void {
  const seen = new Set<string>();
  for (const name of names) {
    if (!frame.has(name)) throw new EngineError('unknown_column', `Unknown feature "${name}"`, { column: name });
    if (name === target) throw new EngineError('invalid_param', `The target "${name}" cannot be a feature`);
    if (seen.has(name)) throw new EngineError('invalid_param', `Feature "${name}" is listed twice`);
    seen.add(name);
  }
}
