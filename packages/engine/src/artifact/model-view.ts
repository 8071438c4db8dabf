// The artifact as its model sees it: `features` replaced by the model columns that target encoding produces.
import type { FeatureEncoding, FeatureSpec, ModelArtifact } from './model-artifact.js';

const views = new WeakMap<ModelArtifact, ModelArtifact>();

/**
 * The artifact itself without target encoding (model columns = features). Otherwise a copy, built once per artifact
 * so the scorers' per-artifact caches keep working, whose `features` are the model columns the trees and
 * coefficients index.
 */
export function modelView<A extends ModelArtifact>(artifact: A): A {
  if (artifact.preprocessing.targetEncoding === undefined) return artifact;
  let view = views.get(artifact);
  if (view === undefined) {
    view = { ...artifact, features: modelFeatures(artifact.preprocessing.encodings) };
    views.set(artifact, view);
  }
  return view as A;
}

export function modelFeatures(encodings: FeatureEncoding[]): FeatureSpec[] {
  return encodings.map((e) =>
    e.type === 'number'
      ? { name: e.name, type: 'number' }
      : { name: e.name, type: 'category', categories: e.categories },
  );
}
