// Test-only: narrows a GLM artifact to the single linear predictor of a gaussian or binomial model.
import type { GlmArtifact, LinearGlmModel, OriginalUnits } from '../artifact/model-artifact.js';

export function linearModel(artifact: GlmArtifact): LinearGlmModel {
  if (artifact.model.family === 'multinomial') throw new Error('expected a gaussian or binomial GLM');
  return artifact.model;
}

export function singleOriginalUnits(artifact: GlmArtifact): OriginalUnits {
  const units = artifact.metadata.originalUnits;
  if (Array.isArray(units)) throw new Error('expected one original-units predictor');
  return units;
}
