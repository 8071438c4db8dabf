// Trains gradient-boosted trees end to end: target, holdout split, binning, boosting, holdout metrics, artifact.
import { holdoutResult } from '../training/holdout-result.js';
import { EngineError } from '../errors.js';
import type { Frame } from '../frame/frame.js';
import type { GbdtArtifact, GbdtTree } from '../artifact/model-artifact.js';
import type { TrainResult } from '../glm/train-glm-model.js';
import { fitTrainingPreprocessing } from '../training/fit-training-preprocessing.js';
import { prepareTraining } from '../training/prepare-training.js';
import { seededRandom, shuffle } from '../validation/random.js';
import { binFrame, type FeatureBins } from './feature-bins.js';
import { binTrainingData } from './binned-training-data.js';
import { resolveGbdtParams, type GbdtParams } from './gbdt-params.js';
import { addBinnedTree, addLeafRanges, growTree, leafTable, type BinnedTree } from './grow-tree.js';
import { serialKernels } from './node-kernels.js';
import { packQuads } from './histogram.js';
import { trainingMemory, type TreeTrainOptions } from './training-memory.js';
import { holdoutLoss, softmaxHoldoutLoss } from './holdout-loss.js';
import { baseScore, classBaseScores, computeGradients, computeSoftmaxGradients, median } from './objectives.js';

export function trainGbdtModel(frame: Frame, options: TreeTrainOptions<GbdtParams>): TrainResult<GbdtArtifact> {
  const { target, task, onProgress } = options;
  const params = resolveGbdtParams(task, options.params);
  const prepared = prepareTraining(frame, options, params);
  const { classes, trainFrame, testFrame, yTrain, yTest } = prepared;
  if (classes !== undefined && classes.length > 2) {
    if (options.params?.objective === undefined) params.objective = 'softmax';
    if (params.objective === 'logistic') {
      throw new EngineError('too_many_classes', `Target "${target}" has ${classes.length} classes; logistic needs 2`, {
        classes: classes.length,
      });
    }
  }
  onProgress?.(0.01);

  const fitted = fitTrainingPreprocessing(prepared);
  const memory = trainingMemory(options.threads);
  const { bins, data: binned } = binTrainingData(trainFrame, fitted.encodings, params.maxBins, memory.codes);
  // Boosted trees sum histograms without row counts (unless a min-samples rule needs them), where packed codes help.
  const data = params.minSamplesLeaf > 1 ? binned : { ...binned, quads: packQuads(binned.codes, memory.int32) };
  const nFeatures = fitted.encodings.length;
  const stopping = params.earlyStoppingRounds > 0 && yTest.length > 0;
  const { onIntermediate } = options;
  // The holdout margins are kept round by round for early stopping, and for anyone watching the loss.
  const tracking = stopping || (onIntermediate !== undefined && yTest.length > 0);
  const testCodes = tracking ? binFrame(testFrame, fitted.encodings, bins) : [];
  onProgress?.(0.1);

  const { objective } = params;
  // One margin (and one tree per round) per class for softmax, else one.
  const k = objective === 'softmax' ? (classes?.length ?? 1) : 1;
  const bases = objective === 'softmax' ? classBaseScores(yTrain, k) : [baseScore(objective, yTrain)];
  const nTrain = yTrain.length;
  const margins = bases.map((b) => memory.float64(nTrain).fill(b));
  const testMargins = bases.map((b) => new Float64Array(tracking ? yTest.length : 0).fill(b));
  const grads = bases.map(() => memory.float64(nTrain));
  const hesses = bases.map(() => memory.float64(nTrain));
  // Each class's tree partitions its own copy of the round's row sample.
  const rowBuffers = bases.map(() => memory.int32(nTrain));
  const sampleBuffer = k === 1 ? rowBuffers[0]! : new Int32Array(nTrain);
  const ySharable = memory.float64(nTrain);
  ySharable.set(yTrain);
  const shared = memory.kernels(data, {
    rows: rowBuffers,
    grads: grads.flatMap((g, c) => [g, hesses[c]!]),
    maxRows: nTrain,
    y: ySharable,
    margins,
  });
  const kernels = shared ?? serialKernels(data, nTrain);
  const random = seededRandom((params.seed ^ 0x5bd1e995) >>> 0);
  const allFeatures = Int32Array.from({ length: nFeatures }, (_, f) => f);
  // Per-bin row counts only matter to a min-samples rule; without one the histograms skip them.
  // Margins take leaf values from the leaf table, so the deepest splits need not partition their rows; the absolute
  // error's median refit reads every leaf's rows.
  const rules = {
    ...params,
    countRows: params.minSamplesLeaf > 1,
    partitionLeaves: objective === 'absolute_error',
  };
  const trees: GbdtTree[] = [];
  let best = { loss: Infinity, trees: 0 };

  try {
    for (let t = 0; t < params.nTrees; t++) {
      if (shared !== undefined) shared.gradients(objective);
      else if (objective === 'softmax') computeSoftmaxGradients(yTrain, margins, grads, hesses);
      else computeGradients(objective, yTrain, margins[0]!, grads[0]!, hesses[0]!);
      const treeFeatures = sampleFeatures(allFeatures, params.colsampleByTree, random);
      const sampled = sampleRows(nTrain, params.subsample, random, sampleBuffer);
      for (let c = 0; c < k; c++) {
        const margin = margins[c]!;
        const rows = rowBuffers[c]!.subarray(0, sampled);
        if (k > 1) rows.set(sampleBuffer.subarray(0, sampled));
        const tree = growTree(data, rules, treeFeatures, rows, grads[c]!, hesses[c]!, undefined, kernels);
        if (objective === 'absolute_error') refitMedians(tree, rows, yTrain, margin, params.learningRate);
        // Every row in the sample: the leaves' row ranges say where each went, no routing needed.
        if (rows.length < nTrain) addBinnedTree(tree, data.codes, margin);
        else if (shared !== undefined) shared.addLeaves(leafTable(tree), rows, c);
        else addLeafRanges(leafTable(tree), rows, data.codes, margin);
        trees.push(artifactTree(tree, bins));
        if (tracking) addBinnedTree(tree, testCodes, testMargins[c]!);
      }
      if (tracking) {
        const loss =
          objective === 'softmax'
            ? softmaxHoldoutLoss(yTest, testMargins)
            : holdoutLoss(objective, yTest, testMargins[0]!);
        onIntermediate?.(t + 1, loss);
        if (stopping) {
          if (loss < best.loss) best = { loss, trees: trees.length };
          else if ((trees.length - best.trees) / k >= params.earlyStoppingRounds) break;
        }
      }
      onProgress?.(0.1 + (0.85 * (t + 1)) / params.nTrees);
    }
  } finally {
    memory.release(kernels);
  }
  if (stopping) trees.length = best.trees;

  const artifact: GbdtArtifact = {
    format: 'modelyard-model',
    formatVersion: 1,
    task,
    target,
    features: fitted.features,
    ...(classes === undefined ? {} : { classes }),
    preprocessing: fitted.preprocessing,
    model:
      objective === 'softmax'
        ? { kind: 'gbdt', objective, baseScore: 0, classBaseScores: bases, trees }
        : { kind: 'gbdt', objective, baseScore: bases[0]!, trees },
    metadata: {
      algorithm: 'gbdt',
      params,
      droppedColumns: fitted.dropped,
      trees: trees.length,
      trainRows: yTrain.length,
      testRows: yTest.length,
    },
  };
  return holdoutResult(artifact, k, testFrame, yTrain, yTest, onProgress);
}

