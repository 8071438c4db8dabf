// The row-heavy work growTree hands out per node: histograms (from a pool of buffers) and partitions of rows.
import type { BinCodes } from './feature-bins.js';
import { buildHistogram, STRIDE, type CodeQuads } from './histogram.js';
import { partitionRows } from './partition.js';

export interface NodeKernels {
  /** A zeroed histogram over every feature's bins. */
  take(): Float64Array;
  /** Hands a histogram back for reuse. */
  give(hist: Float64Array): void;
  /**
   * Adds rows[start..end) to `hist` for the given features; grad and hess are indexed by row. Without `counted` the
   * row-count slots stay 0 (see addFeatureRange).
   */
  build(
    hist: Float64Array,
    features: Int32Array,
    rows: Int32Array,
    start: number,
    end: number,
    grad: Float64Array,
    hess: Float64Array,
    counted: boolean,
  ): void;
  /** Stable partition of rows[start..end) by goLeft[bin of `feature`]; returns where the right side begins. */
  partition(rows: Int32Array, start: number, end: number, feature: number, goLeft: Uint8Array): number;
}

export interface KernelData {
  codes: BinCodes;
  /** Packed codes of aligned 8-bit feature quads, for the dense-node histogram kernel (optional). */
  quads?: CodeQuads;
  totalBins: number;
  layout: { offsets: Int32Array };
}

/** The single-threaded kernels; reusing them across trees keeps their buffers. */
export function serialKernels(data: KernelData, maxRows: number): NodeKernels {
  const pool: Float64Array[] = [];
  const scratch = { g: new Float64Array(maxRows), h: new Float64Array(maxRows) };
  const left = new Int32Array(maxRows);
  const right = new Int32Array(maxRows);
  return {
    take: () => pool.pop()?.fill(0) ?? new Float64Array(data.totalBins * STRIDE),
    give: (hist) => void pool.push(hist),
    build: (hist, features, rows, start, end, grad, hess, counted) =>
      buildHistogram(
        hist,
        data.codes,
        features,
        data.layout.offsets,
        rows,
        start,
        end,
        grad,
        hess,
        scratch,
        counted,
        data.quads,
      ),
    partition: (rows, start, end, feature, goLeft) =>
      partitionRows(rows, start, end, data.codes[feature]!, goLeft, left, right),
  };
}
