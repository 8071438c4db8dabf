// TreeSHAP for a whole frame: GBDT contributions in margin space, forest contributions in the forest's output space.
import type { Frame } from '../frame/frame.js';
import { modelView } from '../artifact/model-view.js';
import { frameTreeColumns, type TreeArtifact } from '../artifact/tree-scorer.js';
import { targetEncodeFrame } from '../preprocess/apply-target-encoding.js';
import { modelColumnFeatures } from './model-column-features.js';
import { outputLabels, type ShapValues } from './shap-values.js';
import { treeShapKernel, type TreeShapKernel } from './tree-shap-kernel.js';

const kernels = new WeakMap<TreeArtifact, TreeShapKernel>();

/** The artifact's TreeSHAP kernel, built once per artifact (its path buffers are reused by every call). */
export function treeExplainer(artifact: TreeArtifact): TreeShapKernel {
  let kernel = kernels.get(artifact);
  if (kernel === undefined) {
    kernel = treeShapKernel(modelView(artifact), modelColumnFeatures(artifact), artifact.features.length);
    kernels.set(artifact, kernel);
  }
  return kernel;
}

/** The scorer's input columns for `frame`: target encoding applied, then one column per model column. */
export function treeInputColumns(artifact: TreeArtifact, frame: Frame): Float64Array[] {
  const encoding = artifact.preprocessing.targetEncoding;
  const modelFrame = encoding === undefined ? frame : targetEncodeFrame(encoding, frame);
  return frameTreeColumns(modelView(artifact), modelFrame);
}

/**
 * Path-dependent TreeSHAP values of every frame row, per input feature (a target-encoded feature's model columns
 * count as one player). Missing values and unseen categories follow each split's default direction, as in scoring.
 */
export function treeShap(artifact: TreeArtifact, frame: Frame): ShapValues {
  const kernel = treeExplainer(artifact);
  const columns = treeInputColumns(artifact, frame);
  const n = frame.nRows;
  const stride = kernel.nFeatures * kernel.nOutputs;
  const contributions = new Float64Array(n * stride);
  for (let i = 0; i < n; i++) kernel.explainRow(columns, i, contributions, i * stride);
  return {
    features: artifact.features.map((spec) => spec.name),
    outputs: outputLabels(artifact.target, artifact.classes, kernel.nOutputs),
    space: artifact.model.kind === 'forest' ? 'mean' : 'margin',
    nRows: n,
    expected: Array.from(kernel.expected),
    contributions,
  };
}
