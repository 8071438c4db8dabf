// Trains a random forest or extra-trees ensemble end to end on the boosted trees' binning, histograms and builder.
import { holdoutResult } from '../training/holdout-result.js';
import type { Frame } from '../frame/frame.js';
import type { ForestArtifact, GbdtTree } from '../artifact/model-artifact.js';
import { binTrainingData } from '../gbdt/binned-training-data.js';
import { growTree } from '../gbdt/grow-tree.js';
import { serialKernels } from '../gbdt/node-kernels.js';
import { trainingMemory, type TreeTrainOptions } from '../gbdt/training-memory.js';
import { artifactTree } from '../gbdt/train-gbdt-model.js';
import type { TrainResult } from '../glm/train-glm-model.js';
import { fitTrainingPreprocessing } from '../training/fit-training-preprocessing.js';
import { prepareTraining } from '../training/prepare-training.js';
import { seededRandom } from '../validation/random.js';
import { featuresPerNode, resolveForestParams, type ForestParams } from './forest-params.js';
import { forestSplitter } from './forest-splitter.js';
import { sampleWeights } from './sample-weights.js';

/**
 * Each tree fits squared error to the target (regression, standardised while growing) or to a class indicator
 * (classification), so a split's gain is its reduction in squared error (for 0/1 targets, n times the Gini
 * decrease) and a leaf holds the mean of its rows, weighted by how often the bootstrap drew them.
 */
export function trainForestModel(frame: Frame, options: TreeTrainOptions<ForestParams>): TrainResult<ForestArtifact> {
  const { target, task, onProgress } = options;
  const params = resolveForestParams(task, options.params);
  const prepared = prepareTraining(frame, options, params);
  const { classes, trainFrame, testFrame, yTrain, yTest } = prepared;
  onProgress?.(0.01);

  const fitted = fitTrainingPreprocessing(prepared);
  const memory = trainingMemory(options.threads);
  const { bins, data } = binTrainingData(trainFrame, fitted.encodings, params.maxBins, memory.codes);
  const nFeatures = fitted.encodings.length;
  onProgress?.(0.1);

  const nTrain = yTrain.length;
  // One tree per round, or one per class and round over more than two classes.
  const k = classes !== undefined && classes.length > 2 ? classes.length : 1;
  const targets = outputTargets(task, yTrain, k);
  const rules = {
    lambda: 0,
    alpha: 0,
    minChildWeight: 0,
    minSamplesLeaf: params.minSamplesLeaf,
    maxDepth: params.maxDepth,
    growPolicy: 'depthfirst' as const,
    maxLeaves: Number.MAX_SAFE_INTEGER,
    learningRate: 1,
  };
  const random = seededRandom((params.seed ^ 0x2545f491) >>> 0);
  const splitter = forestSplitter(featuresPerNode(params.maxFeatures, nFeatures), params.extraTrees, bins.cuts, random);
  const allFeatures = Int32Array.from({ length: nFeatures }, (_, f) => f);
  const grad = memory.float64(nTrain);
  const weights = memory.float64(nTrain);
  const rowBuffer = memory.int32(nTrain);
  const kernels =
    memory.kernels(data, { rows: [rowBuffer], grads: [grad, weights], maxRows: nTrain }) ?? serialKernels(data, nTrain);
  const trees: GbdtTree[] = [];

  try {
    for (let t = 0; t < params.nTrees; t++) {
      weights.set(sampleWeights(nTrain, params.bootstrap, params.sampleFraction, random));
      let drawn = 0;
      for (let i = 0; i < nTrain; i++) if (weights[i]! > 0) drawn++;
      for (let c = 0; c < k; c++) {
        const { values, scale, shift } = targets[c]!;
        // Squared error at margin 0: gradient -w y and hessian w, so a leaf's weight -G/H is the weighted mean of y.
        for (let i = 0; i < nTrain; i++) grad[i] = -weights[i]! * values[i]!;
        // growTree partitions the rows in place: each class's tree starts from the drawn rows in order.
        for (let i = 0, kept = 0; i < nTrain; i++) if (weights[i]! > 0) rowBuffer[kept++] = i;
        const rows = rowBuffer.subarray(0, drawn);
        const tree = growTree(data, rules, allFeatures, rows, grad, weights, splitter, kernels);
        const out = artifactTree(tree, bins);
        out.value = out.value.map((v, node) => (out.feature[node] === -1 ? v * scale + shift : 0));
        trees.push(out);
      }
      onProgress?.(0.1 + (0.85 * (t + 1)) / params.nTrees);
    }
  } finally {
    memory.release(kernels);
  }

  const artifact: ForestArtifact = {
    format: 'modelyard-model',
    formatVersion: 1,
    task,
    target,
    features: fitted.features,
    ...(classes === undefined ? {} : { classes }),
    preprocessing: fitted.preprocessing,
    model: { kind: 'forest', trees },
    metadata: {
      algorithm: 'forest',
      params,
      droppedColumns: fitted.dropped,
      trees: params.nTrees,
      trainRows: yTrain.length,
      testRows: yTest.length,
    },
  };
  return holdoutResult(artifact, k, testFrame, yTrain, yTest, onProgress);
}

/**
 * What each output's trees fit: the class indicator, or the standardised regression target (so the minimum split
 * gain means the same at any scale); leaves map back by `value * scale + shift`.
 */
function outputTargets(task: 'classification' | 'regression', y: Float64Array, k: number) {
  if (task === 'regression') {
    let mean = 0;
    for (let i = 0; i < y.length; i++) mean += y[i]!;
    mean /= y.length;
    let sumSq = 0;
    for (let i = 0; i < y.length; i++) sumSq += (y[i]! - mean) ** 2;
    const sd = Math.sqrt(sumSq / y.length);
    const scale = sd > 0 ? sd : 1;
    return [{ values: y.map((v) => (v - mean) / scale), scale, shift: mean }];
  }
  if (k === 1) return [{ values: y, scale: 1, shift: 0 }];
  return Array.from({ length: k }, (_, c) => ({ values: y.map((v) => (v === c ? 1 : 0)), scale: 1, shift: 0 }));
}
