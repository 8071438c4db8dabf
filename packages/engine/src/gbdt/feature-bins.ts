// Quantile bins of the numeric features (cut points in raw units) and bin codes of a frame, column by column.
import type { Frame } from '../frame/frame.js';
import type { FeatureEncoding } from '../artifact/model-artifact.js';
import { categoryIndices, numericValues } from '../preprocess/feature-values.js';
import { binFinder } from './bin-finder.js';
import { quantileCuts } from './quantile-cuts.js';

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

export function binFrame(
  frame: Frame,
  encodings: FeatureEncoding[],
  bins: FeatureBins,
  allocate: CodeAllocator = plainCodes,
): BinCodes {
  return encodings.map((encoding, f) => {
    const missing = bins.valueBins[f]!;
    const codes = allocate(frame.nRows, missing + 1 > 256);
    if (encoding.type === 'category') {
      const indices = categoryIndices(frame, encoding);
      for (let i = 0; i < codes.length; i++) codes[i] = indices[i]! >= 0 ? indices[i]! : missing;
      return codes;
    }
    const values = numericValues(frame, encoding);
    const binOf = binFinder(bins.cuts[f]!);
    for (let i = 0; i < codes.length; i++) {
      const v = values[i]!;
      codes[i] = v > -Infinity && v < Infinity ? binOf(v) : missing;
    }
    return codes;
  });
}
