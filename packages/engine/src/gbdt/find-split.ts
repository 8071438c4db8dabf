// Scans a node's histogram for the split with the largest gain, learning where missing values should go.
import { STRIDE } from './histogram.js';
import { leafScore } from './leaf-weight.js';

export interface SplitRules {
  lambda: number;
  alpha: number;
  minChildWeight: number;
  minSamplesLeaf: number;
  /**
   * Whether histograms count rows per bin (default true). Without counts (no min-samples rule beyond one row) a
   * bin or side is empty exactly when its hessian sum is 0, as every row's hessian is positive.
   */
  countRows?: boolean;
}

export interface NodeSums {
  g: number;
  h: number;
  count: number;
}

export interface Split {
  gain: number;
  feature: number;
  /** Numeric split: the last bin that goes left. */
  bin: number;
  /** Category split: the categories that go left (ascending); null for numeric splits. */
  categories: Int32Array | null;
  defaultLeft: boolean;
  /** Sums of the rows that go left (missing rows included when defaultLeft). */
  left: NodeSums;
}

/** XGBoost's floor on a useful split's gain. */
const MIN_GAIN = 1e-6;

export interface SplitLayout {
  offsets: Int32Array;
  valueBins: Int32Array;
  isCategory: Uint8Array;
}

/**
 * Numeric features: every boundary between bins, with the missing rows sent left and then right. Category features:
 * LightGBM's scan, categories sorted by their leaf weight and every prefix tried as the left set. Ties keep the first
 * candidate found (lowest feature, then lowest bin), so the result does not depend on anything but the histogram.
 */
export function findBestSplit(
  hist: Float64Array,
  features: Int32Array,
  layout: SplitLayout,
  node: NodeSums,
  rules: SplitRules,
): Split | null {
  const { lambda, alpha, minChildWeight, minSamplesLeaf } = rules;
  const counted = rules.countRows !== false;
  // The slot that is 0 exactly for an empty bin: the count, or the hessian sum when rows are not counted.
  const filledSlot = counted ? 2 : 1;
  const parentScore = leafScore(node.g, node.h, lambda, alpha);
  let best: Split | null = null;
  let bestGain = MIN_GAIN;
  // Evaluates one candidate left side; returns whether it became the best.
  const consider = (gl: number, hl: number, cl: number): number => {
    const hr = node.h - hl;
    if (counted) {
      const cr = node.count - cl;
      if (cl < minSamplesLeaf || cr < minSamplesLeaf) return -Infinity;
    } else if (!(hl > 0 && hr > 0)) return -Infinity;
    if (hl < minChildWeight || hr < minChildWeight) return -Infinity;
    return leafScore(gl, hl, lambda, alpha) + leafScore(node.g - gl, hr, lambda, alpha) - parentScore;
  };
  for (let j = 0; j < features.length; j++) {
    const f = features[j]!;
    const base = layout.offsets[f]! * STRIDE;
    const nValues = layout.valueBins[f]!;
    const m = base + nValues * STRIDE;
    const gm = hist[m]!;
    const hm = hist[m + 1]!;
    const cm = hist[m + 2]!;
    const missingRows = hist[m + filledSlot]! > 0;
    if (layout.isCategory[f] === 1) {
      const split = categorySplit(hist, base, nValues, filledSlot, gm, hm, cm, missingRows, lambda, consider);
      if (split !== null && split.gain > bestGain) {
        bestGain = split.gain;
        best = { ...split, feature: f, bin: -1 };
      }
      continue;
    }
    let gl = 0;
    let hl = 0;
    let cl = 0;
    // Plain loop over the histogram: one pass per feature, two candidates per boundary.
    for (let b = 0; b < nValues; b++) {
      const k = base + b * STRIDE;
      if (hist[k + filledSlot] === 0) continue;
      gl += hist[k]!;
      hl += hist[k + 1]!;
      cl += hist[k + 2]!;
      // Missing rows left first, so without missing rows the default direction is left.
      const withMissing = consider(gl + gm, hl + hm, cl + cm);
      if (withMissing > bestGain) {
        bestGain = withMissing;
        best = split(withMissing, f, b, true, gl + gm, hl + hm, cl + cm);
      }
      if (missingRows) {
        const without = consider(gl, hl, cl);
        if (without > bestGain) {
          bestGain = without;
          best = split(without, f, b, false, gl, hl, cl);
        }
      }
    }
  }
  return best;
}

function split(gain: number, feature: number, bin: number, defaultLeft: boolean, g: number, h: number, c: number) {
  return { gain, feature, bin, categories: null, defaultLeft, left: { g, h, count: c } };
}

function categorySplit(
  hist: Float64Array,
  base: number,
  nValues: number,
  filledSlot: number,
  gm: number,
  hm: number,
  cm: number,
  missingRows: boolean,
  lambda: number,
  consider: (gl: number, hl: number, cl: number) => number,
): Omit<Split, 'feature' | 'bin'> | null {
  const present: number[] = [];
  for (let b = 0; b < nValues; b++) if (hist[base + b * STRIDE + filledSlot]! > 0) present.push(b);
  if (present.length + (missingRows ? 1 : 0) < 2) return null;
  const ratio = (b: number) => hist[base + b * STRIDE]! / (hist[base + b * STRIDE + 1]! + lambda);
  present.sort((a, b) => ratio(a) - ratio(b) || a - b);
  let best: Omit<Split, 'feature' | 'bin'> | null = null;
  let bestGain = -Infinity;
  let gl = 0;
  let hl = 0;
  let cl = 0;
  for (let k = 0; k < present.length; k++) {
    const b = present[k]!;
    gl += hist[base + b * STRIDE]!;
    hl += hist[base + b * STRIDE + 1]!;
    cl += hist[base + b * STRIDE + 2]!;
    const options: [boolean, number][] = [[true, consider(gl + gm, hl + hm, cl + cm)]];
    if (missingRows) options.push([false, consider(gl, hl, cl)]);
    for (const [defaultLeft, gain] of options) {
      if (gain > bestGain) {
        bestGain = gain;
        const g = defaultLeft ? gl + gm : gl;
        const h = defaultLeft ? hl + hm : hl;
        const c = defaultLeft ? cl + cm : cl;
        const categories = Int32Array.from(present.slice(0, k + 1)).sort();
        best = { gain, categories, defaultLeft, left: { g, h, count: c } };
      }
    }
  }
  return best;
}
