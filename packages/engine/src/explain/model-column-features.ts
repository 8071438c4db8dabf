// Maps the engine's model columns (what tree nodes and GLM coefficients index) back to the artifact's input features.
import { EngineError } from '../errors.js';
import type { SingleModelArtifact } from '../artifact/model-artifact.js';

/**
 * For each model column (`preprocessing.encodings` order), the index into `artifact.features` of the input feature it
 * comes from: the feature itself, or the category feature a target-encoded output column encodes.
 */
export function modelColumnFeatures(artifact: SingleModelArtifact): Int32Array {
  const byName = new Map(artifact.features.map((spec, j) => [spec.name, j]));
  const sourceOf = new Map<string, string>();
  for (const column of artifact.preprocessing.targetEncoding?.columns ?? []) {
    for (const output of column.outputs) sourceOf.set(output.name, column.feature);
  }
  return Int32Array.from(artifact.preprocessing.encodings, (encoding) => {
    const name = sourceOf.get(encoding.name) ?? encoding.name;
    const j = byName.get(name);
    if (j === undefined) {
      throw new EngineError('invalid_artifact', `Model column "${encoding.name}" belongs to no input feature`, {
        column: encoding.name,
      });
    }
    return j;
  });
}
