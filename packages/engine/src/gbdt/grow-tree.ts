// Grows one regression tree on binned features from gradients: depth-wise or best-leaf-first, histogram based.
import type { BinCodes } from './feature-bins.js';
import { findBestSplit, type NodeSums, type Split, type SplitLayout, type SplitRules } from './find-split.js';
import { serialKernels, type NodeKernels } from './node-kernels.js';
import { subtractHistogram } from './histogram.js';
import { leafWeight } from './leaf-weight.js';

export interface GrowRules extends SplitRules {
  maxDepth: number;
  /**
   * `depthfirst` (forests): every splittable node is split, as `depthwise` does, but the newest open node goes first,
   * so an unlimited-depth tree keeps only O(depth) histograms alive instead of a whole level's.
   */
  growPolicy: 'depthwise' | 'lossguide' | 'depthfirst';
  maxLeaves: number;
  learningRate: number;
  /**
   * False: a split whose children are leaves by depth leaves its rows unpartitioned (see BinnedTree.partitioned),
   * saving the deepest level's partition for callers that only add leaf values to margins (leafTable). Default true.
   */
  partitionLeaves?: boolean;
}

/** A tree over bin codes; `goLeft[node]` says per bin of the split feature whether the row goes left. */
export interface BinnedTree {
  feature: number[];
  /** Numeric split: the last bin that goes left (-1 otherwise). */
  bin: number[];
  categories: (Int32Array | null)[];
  defaultLeft: boolean[];
  left: number[];
  right: number[];
  value: number[];
  cover: number[];
  goLeft: (Uint8Array | null)[];
  /** The node's rows are rows[start..end) of the row array handed to growTree (after its partitioning). */
  start: number[];
  end: number[];
  /**
   * Per split node: whether its rows were partitioned between its children. When not, both children's start and end
   * are the split node's, and a row's side is read from goLeft.
   */
  partitioned: boolean[];
}

interface Open {
  node: number;
  depth: number;
  start: number;
  end: number;
  hist: Float64Array;
  sums: NodeSums;
  split: Split | null;
}

export interface TreeData {
  codes: BinCodes;
  layout: SplitLayout;
  totalBins: number;
}

/** Picks a node's split from its histogram; forests plug in per-node feature sampling and random thresholds. */
export type Splitter = typeof findBestSplit;

/**
 * `rows` (ascending) is partitioned in place so every node's rows are contiguous and stay ascending. Children get
 * their histograms by the subtraction trick: the smaller child is built, the larger is parent minus smaller.
 */
