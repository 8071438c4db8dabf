// Trains gradient-boosted trees end to end: target, holdout split, binning, boosting, holdout metrics, artifact.
import { EngineError } from '../errors.js';
import type { Frame } from '../frame/frame.js';
import type { GbdtArtifact, GbdtTree } from '../artifact/model-artifact.js';
import { predictFrame } from '../artifact/predict-frame.js';
import { holdoutMetrics } from '../glm/holdout-metrics.js';
import type { TrainOptions, TrainResult } from '../glm/train-glm-model.js';
import { prepareTraining } from '../training/prepare-training.js';
import { fitPreprocessing } from '../preprocess/fit-preprocessing.js';
import { seededRandom, shuffle } from '../validation/random.js';
import { binFrame, type FeatureBins } from './feature-bins.js';
import { binTrainingData } from './binned-training-data.js';
import { resolveGbdtParams, type GbdtParams } from './gbdt-params.js';
import { addBinnedTree, addLeafRanges, growTree, type BinnedTree } from './grow-tree.js';
import { holdoutLoss, softmaxHoldoutLoss } from './holdout-loss.js';
import { multiclassMetrics } from './multiclass-metrics.js';
import { baseScore, classBaseScores, computeGradients, computeSoftmaxGradients, median } from './objectives.js';

export function trainGbdtModel(frame: Frame, options: TrainOptions<GbdtParams>): TrainResult<GbdtArtifact> {
  const { target, task, onProgress } = options;
  const params = resolveGbdtParams(task, options.params);
  const { featureNames, classes, trainFrame, testFrame, yTrain, yTest } = prepareTraining(frame, options, params);
  if (classes !== undefined && classes.length > 2) {
    if (options.params?.objective === undefined) params.objective = 'softmax';
    if (params.objective === 'logistic') {
      throw new EngineError('too_many_classes', `Target "${target}" has ${classes.length} classes; logistic needs 2`, {
        classes: classes.length,
      });
    }
  }
  onProgress?.(0.01);

  const fitted = fitPreprocessing(trainFrame, featureNames);
  const { bins, data } = binTrainingData(trainFrame, fitted.encodings, params.maxBins);
  const nFeatures = fitted.encodings.length;
  const stopping = params.earlyStoppingRounds > 0 && yTest.length > 0;
  const testCodes = stopping ? binFrame(testFrame, fitted.encodings, bins) : [];
  onProgress?.(0.1);

  const { objective } = params;
  // One margin (and one tree per round) per class for softmax, else one.
  const k = objective === 'softmax' ? (classes?.length ?? 1) : 1;
  const bases = objective === 'softmax' ? classBaseScores(yTrain, k) : [baseScore(objective, yTrain)];
  const nTrain = yTrain.length;
  const margins = bases.map((b) => new Float64Array(nTrain).fill(b));
  const testMargins = bases.map((b) => new Float64Array(stopping ? yTest.length : 0).fill(b));
  const grads = bases.map(() => new Float64Array(nTrain));
  const hesses = bases.map(() => new Float64Array(nTrain));
  const random = seededRandom((params.seed ^ 0x5bd1e995) >>> 0);
  const allFeatures = Int32Array.from({ length: nFeatures }, (_, f) => f);
  const rules = { ...params };
  const trees: GbdtTree[] = [];
  let best = { loss: Infinity, trees: 0 };

  for (let t = 0; t < params.nTrees; t++) {
    if (objective === 'softmax') computeSoftmaxGradients(yTrain, margins, grads, hesses);
    else computeGradients(objective, yTrain, margins[0]!, grads[0]!, hesses[0]!);
    const treeFeatures = sampleFeatures(allFeatures, params.colsampleByTree, random);
    const sample = sampleRows(nTrain, params.subsample, random);
    for (let c = 0; c < k; c++) {
      const margin = margins[c]!;
      const rows = k === 1 ? sample : Int32Array.from(sample);
      const tree = growTree(data, rules, treeFeatures, rows, grads[c]!, hesses[c]!);
      if (objective === 'absolute_error') refitMedians(tree, rows, yTrain, margin, params.learningRate);
      // Every row in the sample: the leaves' row ranges say where each went, no routing needed.
      if (rows.length === nTrain) addLeafRanges(tree, rows, margin);
      else addBinnedTree(tree, data.codes, margin);
      trees.push(artifactTree(tree, bins));
      if (stopping) addBinnedTree(tree, testCodes, testMargins[c]!);
    }
    if (stopping) {
      const loss =
        objective === 'softmax'
          ? softmaxHoldoutLoss(yTest, testMargins)
          : holdoutLoss(objective, yTest, testMargins[0]!);
      if (loss < best.loss) best = { loss, trees: trees.length };
      else if ((trees.length - best.trees) / k >= params.earlyStoppingRounds) break;
    }
    onProgress?.(0.1 + (0.85 * (t + 1)) / params.nTrees);
  }
  if (stopping) trees.length = best.trees;

  const artifact: GbdtArtifact = {
    format: 'modelyard-model',
    formatVersion: 1,
    task,
    target,
    features: fitted.features,
    ...(classes === undefined ? {} : { classes }),
    preprocessing: { encodings: fitted.encodings },
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
  const predictions = predictFrame(artifact, testFrame);
  const metrics = k > 1 ? multiclassMetrics(yTest, predictions, k) : holdoutMetrics(task, yTest, predictions);
  onProgress?.(1);
  return { artifact, metrics, trainRows: yTrain.length, testRows: yTest.length };
}

/** Ascending feature indices: all of them, or a seeded draw of round(share * count) (at least one). */
function sampleFeatures(all: Int32Array, share: number, random: () => number): Int32Array {
  if (share >= 1 || all.length === 0) return all;
  const shuffled = Int32Array.from(all);
  shuffle(shuffled, random);
  return shuffled.subarray(0, Math.max(1, Math.round(share * all.length))).sort();
}

/** Ascending row indices: all rows, or each row kept with probability `share` (at least one row). */
function sampleRows(n: number, share: number, random: () => number): Int32Array {
  if (share >= 1) {
    const all = new Int32Array(n);
    for (let i = 0; i < n; i++) all[i] = i;
    return all;
  }
  const kept: number[] = [];
  for (let i = 0; i < n; i++) if (random() < share) kept.push(i);
  if (kept.length === 0) kept.push(Math.floor(random() * n));
  return Int32Array.from(kept);
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
