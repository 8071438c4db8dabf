// Quantile bins of the numeric features (cut points in raw units) and bin codes of a frame, column by column.
import type { Frame } from '../frame/frame.js';
import type { FeatureEncoding } from '../artifact/model-artifact.js';
import { categoryIndices, numericValues } from '../preprocess/feature-values.js';
import { binColumn } from './bin-finder.js';
import { quantileBins, quantileCuts } from './quantile-cuts.js';

export interface FeatureBins {
  /** Numeric feature: a value `v` falls in bin b exactly when cuts[b-1] <= v < cuts[b]. Category feature: undefined. */
  cuts: (Float64Array | undefined)[];
  /** Value bins per feature (categories: one per category); bin number `valueBins[f]` holds missing values. */
  valueBins: Int32Array;
}

/** Bin codes of every row, one typed array per feature (column-major). */
export type BinCodes = (Uint8Array | Uint16Array)[];

/** Allocates one feature's code array: bytes, or 16-bit codes when the feature has more than 256 bins. */
export type CodeAllocator = (length: number, wide: boolean) => Uint8Array | Uint16Array;

const plainCodes: CodeAllocator = (length, wide) => (wide ? new Uint16Array(length) : new Uint8Array(length));

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
  return binsOf(encodings, cuts);
}

/** The bins from each numeric feature's cuts: a value bin per cut and one more; categories: one per category. */
export function binsOf(encodings: FeatureEncoding[], cuts: (Float64Array | undefined)[]): FeatureBins {
  const valueBins = Int32Array.from(encodings, (encoding, f) =>
    encoding.type === 'category' ? encoding.categories.length : cuts[f]!.length + 1,
  );
  return { cuts, valueBins };
}

/** One training feature's cuts (numeric features; found as its codes are) and bin codes. */
export function fitAndBinFeature(
  frame: Frame,
  encoding: FeatureEncoding,
  maxBins: number,
  allocate: CodeAllocator = plainCodes,
  scratch?: Int32Array,
): { cuts: Float64Array | undefined; codes: Uint8Array | Uint16Array } {
  if (encoding.type === 'category') {
    return { cuts: undefined, codes: binFeature(frame, encoding, encoding.categories.length, undefined, allocate) };
  }
  const values = numericValues(frame, encoding);
  const allocateBins = (valueBins: number) => allocate(frame.nRows, valueBins + 1 > 256);
  const { cuts, codes } = quantileBins(values, maxBins - 1, allocateBins, undefined, scratch);
  return { cuts, codes: codes! };
}

/** fitFeatureBins and binFrame in one go for a training frame. */
export function fitAndBinFrame(
  frame: Frame,
  encodings: FeatureEncoding[],
  maxBins: number,
  allocate: CodeAllocator = plainCodes,
): { bins: FeatureBins; codes: BinCodes } {
  // One scratch array for every column's quantile buckets (see quantileBins).
  const scratch = new Int32Array(frame.nRows);
  const fitted = encodings.map((encoding) => fitAndBinFeature(frame, encoding, maxBins, allocate, scratch));
  return {
    bins: binsOf(
      encodings,
      fitted.map((f) => f.cuts),
    ),
    codes: fitted.map((f) => f.codes),
  };
}

export function binFrame(
  frame: Frame,
  encodings: FeatureEncoding[],
  bins: FeatureBins,
  allocate: CodeAllocator = plainCodes,
): BinCodes {
  return encodings.map((encoding, f) => binFeature(frame, encoding, bins.valueBins[f]!, bins.cuts[f], allocate));
}

/** A feature's codes given its bins; `missing` is the number of its value bins (the missing bin comes after them). */
function binFeature(
  frame: Frame,
  encoding: FeatureEncoding,
  missing: number,
  cuts: Float64Array | undefined,
  allocate: CodeAllocator,
): Uint8Array | Uint16Array {
  const codes = allocate(frame.nRows, missing + 1 > 256);
  if (encoding.type === 'category') {
    const indices = categoryIndices(frame, encoding);
    for (let i = 0; i < codes.length; i++) codes[i] = indices[i]! >= 0 ? indices[i]! : missing;
    return codes;
  }
  binColumn(cuts!, numericValues(frame, encoding), codes, missing);
  return codes;
}