export function growTree(
  data: TreeData,
  rules: GrowRules,
  features: Int32Array,
  rows: Int32Array,
  grad: Float64Array,
  hess: Float64Array,
  splitter: Splitter = findBestSplit,
  kernels: NodeKernels = serialKernels(data, rows.length),
): BinnedTree {
  const tree: BinnedTree = {
    feature: [],
    bin: [],
    categories: [],
    defaultLeft: [],
    left: [],
    right: [],
    value: [],
    cover: [],
    goLeft: [],
    start: [],
    end: [],
    partitioned: [],
  };
  const { valueBins, offsets } = data.layout;

  const addNode = (start: number, end: number, sums: NodeSums): number => {
    const id = tree.feature.length;
    tree.feature.push(-1);
    tree.bin.push(-1);
    tree.categories.push(null);
    tree.defaultLeft.push(true);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.value.push(rules.learningRate * leafWeight(sums.g, sums.h, rules.lambda, rules.alpha));
    tree.cover.push(sums.h);
    tree.goLeft.push(null);
    tree.start.push(start);
    tree.end.push(end);
    tree.partitioned.push(true);
    return id;
  };
  const canSplit = (depth: number, count: number) =>
    (rules.maxDepth === 0 || depth < rules.maxDepth) && count >= 2 * rules.minSamplesLeaf;
  const open = (node: number, depth: number, hist: Float64Array, sums: NodeSums): Open => {
    const start = tree.start[node]!;
    const end = tree.end[node]!;
    const split = canSplit(depth, end - start) ? splitter(hist, features, data.layout, sums, rules) : null;
    return { node, depth, start, end, hist, sums, split };
  };

  let g = 0;
  let h = 0;
  for (let i = 0; i < rows.length; i++) {
    g += grad[rows[i]!]!;
    h += hess[rows[i]!]!;
  }
  const rootSums = { g, h, count: rows.length };
  const rootHist = kernels.take();
  const counted = rules.countRows !== false;
  kernels.build(rootHist, features, rows, 0, rows.length, grad, hess, counted);
  const candidates: Open[] = [open(addNode(0, rows.length, rootSums), 0, rootHist, rootSums)];
  let leaves = 1;

  while (candidates.length > 0) {
    // Depth-wise: first in, first out (level order). Depth-first: last in, first out. Loss-guided: the largest gain, the oldest node on ties.
    let pick = rules.growPolicy === 'depthfirst' ? candidates.length - 1 : 0;
    if (rules.growPolicy === 'lossguide') {
      for (let k = 1; k < candidates.length; k++) {
        if ((candidates[k]!.split?.gain ?? -1) > (candidates[pick]!.split?.gain ?? -1)) pick = k;
      }
    }
    const parent = candidates.splice(pick, 1)[0]!;
    const split = parent.split;
    if (split === null || (rules.growPolicy === 'lossguide' && leaves >= rules.maxLeaves)) {
      kernels.give(parent.hist);
      continue;
    }
    const f = split.feature;
    const nBins = valueBins[f]! + 1;
    const goLeft = new Uint8Array(nBins);
    if (split.categories === null) goLeft.fill(1, 0, split.bin + 1);
    else for (const k of split.categories) goLeft[k] = 1;
    goLeft[nBins - 1] = split.defaultLeft ? 1 : 0;

    const depth = parent.depth + 1;
    // Children that are leaves by depth need their rows partitioned only when the caller reads leaf row ranges.
    const unsplit = rules.partitionLeaves === false && rules.maxDepth > 0 && depth >= rules.maxDepth;
    const mid = unsplit ? parent.end : kernels.partition(rows, parent.start, parent.end, f, goLeft);
    // Child row counts from the partition: exact whether or not the histograms counted rows (unsplit: unknown and
    // unused, as neither child can split).
    const leftSums = { ...split.left, count: mid - parent.start };
    const rightSums = {
      g: parent.sums.g - leftSums.g,
      h: parent.sums.h - leftSums.h,
      count: parent.sums.count - leftSums.count,
    };
    const leftId = addNode(parent.start, unsplit ? parent.end : mid, leftSums);
    const rightId = addNode(unsplit ? parent.start : mid, parent.end, rightSums);
    const node = parent.node;
    tree.partitioned[node] = !unsplit;
    tree.feature[node] = f;
    tree.bin[node] = split.categories === null ? split.bin : -1;
    tree.categories[node] = split.categories;
    tree.defaultLeft[node] = split.defaultLeft;
    tree.left[node] = leftId;
    tree.right[node] = rightId;
    tree.value[node] = 0;
    tree.goLeft[node] = goLeft;
    leaves++;

    if (unsplit || (!canSplit(depth, leftSums.count) && !canSplit(depth, rightSums.count))) {
      // Both children are leaves: their histograms would never be read.
      kernels.give(parent.hist);
      continue;
    }
    const leftSmaller = mid - parent.start <= parent.end - mid;
    const small = kernels.take();
    const [smallStart, smallEnd] = leftSmaller ? [parent.start, mid] : [mid, parent.end];
    kernels.build(small, features, rows, smallStart, smallEnd, grad, hess, counted);
    subtractHistogram(parent.hist, small, features, offsets, valueBins);
    const [leftHist, rightHist] = leftSmaller ? [small, parent.hist] : [parent.hist, small];
    candidates.push(open(leftId, depth, leftHist, leftSums));
    candidates.push(open(rightId, depth, rightHist, rightSums));
  }
  return tree;
}

