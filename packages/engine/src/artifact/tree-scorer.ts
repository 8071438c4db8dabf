// Scores a tree artifact (boosted or forest) column by column: every tree routes all rows through typed-array copies of its nodes.
import type { Frame } from '../frame/frame.js';
import { categoryIndices, numericValues } from '../preprocess/feature-values.js';
import { categoryLookup } from '../preprocess/category-lookup.js';
import { softmaxRows } from './class-probabilities.js';
import { portableExp, portableSigmoid } from './portable-exp.js';
import { compileTrees, type CompiledTree } from './tree-code.js';
import type { ForestArtifact, GbdtArtifact, GbdtObjective } from './model-artifact.js';

/** The artifacts whose model is a list of trees. */
export type TreeArtifact = GbdtArtifact | ForestArtifact;

/** Every tree's nodes in one set of flat arrays (global node ids), built once per artifact. */
interface CompiledForest {
  roots: Int32Array;
  feature: Int32Array;
  threshold: Float64Array;
  /** Offset of the node's category mask in `masks`, -1 for a numeric split. */
  maskOffset: Int32Array;
  masks: Uint8Array;
  defaultLeft: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
  /** The trees as generated functions (tree-code.ts), when this host allows it. */
  code: CompiledTree[] | undefined;
}

const compiled = new WeakMap<TreeArtifact, CompiledForest>();

/** Rows scored together through every tree (their feature values stay in cache). */
const BLOCK = 512;

function compile(artifact: TreeArtifact): CompiledForest {
  const cached = compiled.get(artifact);
  if (cached !== undefined) return cached;
  const trees = artifact.model.trees;
  let total = 0;
  let maskSize = 0;
  for (const tree of trees) {
    total += tree.feature.length;
    tree.feature.forEach((f) => {
      const spec = f >= 0 ? artifact.features[f] : undefined;
      if (spec?.type === 'category') maskSize += spec.categories.length;
    });
  }
  const forest: CompiledForest = {
    roots: new Int32Array(trees.length),
    feature: new Int32Array(total),
    threshold: new Float64Array(total),
    maskOffset: new Int32Array(total).fill(-1),
    masks: new Uint8Array(maskSize),
    defaultLeft: new Uint8Array(total),
    left: new Int32Array(total),
    right: new Int32Array(total),
    value: new Float64Array(total),
    code: compileTrees(artifact.features, trees),
  };
  let base = 0;
  let maskAt = 0;
  trees.forEach((tree, t) => {
    forest.roots[t] = base;
    for (let node = 0; node < tree.feature.length; node++) {
      const id = base + node;
      const f = tree.feature[node]!;
      forest.feature[id] = f;
      forest.threshold[id] = tree.threshold[node]!;
      forest.defaultLeft[id] = tree.defaultLeft[node] ? 1 : 0;
      forest.left[id] = f >= 0 ? base + tree.left[node]! : -1;
      forest.right[id] = f >= 0 ? base + tree.right[node]! : -1;
      forest.value[id] = tree.value[node]!;
      const spec = f >= 0 ? artifact.features[f] : undefined;
      if (spec?.type === 'category') {
        forest.maskOffset[id] = maskAt;
        for (const k of tree.leftCategories[node] ?? []) forest.masks[maskAt + k] = 1;
        maskAt += spec.categories.length;
      }
    }
    base += tree.feature.length;
  });
  compiled.set(artifact, forest);
  return forest;
}

/** Margins per row: one, or one per class for softmax and for a forest over more than two classes. */
export function marginsPerRow(artifact: TreeArtifact): number {
  const k = artifact.classes?.length ?? 1;
  if (artifact.model.kind === 'forest') return k > 2 ? k : 1;
  return artifact.model.objective === 'softmax' ? k : 1;
}

/**
 * Margins of `nRows` rows (n × k row-major with k = marginsPerRow) given one column per feature: raw numbers (NaN = missing) for a number feature, the category
 * index (-1 = missing or unseen) for a category feature. Trees are summed in order, so any two callers that feed the
 * same values get bit-identical margins.
 */
