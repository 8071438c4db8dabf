// Trees for the ONNX export: one ai.onnx.ml TreeEnsemble (opset 5) over double inputs with double splits, so every
// row takes the engine's path, and the GBDT / forest output transforms as standard operators.
import { EngineError } from '../errors.js';
import { marginsPerRow, type TreeArtifact } from '../artifact/tree-scorer.js';
import type { ColumnBuilder, ModelColumn } from './onnx-columns.js';
import { ML_DOMAIN, ints } from './onnx-graph.js';

/** TreeEnsemble node modes. */
const BRANCH_LEQ = 0;
const BRANCH_LT = 1;
const BRANCH_MEMBER = 6;

/**
 * The model's prediction as the engine's predictFrame gives it: [N, 1] values or P(classes[1]), or [N, k] class
 * probabilities.
 */
export function treePrediction(columns: ColumnBuilder, artifact: TreeArtifact, inputs: ModelColumn[]): string {
  const g = columns.g;
  const k = marginsPerRow(artifact);
  const sums = treeSums(columns, artifact, inputs, k);
  const model = artifact.model;
  if (model.kind === 'forest') {
    const means = g.op('Div', [sums, g.doubles([model.trees.length / k], [])]);
    if (artifact.task === 'regression') return means;
    if (k === 1) return g.op('Max', [g.op('Min', [means, g.doubles([1], [])]), g.doubles([0], [])]);
    // Shares of the class means; uniform when every mean is 0.
    const total = g.op('ReduceSum', [means, g.int64s([1])], { keepdims: 1 });
    const shares = g.op('Div', [means, total]);
    return g.op('Where', [g.op('Greater', [total, g.doubles([0], [])]), shares, g.doubles([1 / k], [])]);
  }
  const base = k === 1 ? [model.baseScore] : Array.from({ length: k }, (_, c) => model.classBaseScores?.[c] ?? 0);
  const margin = g.op('Add', [sums, g.doubles(base, [k])]);
  switch (model.objective) {
    case 'logistic':
      return g.op('Sigmoid', [margin]);
    case 'poisson':
      return g.op('Exp', [margin]);
    case 'softmax':
      return g.op('Softmax', [margin], { axis: 1 });
    default:
      return margin;
  }
}

/** double [N, k]: every tree's leaf value summed per output (tree t adds to output t mod k). */
function treeSums(columns: ColumnBuilder, artifact: TreeArtifact, inputs: ModelColumn[], k: number): string {
  const g = columns.g;
  // The trees read raw numbers (NaN for missing) and category indices as doubles (NaN for missing or unseen), so
  // missing values of both kinds follow `nodes_missing_value_tracks_true`.
  const features = inputs.map((column) => {
    if (column.kind === 'number') return g.op('Where', [column.missing, g.doubles([Number.NaN], []), column.value]);
    const categories = column.encoding.categories.map((_, i) => i);
    return columns.gatherByIndex(column.index, Number.NaN, categories, 'category_value');
  });
  if (features.length === 0) throw new EngineError('invalid_artifact', 'The tree model has no model columns to export');
  const x = features.length === 1 ? features[0]! : g.op('Concat', features, { axis: 1 });

  const nodes: NodeLists = {
    featureIds: [],
    modes: [],
    splits: [],
    trueIds: [],
    trueLeafs: [],
    falseIds: [],
    falseLeafs: [],
    missingTracksTrue: [],
  };
  const membership: number[] = [];
  const leafTargets: number[] = [];
  const leafWeights: number[] = [];
  const roots: number[] = [];

  artifact.model.trees.forEach((tree, t) => {
    // Interior nodes and leaves are numbered separately; each artifact node gets its slot in one of the lists.
    const slot = new Int32Array(tree.feature.length);
    let interior = nodes.featureIds.length;
    for (let node = 0; node < tree.feature.length; node++) {
      if (tree.feature[node]! >= 0) slot[node] = interior++;
      else {
        slot[node] = leafWeights.length;
        leafTargets.push(t % k);
        leafWeights.push(tree.value[node]!);
      }
    }
    roots.push(nodes.featureIds.length);
    if (tree.feature[0]! < 0) {
      // A single-leaf tree: the operator needs an interior root, so both of its branches reach the leaf.
      pushNode(nodes, 0, BRANCH_LEQ, 0, [slot[0]!, 1], [slot[0]!, 1], 1);
      return;
    }
    for (let node = 0; node < tree.feature.length; node++) {
      const f = tree.feature[node]!;
      if (f < 0) continue;
      const isLeaf = (child: number) => (tree.feature[child]! < 0 ? 1 : 0);
      const trueChild: [number, number] = [slot[tree.left[node]!]!, isLeaf(tree.left[node]!)];
      const falseChild: [number, number] = [slot[tree.right[node]!]!, isLeaf(tree.right[node]!)];
      const tracksTrue = tree.defaultLeft[node] ? 1 : 0;
      const left = tree.leftCategories[node] ?? [];
      if (inputs[f]?.kind === 'category' && left.length === 0) {
        // No category goes left: onnxruntime refuses an empty set, and no index is below 0.
        pushNode(nodes, f, BRANCH_LT, 0, trueChild, falseChild, tracksTrue);
      } else if (inputs[f]?.kind === 'category') {
        // Set membership: the left categories' indices, each node's set closed by a NaN.
        pushNode(nodes, f, BRANCH_MEMBER, Number.NaN, trueChild, falseChild, tracksTrue);
        membership.push(...left, Number.NaN);
      } else {
        pushNode(nodes, f, BRANCH_LT, tree.threshold[node]!, trueChild, falseChild, tracksTrue);
      }
    }
  });

  return g.op(
    'TreeEnsemble',
    [x],
    {
      n_targets: k,
      aggregate_function: 1,
      post_transform: 0,
      tree_roots: ints(roots),
      nodes_featureids: ints(nodes.featureIds),
      nodes_modes: { type: 'uint8', dims: [nodes.modes.length], values: nodes.modes },
      nodes_splits: { type: 'double', dims: [nodes.splits.length], values: nodes.splits },
      nodes_truenodeids: ints(nodes.trueIds),
      nodes_trueleafs: ints(nodes.trueLeafs),
      nodes_falsenodeids: ints(nodes.falseIds),
      nodes_falseleafs: ints(nodes.falseLeafs),
      nodes_missing_value_tracks_true: ints(nodes.missingTracksTrue),
      ...(membership.length > 0
        ? { membership_values: { type: 'double', dims: [membership.length], values: membership } }
        : {}),
      leaf_targetids: ints(leafTargets),
      leaf_weights: { type: 'double', dims: [leafWeights.length], values: leafWeights },
    },
    { domain: ML_DOMAIN },
  );
}

/** The operator's `nodes_*` attributes, one entry per interior node. */
interface NodeLists {
  featureIds: number[];
  modes: number[];
  splits: number[];
  trueIds: number[];
  trueLeafs: number[];
  falseIds: number[];
  falseLeafs: number[];
  missingTracksTrue: number[];
}

function pushNode(
  nodes: NodeLists,
  feature: number,
  mode: number,
  split: number,
  [trueId, trueLeaf]: [number, number],
  [falseId, falseLeaf]: [number, number],
  tracksTrue: number,
): void {
  nodes.featureIds.push(feature);
  nodes.modes.push(mode);
  nodes.splits.push(split);
  nodes.trueIds.push(trueId);
  nodes.trueLeafs.push(trueLeaf);
  nodes.falseIds.push(falseId);
  nodes.falseLeafs.push(falseLeaf);
  nodes.missingTracksTrue.push(tracksTrue);
}
