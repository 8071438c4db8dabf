// The preprocessing every trainer stores: the target encoding from prepareTraining, then the model's own encodings.
import type { FeatureEncoding, FeatureSpec, Preprocessing } from '../artifact/model-artifact.js';
import { EngineError } from '../errors.js';
import { fitPreprocessing } from '../preprocess/fit-preprocessing.js';
import type { PreparedTraining } from './prepare-training.js';

export interface TrainingPreprocessing {
  /** The input schema records are checked against: a target-encoded feature still shows as a category. */
  features: FeatureSpec[];
  /** One per model column (what trees and coefficients index). */
  encodings: FeatureEncoding[];
  preprocessing: Preprocessing;
  /** Every feature left out, with the reason. */
  dropped: { name: string; reason: string }[];
}

/** Throws `no_usable_features` when features were asked for and every one of them was dropped. */
export function fitTrainingPreprocessing(prepared: PreparedTraining): TrainingPreprocessing {
  const { trainFrame, featureNames, targetEncoding } = prepared;
  const fitted = fitPreprocessing(trainFrame, featureNames);
  const dropped = [...prepared.dropped, ...fitted.dropped];
  if (fitted.encodings.length === 0 && dropped.length > 0) {
    throw new EngineError('no_usable_features', `No usable feature is left: ${dropped.map(describe).join('; ')}`, {
      dropped,
    });
  }
  if (targetEncoding === undefined) {
    return {
      features: fitted.features,
      encodings: fitted.encodings,
      preprocessing: { encodings: fitted.encodings },
      dropped,
    };
  }
  // Each encoded feature appears once, as a category, where its first output sits among the model columns.
  const sourceOf = new Map<string, { feature: string; categories: string[] }>();
  for (const column of targetEncoding.columns) for (const o of column.outputs) sourceOf.set(o.name, column);
  const features: FeatureSpec[] = [];
  const seen = new Set<string>();
  for (const spec of fitted.features) {
    const source = sourceOf.get(spec.name);
    if (source === undefined) features.push(spec);
    else if (!seen.has(source.feature)) {
      seen.add(source.feature);
      features.push({ name: source.feature, type: 'category', categories: source.categories });
    }
  }
  return {
    features,
    encodings: fitted.encodings,
    preprocessing: { targetEncoding, encodings: fitted.encodings },
    dropped,
  };
}

function describe(d: { name: string; reason: string }): string {
  return `"${d.name}" (${d.reason})`;
}
