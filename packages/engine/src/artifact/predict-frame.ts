// Scores a whole frame: the positive-class probability (binary) or the predicted value (regression).
import type { Frame } from '../frame/frame.js';
import { sigmoid } from '../glm/fit-glm.js';
import { frameLinearPredictor } from './linear-scorer.js';
import type { ModelArtifact } from './model-artifact.js';

export function predictFrame(artifact: ModelArtifact, frame: Frame): Float64Array {
  const eta = frameLinearPredictor(artifact, frame);
  if (artifact.model.family === 'binomial') for (let i = 0; i < eta.length; i++) eta[i] = sigmoid(eta[i]!);
  return eta;
}
