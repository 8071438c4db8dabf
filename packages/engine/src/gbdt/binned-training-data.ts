// Training rows as bin codes plus the histogram layout the tree builder reads (GBDT and forests alike).
import type { FeatureEncoding } from '../artifact/model-artifact.js';
import type { Frame } from '../frame/frame.js';
import { fitAndBinFrame, type BinCodes, type CodeAllocator, type FeatureBins } from './feature-bins.js';

export interface BinnedTrainingData {
  bins: FeatureBins;
  data: {
    codes: BinCodes;
    /** Bins over all features; a feature's histogram starts at its offset. */
    totalBins: number;
    layout: { offsets: Int32Array; valueBins: FeatureBins['valueBins']; isCategory: Uint8Array };
  };
}

export function binTrainingData(
  frame: Frame,
  encodings: FeatureEncoding[],
  maxBins: number,
  allocate?: CodeAllocator,
): BinnedTrainingData {
  const { bins, codes } = fitAndBinFrame(frame, encodings, maxBins, allocate);
  const offsets = new Int32Array(encodings.length);
  let totalBins = 0;
  for (let f = 0; f < encodings.length; f++) {
    offsets[f] = totalBins;
    // Each feature's value bins plus its missing-value bin.
    totalBins += bins.valueBins[f]! + 1;
  }
  const isCategory = Uint8Array.from(encodings, (e) => (e.type === 'category' ? 1 : 0));
  return { bins, data: { codes, totalBins, layout: { offsets, valueBins: bins.valueBins, isCategory } } };
}