export function forestMargins(artifact: TreeArtifact, columns: Float64Array[], nRows: number): Float64Array {
  const forest = compile(artifact);
  const { feature, threshold, maskOffset, masks, defaultLeft, left, right, value } = forest;
  const k = marginsPerRow(artifact);
  const margin = new Float64Array(nRows * k);
  // A forest's sums start from zero (its outputs are means).
  if (artifact.model.kind === 'forest') margin.fill(0);
  else if (k === 1) margin.fill(artifact.model.baseScore);
  else {
    const scores = artifact.model.classBaseScores ?? [];
    for (let i = 0; i < nRows; i++) for (let c = 0; c < k; c++) margin[i * k + c] = scores[c] ?? 0;
  }
  // Plain loops over typed arrays: this is the batch-scoring hot path. Rows go in blocks, every tree over a block
  // before the next block, so the block's feature values stay in cache; each row still sums its trees in order.
  const nTrees = forest.roots.length;
  const code = forest.code;
  if (code !== undefined) {
    // The same order of additions as the walk below: every tree over a block, each row summing its trees in order.
    for (let from = 0; from < nRows; from += BLOCK) {
      const to = Math.min(nRows, from + BLOCK);
      for (let t = 0; t < nTrees; t++) {
        const tree = code[t]!;
        const c = t % k;
        for (let i = from; i < to; i++) margin[i * k + c] = margin[i * k + c]! + tree(columns, i);
      }
    }
    return margin;
  }
  for (let from = 0; from < nRows; from += BLOCK) {
    const to = Math.min(nRows, from + BLOCK);
    for (let t = 0; t < nTrees; t++) {
      const root = forest.roots[t]!;
      const c = t % k;
      for (let i = from; i < to; i++) {
        let node = root;
        let f = feature[node]!;
        while (f >= 0) {
          const x = columns[f]![i]!;
          const offset = maskOffset[node]!;
          let goLeft: boolean;
          if (offset < 0) goLeft = x === x ? x < threshold[node]! : defaultLeft[node] === 1;
          else goLeft = x >= 0 ? masks[offset + x] === 1 : defaultLeft[node] === 1;
          node = goLeft ? left[node]! : right[node]!;
          f = feature[node]!;
        }
        margin[i * k + c] = margin[i * k + c]! + value[node]!;
      }
    }
  }
  return margin;
}

/** The scorer's input columns from a frame; ±Infinity counts as missing, as everywhere in the engine. */
export function frameTreeColumns(artifact: TreeArtifact, frame: Frame): Float64Array[] {
  return artifact.preprocessing.encodings.map((encoding) => {
    if (encoding.type === 'number') {
      const values = numericValues(frame, encoding);
      const out = new Float64Array(values.length);
      for (let i = 0; i < out.length; i++) {
        const v = values[i]!;
        out[i] = Number.isFinite(v) ? v : Number.NaN;
      }
      return out;
    }
    return Float64Array.from(categoryIndices(frame, encoding));
  });
}

/** The scorer's input columns from records already read in feature order (null = missing). */
export function recordTreeColumns(artifact: TreeArtifact, rows: (number | string | null)[][]): Float64Array[] {
  return artifact.features.map((spec, f) => {
    const out = new Float64Array(rows.length);
    if (spec.type === 'number') {
      rows.forEach((values, i) => {
        const v = values[f];
        out[i] = typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN;
      });
    } else {
      const lookup = categoryLookup(spec.categories);
      rows.forEach((values, i) => {
        const v = values[f];
        out[i] = typeof v === 'string' ? lookup.find(v) : -1;
      });
    }
    return out;
  });
}

/**
 * In place: margins to probabilities (logistic; softmax over each row's k margins) or means (poisson); other
 * objectives predict the margin.
 */
export function marginsToOutputs(objective: GbdtObjective, margin: Float64Array, k = 1): Float64Array {
  if (objective === 'softmax') softmaxRows(margin, k);
  else if (objective === 'logistic') for (let i = 0; i < margin.length; i++) margin[i] = portableSigmoid(margin[i]!);
  else if (objective === 'poisson') for (let i = 0; i < margin.length; i++) margin[i] = portableExp(margin[i]!);
  return margin;
}
