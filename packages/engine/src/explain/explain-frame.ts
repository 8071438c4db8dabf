// Exact SHAP values for any single-model artifact: TreeSHAP for GBDT and forests, linear SHAP for GLMs.
import { EngineError } from '../errors.js';
import type { Frame } from '../frame/frame.js';
import { isForestArtifact, isGbdtArtifact, isGlmArtifact } from '../artifact/is-gbdt-artifact.js';
import type { ModelArtifact } from '../artifact/model-artifact.js';
import { linearShap } from './linear-shap.js';
import type { ShapValues } from './shap-values.js';
import { treeShap } from './tree-shap.js';

/** Whether `explainFrame` has exact SHAP values for this artifact (not for stacked ensembles). */
export function hasExactShap(artifact: ModelArtifact): boolean {
  return isGbdtArtifact(artifact) || isForestArtifact(artifact) || isGlmArtifact(artifact);
}

/**
 * Exact SHAP values of every frame row (see ShapValues for the space each model kind explains). Throws
 * `invalid_input` for a stacked ensemble, and `invalid_artifact` when the artifact predates what explanations need.
 */
export function explainFrame(artifact: ModelArtifact, frame: Frame): ShapValues {
  if (isGbdtArtifact(artifact) || isForestArtifact(artifact)) return treeShap(artifact, frame);
  if (isGlmArtifact(artifact)) return linearShap(artifact, frame);
  throw new EngineError('invalid_input', 'Exact SHAP values exist for GLM, GBDT and forest models, not stacked ones', {
    reason: 'explain_unsupported_model',
    kind: artifact.model.kind,
  });
}
