// Grows one regression tree on binned features from gradients: depth-wise or best-leaf-first, histogram based.
import type { BinCodes } from './feature-bins.js';
import { findBestSplit, type NodeSums, type Split, type SplitLayout, type SplitRules } from './find-split.js';
import { buildHistogram, STRIDE, subtractHistogram } from './histogram.js';
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
  };
  const pool: Float64Array[] = [];
  const takeHist = () => pool.pop()?.fill(0) ?? new Float64Array(data.totalBins * STRIDE);
  const scratch = { g: new Float64Array(rows.length), h: new Float64Array(rows.length) };
  const buffer = new Int32Array(rows.length);
  const { offsets, valueBins } = data.layout;

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
  const rootHist = takeHist();
  buildHistogram(rootHist, data.codes, features, offsets, rows, 0, rows.length, grad, hess, scratch);
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
      pool.push(parent.hist);
      continue;
    }
    const f = split.feature;
    const nBins = valueBins[f]! + 1;
    const goLeft = new Uint8Array(nBins);
    if (split.categories === null) goLeft.fill(1, 0, split.bin + 1);
    else for (const k of split.categories) goLeft[k] = 1;
    goLeft[nBins - 1] = split.defaultLeft ? 1 : 0;

    const mid = partition(rows, buffer, parent.start, parent.end, data.codes[f]!, goLeft);
    const leftSums = split.left;
    const rightSums = {
      g: parent.sums.g - leftSums.g,
      h: parent.sums.h - leftSums.h,
      count: parent.sums.count - leftSums.count,
    };
    const leftId = addNode(parent.start, mid, leftSums);
    const rightId = addNode(mid, parent.end, rightSums);
    const node = parent.node;
    tree.feature[node] = f;
    tree.bin[node] = split.categories === null ? split.bin : -1;
    tree.categories[node] = split.categories;
    tree.defaultLeft[node] = split.defaultLeft;
    tree.left[node] = leftId;
    tree.right[node] = rightId;
    tree.value[node] = 0;
    tree.goLeft[node] = goLeft;
    leaves++;

    const depth = parent.depth + 1;
    if (!canSplit(depth, leftSums.count) && !canSplit(depth, rightSums.count)) {
      // Both children are leaves: their histograms would never be read.
      pool.push(parent.hist);
      continue;
    }
    const leftSmaller = mid - parent.start <= parent.end - mid;
    const small = takeHist();
    const [smallStart, smallEnd] = leftSmaller ? [parent.start, mid] : [mid, parent.end];
    buildHistogram(small, data.codes, features, offsets, rows, smallStart, smallEnd, grad, hess, scratch);
    subtractHistogram(parent.hist, small, features, offsets, valueBins);
    const [leftHist, rightHist] = leftSmaller ? [small, parent.hist] : [parent.hist, small];
    candidates.push(open(leftId, depth, leftHist, leftSums));
    candidates.push(open(rightId, depth, rightHist, rightSums));
  }
  return tree;
}

/** Stable partition of rows[start..end) by goLeft[code]; returns where the right side begins. */
function partition(
  rows: Int32Array,
  buffer: Int32Array,
  start: number,
  end: number,
  codes: Uint8Array | Uint16Array,
  goLeft: Uint8Array,
): number {
  let l = start;
  let r = 0;
  for (let i = start; i < end; i++) {
    const row = rows[i]!;
    if (goLeft[codes[row]!] === 1) rows[l++] = row;
    else buffer[r++] = row;
  }
  rows.set(buffer.subarray(0, r), l);
  return l;
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

/** The same as addBinnedTree for the rows the tree was grown on, read off the leaves' row ranges instead. */
export function addLeafRanges(tree: BinnedTree, rows: Int32Array, margin: Float64Array): void {
  for (let node = 0; node < tree.feature.length; node++) {
    if (tree.feature[node] !== -1) continue;
    const value = tree.value[node]!;
    const end = tree.end[node]!;
    for (let i = tree.start[node]!; i < end; i++) margin[rows[i]!] = margin[rows[i]!]! + value;
  }
}
