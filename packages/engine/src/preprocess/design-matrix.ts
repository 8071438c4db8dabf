// The encoded model input: dense numeric columns and one-hot blocks stored as one category code per row.

/** One encoded numeric column. */
export interface DensePart {
  kind: 'dense';
  index: number;
  values: Float64Array;
}

/**
 * A one-hot block: columns start..start+size-1, row i has a 1 in column start + codes[i] (codes[i] = -1: all zero).
 * Kept as codes so a 1000-level category costs one Int32Array, and so the solver can sweep a block in sequential
 * passes over the rows (its columns have disjoint supports).
 */
export interface BlockPart {
  kind: 'block';
  start: number;
  size: number;
  codes: Int32Array;
}

export type DesignPart = DensePart | BlockPart;

/** Columns whose centred versions satisfy x~_j = scales[k] * x~_columns[0] (scales[0] = 1), for any row weights. */
export interface TiedGroup {
  columns: number[];
  scales: number[];
}

export interface DesignMatrix {
  nRows: number;
  /** Number of encoded columns (coefficients). */
  width: number;
  /** In encoded-column order. */
  parts: DesignPart[];
  /** Groups of tied columns (see find-tied-columns.ts); the loss only sees each group's scaled sum. */
  tied?: TiedGroup[];
}

/** out += factor * X b: the plain loops of the hottest path. */
export function addProduct(out: Float64Array, x: DesignMatrix, beta: ArrayLike<number>, factor: number): void {
  for (const part of x.parts) {
    if (part.kind === 'dense') {
      const b = factor * beta[part.index]!;
      if (b === 0) continue;
      const values = part.values;
      for (let i = 0; i < values.length; i++) out[i] = out[i]! + b * values[i]!;
    } else {
      const { start, codes } = part;
      for (let i = 0; i < codes.length; i++) {
        const c = codes[i]!;
        if (c >= 0) out[i] = out[i]! + factor * beta[start + c]!;
      }
    }
  }
}

/** Encoded column j as a dense array (tests and diagnostics). */
export function denseColumn(x: DesignMatrix, j: number): Float64Array {
  for (const part of x.parts) {
    if (part.kind === 'dense' && part.index === j) return part.values;
    if (part.kind === 'block' && j >= part.start && j < part.start + part.size) {
      return Float64Array.from(part.codes, (c) => (c === j - part.start ? 1 : 0));
    }
  }
  throw new RangeError(`No encoded column ${j}`);
}