/** Ascending feature indices: all of them, or a seeded draw of round(share * count) (at least one). */
function sampleFeatures(all: Int32Array, share: number, random: () => number): Int32Array {
  if (share >= 1 || all.length === 0) return all;
  const shuffled = Int32Array.from(all);
  shuffle(shuffled, random);
  return shuffled.subarray(0, Math.max(1, Math.round(share * all.length))).sort();
}

/**
 * Ascending row indices into `into[0..count)`, returning count: all rows, or each row kept with probability `share`
 * (at least one row).
 */
function sampleRows(n: number, share: number, random: () => number, into: Int32Array): number {
  let kept = 0;
  for (let i = 0; i < n; i++) if (share >= 1 || random() < share) into[kept++] = i;
  if (kept === 0) into[kept++] = Math.floor(random() * n);
  return kept;
}

/** Absolute error: each leaf's value becomes the median residual of its rows (XGBoost's adaptive leaves). */
function refitMedians(tree: BinnedTree, rows: Int32Array, y: Float64Array, margin: Float64Array, rate: number) {
  for (let node = 0; node < tree.feature.length; node++) {
    if (tree.feature[node] !== -1) continue;
    const start = tree.start[node]!;
    const residuals = new Float64Array(tree.end[node]! - start);
    for (let i = 0; i < residuals.length; i++) residuals[i] = y[rows[start + i]!]! - margin[rows[start + i]!]!;
    tree.value[node] = rate * median(residuals);
  }
}

/** The artifact form of a tree: bins become raw thresholds (Number.MAX_VALUE = every value left, missing right). */
export function artifactTree(tree: BinnedTree, bins: FeatureBins): GbdtTree {
  return {
    feature: tree.feature,
    threshold: tree.feature.map((f, node) => {
      const cuts = f >= 0 ? bins.cuts[f] : undefined;
      if (cuts === undefined) return 0;
      const b = tree.bin[node]!;
      return b < cuts.length ? cuts[b]! : Number.MAX_VALUE;
    }),
    leftCategories: tree.categories.map((c) => (c === null ? [] : Array.from(c))),
    defaultLeft: tree.defaultLeft,
    left: tree.left,
    right: tree.right,
    value: tree.value,
    cover: tree.cover,
  };
}
