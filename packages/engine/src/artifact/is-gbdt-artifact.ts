// Tells the model kinds of an artifact apart (the discriminant sits one level down, in `model.kind`).
import type { ForestArtifact, GbdtArtifact, GlmArtifact, ModelArtifact, StackedArtifact } from './model-artifact.js';

export function isGbdtArtifact(artifact: ModelArtifact): artifact is GbdtArtifact {
  return artifact.model.kind === 'gbdt';
}

export function isGlmArtifact(artifact: ModelArtifact): artifact is GlmArtifact {
  return artifact.model.kind === 'glm';
}

export function isForestArtifact(artifact: ModelArtifact): artifact is ForestArtifact {
  return artifact.model.kind === 'forest';
}

export function isStackedArtifact(artifact: ModelArtifact): artifact is StackedArtifact {
  return artifact.model.kind === 'stacked';
}