/** Adds the tree's leaf values to `margin` for every row, routing on bin codes. */
export function addBinnedTree(tree: BinnedTree, codes: BinCodes, margin: Float64Array): void {
  const { feature, goLeft, left, right, value } = tree;
  for (let i = 0; i < margin.length; i++) {
    let node = 0;
    let f = feature[0]!;
    while (f >= 0) {
      node = goLeft[node]![codes[f]![i]!] === 1 ? left[node]! : right[node]!;
      f = feature[node]!;
    }
    margin[i] = margin[i]! + value[node]!;
  }
}

/**
 * Where a tree's leaves sit in its row array and what they add: entries of LEAF_ENTRY numbers (start, end, feature,
 * left value, right value, goLeft offset). A leaf whose rows were partitioned has feature -1 and adds the left value to
 * rows[start..end); a split left unpartitioned has its two leaves in one entry: a row goes left when
 * `goLeft[offset + bin of feature]` is 1.
 */
export interface LeafTable {
  entries: Float64Array;
  goLeft: Uint8Array;
}

export const LEAF_ENTRY = 6;

export function leafTable(tree: BinnedTree): LeafTable {
  const entries: number[] = [];
  const sides: Uint8Array[] = [];
  // A leaf under an unpartitioned split is that split's entry, not its own.
  const underUnsplit = new Uint8Array(tree.feature.length);
  tree.partitioned.forEach((partitioned, node) => {
    if (!partitioned) underUnsplit[tree.left[node]!] = underUnsplit[tree.right[node]!] = 1;
  });
  let offset = 0;
  for (let node = 0; node < tree.feature.length; node++) {
    if (tree.feature[node] === -1) {
      if (underUnsplit[node] === 0) {
        entries.push(tree.start[node]!, tree.end[node]!, -1, tree.value[node]!, 0, 0);
      }
    } else if (!tree.partitioned[node]) {
      const goLeft = tree.goLeft[node]!;
      const [l, r] = [tree.left[node]!, tree.right[node]!];
      entries.push(tree.start[node]!, tree.end[node]!, tree.feature[node]!, tree.value[l]!, tree.value[r]!, offset);
      sides.push(goLeft);
      offset += goLeft.length;
    }
  }
  const goLeft = new Uint8Array(offset);
  sides.reduce((at, side) => (goLeft.set(side, at), at + side.length), 0);
  return { entries: Float64Array.from(entries), goLeft };
}

/**
 * The same as addBinnedTree for the rows the tree was grown on, read off the leaf table instead: adds each row's
 * leaf value to margin[row] for the rows at positions [from, to) of `rows`.
 */
export function addLeafRanges(
  table: LeafTable,
  rows: Int32Array,
  codes: BinCodes,
  margin: Float64Array,
  from = 0,
  to = rows.length,
): void {
  const { entries, goLeft } = table;
  const values = new Float64Array(2);
  for (let k = 0; k < entries.length; k += LEAF_ENTRY) {
    const start = Math.max(entries[k]!, from);
    const end = Math.min(entries[k + 1]!, to);
    const feature = entries[k + 2]!;
    if (feature < 0) {
      const value = entries[k + 3]!;
      for (let i = start; i < end; i++) margin[rows[i]!] = margin[rows[i]!]! + value;
      continue;
    }
    // Right value at 0, left at 1, picked by the goLeft byte: no branch on an unpredictable side.
    values[0] = entries[k + 4]!;
    values[1] = entries[k + 3]!;
    const column = codes[feature]!;
    const offset = entries[k + 5]!;
    for (let i = start; i < end; i++) {
      const row = rows[i]!;
      margin[row] = margin[row]! + values[goLeft[offset + column[row]!]!]!;
    }
  }
}
