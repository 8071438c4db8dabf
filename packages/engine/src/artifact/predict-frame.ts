// Scores a whole frame: the positive-class probability (binary) or the predicted value (regression); a multiclass
// (softmax or forest) model gives n × k row-major class probabilities in `classes` order.
import type { Frame } from '../frame/frame.js';
import { targetEncodeFrame } from '../preprocess/apply-target-encoding.js';
import { softmaxRows } from './class-probabilities.js';
import { portableSigmoid } from './portable-exp.js';
import { forestOutputs } from './forest-outputs.js';
import { isForestArtifact, isGbdtArtifact } from './is-gbdt-artifact.js';
import { frameLinearPredictor, linearOutputCount } from './linear-scorer.js';
import type { ModelArtifact } from './model-artifact.js';
import { modelView } from './model-view.js';
import { forestMargins, frameTreeColumns, marginsPerRow, marginsToOutputs } from './tree-scorer.js';

export function predictFrame(artifact: ModelArtifact, frame: Frame): Float64Array {
  // Target encoding comes first; the model then reads its own columns.
  const encoding = artifact.preprocessing.targetEncoding;
  if (encoding !== undefined) return scoreModelColumns(modelView(artifact), targetEncodeFrame(encoding, frame));
  return scoreModelColumns(artifact, frame);
}

function scoreModelColumns(artifact: ModelArtifact, frame: Frame): Float64Array {
  if (isGbdtArtifact(artifact)) {
    const margin = forestMargins(artifact, frameTreeColumns(artifact, frame), frame.nRows);
    return marginsToOutputs(artifact.model.objective, margin, marginsPerRow(artifact));
  }
  if (isForestArtifact(artifact)) {
    const sums = forestMargins(artifact, frameTreeColumns(artifact, frame), frame.nRows);
    return forestOutputs(artifact.task, sums, marginsPerRow(artifact), artifact.model.trees.length);
  }
  const eta = frameLinearPredictor(artifact, frame);
  if (artifact.model.family === 'binomial') for (let i = 0; i < eta.length; i++) eta[i] = portableSigmoid(eta[i]!);
  else if (artifact.model.family === 'multinomial') softmaxRows(eta, linearOutputCount(artifact));
  return eta;
}
