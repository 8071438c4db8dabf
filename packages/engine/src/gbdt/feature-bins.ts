// Quantile bins of the numeric features (cut points in raw units) and bin codes of a frame, column by column.
import type { Frame } from '../frame/frame.js';
import type { FeatureEncoding } from '../artifact/model-artifact.js';
import { categoryIndices, numericValues } from '../preprocess/feature-values.js';

export interface FeatureBins {
  /** Numeric feature: a value `v` falls in bin b exactly when cuts[b-1] <= v < cuts[b]. Category feature: undefined. */
  cuts: (Float64Array | undefined)[];
  /** Value bins per feature (categories: one per category); bin number `valueBins[f]` holds missing values. */
  valueBins: Int32Array;
}

/** Bin codes of every row, one typed array per feature (column-major). */
export type BinCodes = (Uint8Array | Uint16Array)[];

/**
 * At most maxBins - 1 value bins per numeric feature: every distinct value its own bin when there are few enough,
 * otherwise cuts at equal-count quantiles of the training values. Cuts sit halfway between neighbouring distinct
 * values, so the raw threshold of a split is unambiguous.
 */
export function fitFeatureBins(frame: Frame, encodings: FeatureEncoding[], maxBins: number): FeatureBins {
  const cuts = encodings.map((encoding) => {
    if (encoding.type === 'category') return undefined;
    return quantileCuts(numericValues(frame, encoding), maxBins - 1);
  });
  const valueBins = Int32Array.from(encodings, (encoding, f) =>
    encoding.type === 'category' ? encoding.categories.length : cuts[f]!.length + 1,
  );
  return { cuts, valueBins };
}

export function binFrame(frame: Frame, encodings: FeatureEncoding[], bins: FeatureBins): BinCodes {
  return encodings.map((encoding, f) => {
    const missing = bins.valueBins[f]!;
    const codes = missing + 1 <= 256 ? new Uint8Array(frame.nRows) : new Uint16Array(frame.nRows);
    if (encoding.type === 'category') {
      const indices = categoryIndices(frame, encoding);
      for (let i = 0; i < codes.length; i++) codes[i] = indices[i]! >= 0 ? indices[i]! : missing;
      return codes;
    }
    const values = numericValues(frame, encoding);
    const cuts = bins.cuts[f]!;
    // Plain loops over typed arrays: binary search of each value among at most 255 cuts.
    for (let i = 0; i < codes.length; i++) {
      const v = values[i]!;
      if (!Number.isFinite(v)) {
        codes[i] = missing;
        continue;
      }
      let lo = 0;
      let hi = cuts.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (cuts[mid]! <= v) lo = mid + 1;
        else hi = mid;
      }
      codes[i] = lo;
    }
    return codes;
  });
}

function quantileCuts(values: Float64Array, maxValueBins: number): Float64Array {
  const sorted = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) sorted[n++] = values[i]!;
  const s = sorted.subarray(0, n).sort();
  let distinct = 0;
  for (let i = 0; i < n && distinct <= maxValueBins; i++) if (i === 0 || s[i] !== s[i - 1]) distinct++;
  const cuts: number[] = [];
  if (distinct <= maxValueBins) {
    for (let i = 1; i < n; i++) if (s[i] !== s[i - 1]) cuts.push(midpoint(s[i - 1]!, s[i]!));
    return Float64Array.from(cuts);
  }
  // Equal-count quantiles: the k-th cut follows the smallest value v with count(<= v) >= k n / B, and sits halfway
  // to the next distinct value (found by binary search); a heavy value that spans several shares gets one cut.
  for (let k = 1; k < maxValueBins; k++) {
    const v = s[Math.ceil((k * n) / maxValueBins) - 1]!;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (s[mid]! <= v) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= n) break;
    const cut = midpoint(v, s[lo]!);
    if (cuts.length === 0 || cut > cuts[cuts.length - 1]!) cuts.push(cut);
  }
  return Float64Array.from(cuts);
}

/** A cut strictly above a and at most b, even for neighbouring floats or huge magnitudes. */
function midpoint(a: number, b: number): number {
  const mid = a / 2 + b / 2;
  return mid > a && mid <= b ? mid : b;
}
