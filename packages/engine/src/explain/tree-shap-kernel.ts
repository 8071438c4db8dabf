// Path-dependent TreeSHAP (Lundberg et al. 2018, Algorithm 2; XGBoost's pred_contribs): exact Shapley values of the
// "expected value given a subset" game, where a missing feature's split averages its children weighted by cover.
import { EngineError } from '../errors.js';
import type { GbdtTree } from '../artifact/model-artifact.js';
import type { TreeArtifact } from '../artifact/tree-scorer.js';
import { marginsPerRow } from '../artifact/tree-scorer.js';

/** Explains rows of the scorer's input columns (see tree-scorer.ts) against one compiled tree artifact. */
export interface TreeShapKernel {
  /** Input features (players of the game); every split's model column belongs to one of them. */
  readonly nFeatures: number;
  /** Outputs explained: 1, or one per class for softmax and for forests over more than two classes. */
  readonly nOutputs: number;
  /** Per output: the cover-weighted mean prediction (GBDT: base score included; forest: divided by its rounds). */
  readonly expected: Float64Array;
  /**
   * Adds row `i`'s contributions into `out` at `offset` (nFeatures × nOutputs, feature-major: out[offset + j *
   * nOutputs + c]). No allocation: the path buffers live in the kernel, so one kernel serves one caller at a time.
   */
  explainRow(columns: Float64Array[], i: number, out: Float64Array, offset: number): void;
}

/**
 * `view` is the artifact as its model sees it (modelView: features = model columns), `groups[c]` the input feature of
 * model column c, `nFeatures` the number of input features. Throws `invalid_artifact` (details.reason
 * `explain_needs_cover`) when a tree lacks usable node covers.
 */
