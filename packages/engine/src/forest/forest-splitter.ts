// A forest node's split: features drawn per node (constant ones skipped), best bin split or one random split each.
import { findBestSplit, type NodeSums, type Split, type SplitLayout, type SplitRules } from '../gbdt/find-split.js';
import type { Splitter } from '../gbdt/grow-tree.js';
import { STRIDE } from '../gbdt/histogram.js';
import { leafScore } from '../gbdt/leaf-weight.js';

/** The same floor on a useful split's gain as the boosted trees (gains are squared-error reductions). */
const MIN_GAIN = 1e-6;

/**
 * Draws features without replacement until `perNode` non-constant ones have been examined (scikit-learn does not
 * count constant features either) and keeps the best of their splits. Random draws come from `random` in node order,
 * so a seed fixes the tree.
 */
export function forestSplitter(
  perNode: number,
  extraTrees: boolean,
  cuts: (Float64Array | undefined)[],
  random: () => number,
): Splitter {
  return (hist, features, layout, node, rules) => {
    const order = Int32Array.from(features);
    let examined = 0;
    let best: Split | null = null;
    for (let i = 0; i < order.length && examined < perNode; i++) {
      const j = i + Math.floor(random() * (order.length - i));
      const f = order[j]!;
      order[j] = order[i]!;
      order[i] = f;
      if (isConstant(hist, f, layout)) continue;
      examined++;
      const split = extraTrees
        ? randomSplit(hist, f, layout, cuts[f], node, rules, random)
        : findBestSplit(hist, Int32Array.of(f), layout, node, rules);
      if (split !== null && (best === null || split.gain > best.gain)) best = split;
    }
    return best;
  };
}

/** At most one non-empty bin, the missing bin included: no split can separate the node's rows. */
function isConstant(hist: Float64Array, f: number, layout: SplitLayout): boolean {
  const base = layout.offsets[f]! * STRIDE;
  let nonEmpty = 0;
  for (let b = 0; b <= layout.valueBins[f]!; b++) if (hist[base + b * STRIDE + 2]! > 0 && ++nonEmpty > 1) return false;
  return true;
}

/**
 * Extra trees: a number feature gets a threshold drawn uniformly over the raw range of its non-empty bins (from the
 * lower cut of the lowest to the upper cut of the highest, as scikit-learn draws between the node's minimum and
 * maximum) and splits at the first bin boundary at or above it; a category feature
 * sends each present category left with probability 1/2 (both sides non-empty). Missing rows go to the better side.
 */
function randomSplit(
  hist: Float64Array,
  f: number,
  layout: SplitLayout,
  cuts: Float64Array | undefined,
  node: NodeSums,
  rules: SplitRules,
  random: () => number,
): Split | null {
  const base = layout.offsets[f]! * STRIDE;
  const nValues = layout.valueBins[f]!;
  const m = base + nValues * STRIDE;
  const present: number[] = [];
  for (let b = 0; b < nValues; b++) if (hist[base + b * STRIDE + 2]! > 0) present.push(b);
  if (present.length === 0) return null;
  const goesLeft = new Uint8Array(nValues);
  let categories: Int32Array | null = null;
  let bin = -1;
  if (layout.isCategory[f] === 1) {
    if (present.length === 1) goesLeft[present[0]!] = 1;
    else {
      let nLeft = 0;
      for (const b of present) if (random() < 0.5) nLeft += goesLeft[b] = 1;
      // All on one side: flip one drawn category so both sides have rows.
      if (nLeft === 0 || nLeft === present.length) {
        const b = present[Math.floor(random() * present.length)]!;
        goesLeft[b] = nLeft === 0 ? 1 : 0;
      }
    }
    categories = Int32Array.from(present.filter((b) => goesLeft[b] === 1));
  } else {
    const lo = present[0]!;
    const hi = present[present.length - 1]!;
    bin = lo;
    if (lo < hi && cuts !== undefined) {
      // Bin b holds values in [cuts[b - 1], cuts[b]); an outermost bin is open and counts as wide as its neighbour.
      const last = cuts.length - 1;
      const from = lo > 0 ? cuts[lo - 1]! : 2 * cuts[0]! - cuts[Math.min(1, last)]!;
      const to = hi <= last ? cuts[hi]! : 2 * cuts[last]! - cuts[Math.max(0, last - 1)]!;
      const u = from + random() * (to - from);
      while (bin < hi - 1 && cuts[bin]! < u) bin++;
    }
    goesLeft.fill(1, 0, bin + 1);
  }
  let gl = 0;
  let hl = 0;
  let cl = 0;
  for (const b of present) {
    if (goesLeft[b] !== 1) continue;
    gl += hist[base + b * STRIDE]!;
    hl += hist[base + b * STRIDE + 1]!;
    cl += hist[base + b * STRIDE + 2]!;
  }
  const gm = hist[m]!;
  const hm = hist[m + 1]!;
  const cm = hist[m + 2]!;
  const parent = leafScore(node.g, node.h, rules.lambda, rules.alpha);
  const gain = (g: number, h: number, c: number): number => {
    if (c < rules.minSamplesLeaf || node.count - c < rules.minSamplesLeaf) return -Infinity;
    if (h < rules.minChildWeight || node.h - h < rules.minChildWeight) return -Infinity;
    return (
      leafScore(g, h, rules.lambda, rules.alpha) + leafScore(node.g - g, node.h - h, rules.lambda, rules.alpha) - parent
    );
  };
  const withMissing = gain(gl + gm, hl + hm, cl + cm);
  const without = cm > 0 ? gain(gl, hl, cl) : -Infinity;
  const defaultLeft = withMissing >= without;
  const best = Math.max(withMissing, without);
  if (!(best > MIN_GAIN)) return null;
  const left = defaultLeft ? { g: gl + gm, h: hl + hm, count: cl + cm } : { g: gl, h: hl, count: cl };
  return { gain: best, feature: f, bin, categories, defaultLeft, left };
}
