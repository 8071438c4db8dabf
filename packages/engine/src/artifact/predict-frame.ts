// Scores a whole frame: the positive-class probability (binary) or the predicted value (regression); a multiclass
// (softmax or forest) model gives n × k row-major class probabilities in `classes` order. A stacked ensemble scores
// every base, then its meta GLM on their outputs.
import type { Frame } from '../frame/frame.js';
import { targetEncodeFrame } from '../preprocess/apply-target-encoding.js';
import { softmaxRows } from './class-probabilities.js';
import { portableSigmoid } from './portable-exp.js';
import { forestOutputs } from './forest-outputs.js';
import { isForestArtifact, isGbdtArtifact, isStackedArtifact } from './is-gbdt-artifact.js';
import { frameLinearPredictor, linearOutputCount } from './linear-scorer.js';
import type { ModelArtifact, SingleModelArtifact } from './model-artifact.js';
import { metaFrame } from './stacked-features.js';
import { modelView } from './model-view.js';
import { forestMargins, frameTreeColumns, marginsPerRow, marginsToOutputs } from './tree-scorer.js';

export function predictFrame(artifact: ModelArtifact, frame: Frame): Float64Array {
  if (isStackedArtifact(artifact)) {
    const { bases, meta } = artifact.model;
    const outputs = bases.map((base) => predictFrame(base, frame));
    return predictFrame(meta, metaFrame(outputs, frame.nRows, artifact.classes));
  }
  // Target encoding comes first; the model then reads its own columns.
  const encoding = artifact.preprocessing.targetEncoding;
  if (encoding !== undefined) return scoreModelColumns(modelView(artifact), targetEncodeFrame(encoding, frame));
  return scoreModelColumns(artifact, frame);
}

function scoreModelColumns(artifact: SingleModelArtifact, frame: Frame): Float64Array {
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