export function treeShapKernel(view: TreeArtifact, groups: Int32Array, nFeatures: number): TreeShapKernel {
  const trees = view.model.trees;
  const k = marginsPerRow(view);
  // A forest averages: each class's output is its trees' sum divided by the rounds (trees per class).
  const scale = view.model.kind === 'forest' ? k / trees.length : 1;
  let total = 0;
  let maskSize = 0;
  trees.forEach((tree, t) => {
    checkCover(tree, t);
    total += tree.feature.length;
    for (const f of tree.feature) {
      const spec = f >= 0 ? view.features[f] : undefined;
      if (spec?.type === 'category') maskSize += spec.categories.length;
    }
  });
  const roots = new Int32Array(trees.length);
  const column = new Int32Array(total);
  const group = new Int32Array(total);
  const threshold = new Float64Array(total);
  const maskOffset = new Int32Array(total).fill(-1);
  const masks = new Uint8Array(maskSize);
  const defaultLeft = new Uint8Array(total);
  const left = new Int32Array(total);
  const right = new Int32Array(total);
  const value = new Float64Array(total);
  // Share of the parent's cover that reaches each child (the "zero fractions" of the paper).
  const leftShare = new Float64Array(total);
  const rightShare = new Float64Array(total);
  const expected = new Float64Array(k);
  if (view.model.kind === 'gbdt') {
    const scores = view.model.classBaseScores;
    for (let c = 0; c < k; c++) expected[c] = k > 1 ? (scores?.[c] ?? 0) : view.model.baseScore;
  }
  let maxDepth = 0;
  let base = 0;
  let maskAt = 0;
  trees.forEach((tree, t) => {
    roots[t] = base;
    const n = tree.feature.length;
    for (let node = 0; node < n; node++) {
      const id = base + node;
      const f = tree.feature[node]!;
      column[id] = f;
      value[id] = tree.value[node]! * scale;
      if (f < 0) {
        group[id] = -1;
        left[id] = -1;
        right[id] = -1;
        continue;
      }
      group[id] = groups[f]!;
      threshold[id] = tree.threshold[node]!;
      defaultLeft[id] = tree.defaultLeft[node] ? 1 : 0;
      const l = tree.left[node]!;
      const r = tree.right[node]!;
      left[id] = base + l;
      right[id] = base + r;
      const coverLeft = tree.cover[l]!;
      const coverRight = tree.cover[r]!;
      // Shares of the children's sum, so they add to 1 exactly as far as rounding allows (hessian sums are floats).
      const sum = coverLeft + coverRight;
      leftShare[id] = sum > 0 ? coverLeft / sum : 0.5;
      rightShare[id] = sum > 0 ? coverRight / sum : 0.5;
      const spec = view.features[f];
      if (spec?.type === 'category') {
        maskOffset[id] = maskAt;
        for (const index of tree.leftCategories[node] ?? []) masks[maskAt + index] = 1;
        maskAt += spec.categories.length;
      }
    }
    const { depth, mean } = depthAndMean(value, left, right, leftShare, rightShare, base);
    maxDepth = Math.max(maxDepth, depth);
    expected[t % k] = expected[t % k]! + mean;
    base += n;
  });

  // One unique path per depth, each a copy of its parent's extended by one element (XGBoost's layout).
  const slots = maxDepth + 2;
  const size = (slots * (slots + 1)) / 2 + slots;
  const pathFeature = new Int32Array(size);
  const pathZero = new Float64Array(size);
  const pathOne = new Float64Array(size);
  const pathWeight = new Float64Array(size);
  // The path weights' combinatorial factors, tabulated so the hot loops multiply instead of divide:
  // up[d * slots + i] = (i + 1) / (d + 1), down[...] = (d − i) / (d + 1), and their reciprocals.
  const up = new Float64Array(slots * slots);
  const down = new Float64Array(slots * slots);
  const upInverse = new Float64Array(slots * slots);
  const downInverse = new Float64Array(slots * slots);
  for (let d = 0; d < slots; d++) {
    for (let i = 0; i < d; i++) {
      up[d * slots + i] = (i + 1) / (d + 1);
      down[d * slots + i] = (d - i) / (d + 1);
      upInverse[d * slots + i] = (d + 1) / (i + 1);
      downInverse[d * slots + i] = (d + 1) / (d - i);
    }
  }

  // Path-dependent fractions: `one` is 1 on the branch the row takes (while it agrees with every earlier split on the
  // same feature) and 0 elsewhere, so the paper's general formulas specialise to the two cases below.
  function extend(at: number, depth: number, zero: number, one: number, feature: number): void {
    pathFeature[at + depth] = feature;
    pathZero[at + depth] = zero;
    pathOne[at + depth] = one;
    pathWeight[at + depth] = depth === 0 ? 1 : 0;
    const row = depth * slots;
    if (one !== 0) {
      for (let i = depth - 1; i >= 0; i--) {
        const w = pathWeight[at + i]!;
        pathWeight[at + i + 1] = pathWeight[at + i + 1]! + w * up[row + i]!;
        pathWeight[at + i] = zero * w * down[row + i]!;
      }
    } else {
      for (let i = depth - 1; i >= 0; i--) pathWeight[at + i] = zero * pathWeight[at + i]! * down[row + i]!;
    }
  }

  function unwind(at: number, depth: number, index: number): void {
    const one = pathOne[at + index]!;
    const zero = pathZero[at + index]!;
    const row = depth * slots;
    if (one !== 0) {
      let next = pathWeight[at + depth]!;
      for (let i = depth - 1; i >= 0; i--) {
        const tmp = pathWeight[at + i]!;
        const w = next * upInverse[row + i]!;
        pathWeight[at + i] = w;
        next = tmp - w * zero * down[row + i]!;
      }
    } else {
      for (let i = depth - 1; i >= 0; i--) pathWeight[at + i] = (pathWeight[at + i]! * downInverse[row + i]!) / zero;
    }
    for (let i = index; i < depth; i++) {
      pathFeature[at + i] = pathFeature[at + i + 1]!;
      pathZero[at + i] = pathZero[at + i + 1]!;
      pathOne[at + i] = pathOne[at + i + 1]!;
    }
  }

  /**
   * Total weight of the path with one element unwound, without changing the path, for an element the row follows (one
   * fraction 1, zero fraction `zero`). Elements it does not follow need no unwinding: see the leaf case of `recurse`.
   */
  function hotUnwoundSum(at: number, depth: number, zero: number): number {
    const row = depth * slots;
    let sum = 0;
    let next = pathWeight[at + depth]!;
    for (let i = depth - 1; i >= 0; i--) {
      const tmp = next * upInverse[row + i]!;
      sum += tmp;
      next = pathWeight[at + i]! - tmp * zero * down[row + i]!;
    }
    return sum;
  }

  // The row being explained, set by explainRow for the recursion (closure state instead of arguments).
  let rowColumns: readonly Float64Array[] = [];
  let row = 0;
  let phi: Float64Array = new Float64Array(0);
  let phiBase = 0;

  function recurse(node: number, depth: number, parentAt: number, zero: number, one: number, feature: number): void {
    // A branch no cover reaches and that the row does not take adds nothing.
    if (zero === 0 && one === 0) return;
    const at = parentAt + depth + 1;
    for (let i = 0; i <= depth; i++) {
      pathFeature[at + i] = pathFeature[parentAt + i]!;
      pathZero[at + i] = pathZero[parentAt + i]!;
      pathOne[at + i] = pathOne[parentAt + i]!;
      pathWeight[at + i] = pathWeight[parentAt + i]!;
    }
    extend(at, depth, zero, one, feature);
    const f = column[node]!;
    if (f < 0) {
      const v = value[node]!;
      // An element the row does not follow (one fraction 0, zero fraction z > 0) unwinds to a weight S / z with S the
      // same sum for all of them, so its contribution S / z · (0 − z) · v is −S · v whatever z is: one O(depth) sum per
      // leaf instead of one per element.
      let cold = Number.NaN;
      for (let i = 1; i <= depth; i++) {
        const zero = pathZero[at + i]!;
        let contribution: number;
        if (pathOne[at + i] !== 0) contribution = hotUnwoundSum(at, depth, zero) * (1 - zero) * v;
        else {
          if (cold !== cold) {
            const row = depth * slots;
            cold = 0;
            for (let q = depth - 1; q >= 0; q--) cold += pathWeight[at + q]! * downInverse[row + q]!;
          }
          contribution = -cold * v;
        }
        const j = phiBase + pathFeature[at + i]! * k;
        phi[j] = phi[j]! + contribution;
      }
      return;
    }
    // The scorer's decision (tree-scorer.ts): NaN and category -1 (missing, unseen) follow the default direction.
    const x = rowColumns[f]![row]!;
    const offset = maskOffset[node]!;
    let goLeft: boolean;
    if (offset < 0) goLeft = x === x ? x < threshold[node]! : defaultLeft[node] === 1;
    else goLeft = x >= 0 ? masks[offset + x] === 1 : defaultLeft[node] === 1;
    const hot = goLeft ? left[node]! : right[node]!;
    const cold = goLeft ? right[node]! : left[node]!;
    const hotZero = goLeft ? leftShare[node]! : rightShare[node]!;
    const coldZero = goLeft ? rightShare[node]! : leftShare[node]!;
    const g = group[node]!;
    let incomingZero = 1;
    let incomingOne = 1;
    // A feature already on the path is unwound and split again here (its fractions multiply).
    let index = 1;
    while (index <= depth && pathFeature[at + index] !== g) index++;
    if (index <= depth) {
      incomingZero = pathZero[at + index]!;
      incomingOne = pathOne[at + index]!;
      unwind(at, depth, index);
      depth -= 1;
    }
    recurse(hot, depth + 1, at, hotZero * incomingZero, incomingOne, g);
    recurse(cold, depth + 1, at, coldZero * incomingZero, 0, g);
  }

  return {
    nFeatures,
    nOutputs: k,
    expected,
    explainRow(columns, i, out, offset) {
      rowColumns = columns;
      row = i;
      phi = out;
      for (let t = 0; t < roots.length; t++) {
        phiBase = offset + (t % k);
        recurse(roots[t]!, 0, 0, 1, 1, -1);
      }
    },
  };
}

