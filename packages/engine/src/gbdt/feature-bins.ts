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
  const valueBins = Int32Array.from(encodings, (encoding, f) =>
    encoding.type === 'category' ? encoding.categories.length : cuts[f]!.length + 1,
  );
  return { cuts, valueBins };
}

/** fitFeatureBins and binFrame in one go for a training frame: numeric columns are binned as their cuts are found. */
export function fitAndBinFrame(
  frame: Frame,
  encodings: FeatureEncoding[],
  maxBins: number,
  allocate: CodeAllocator = plainCodes,
): { bins: FeatureBins; codes: BinCodes } {
  const fitted = encodings.map((encoding) => {
    if (encoding.type === 'category') return undefined;
    const values = numericValues(frame, encoding);
    return quantileBins(values, maxBins - 1, (valueBins) => allocate(frame.nRows, valueBins + 1 > 256));
  });
  const cuts = fitted.map((f) => f?.cuts);
  const valueBins = Int32Array.from(encodings, (encoding, f) =>
    encoding.type === 'category' ? encoding.categories.length : cuts[f]!.length + 1,
  );
  const bins = { cuts, valueBins };
  const codes = encodings.map((encoding, f) => fitted[f]?.codes ?? binFeature(frame, encoding, f, bins, allocate));
  return { bins, codes };
}

export function binFrame(
  frame: Frame,
  encodings: FeatureEncoding[],
  bins: FeatureBins,
  allocate: CodeAllocator = plainCodes,
): BinCodes {
  return encodings.map((encoding, f) => binFeature(frame, encoding, f, bins, allocate));
}

function binFeature(
  frame: Frame,
  encoding: FeatureEncoding,
  f: number,
  bins: FeatureBins,
  allocate: CodeAllocator,
): Uint8Array | Uint16Array {
  const missing = bins.valueBins[f]!;
  const codes = allocate(frame.nRows, missing + 1 > 256);
  if (encoding.type === 'category') {
    const indices = categoryIndices(frame, encoding);
    for (let i = 0; i < codes.length; i++) codes[i] = indices[i]! >= 0 ? indices[i]! : missing;
    return codes;
  }
  binColumn(bins.cuts[f]!, numericValues(frame, encoding), codes, missing);
  return codes;
}