function checkCover(tree: GbdtTree, t: number): void {
  const cover = (tree as Partial<GbdtTree>).cover;
  const n = tree.feature.length;
  let usable = Array.isArray(cover) && cover.length === n && (n === 1 || cover[0]! > 0);
  if (usable) {
    for (let node = 0; node < n && usable; node++) {
      const c = cover![node];
      usable = typeof c === 'number' && Number.isFinite(c) && c >= 0;
    }
  }
  if (!usable) {
    throw new EngineError(
      'invalid_artifact',
      `Tree ${t} has no usable node covers (training rows or hessian sums per node), which TreeSHAP needs; ` +
        'retrain the model with this engine version to explain it',
      { reason: 'explain_needs_cover', tree: t },
    );
  }
}

/** Depth (edges on the longest root-to-leaf path) and cover-weighted mean leaf value of the tree starting at `root`. */
function depthAndMean(
  value: Float64Array,
  left: Int32Array,
  right: Int32Array,
  leftShare: Float64Array,
  rightShare: Float64Array,
  root: number,
): { depth: number; mean: number } {
  const walk = (node: number, depth: number): { depth: number; mean: number } => {
    if (left[node]! < 0) return { depth, mean: value[node]! };
    const l = walk(left[node]!, depth + 1);
    const r = walk(right[node]!, depth + 1);
    return { depth: Math.max(l.depth, r.depth), mean: leftShare[node]! * l.mean + rightShare[node]! * r.mean };
  };
  return walk(root, 0);
}
