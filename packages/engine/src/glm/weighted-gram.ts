// The weighted, centred Gram matrix of a design: what covariance-mode coordinate descent works from.
import type { DesignMatrix } from '../preprocess/design-matrix.js';

export interface WeightedGram {
  /** sum_i w_i. */
  sumW: number;
  /** Weighted column means m_j. */
  means: Float64Array;
  /** p × p row-major: C_jk = sum_i w_i (x_ij - m_j)(x_ik - m_k). */
  matrix: Float64Array;
}

/**
 * Plain loops over typed arrays: this is O(n p^2) for dense columns, but a one-hot block costs one pass per other part
 * (its own columns never share a row), so category-heavy designs stay cheap.
 */
export function weightedGram(x: DesignMatrix, w: Float64Array): WeightedGram {
  const n = x.nRows;
  const p = x.width;
  let sumW = 0;
  for (let i = 0; i < n; i++) sumW += w[i]!;
  const matrix = new Float64Array(p * p);
  const means = new Float64Array(p);
  const parts = x.parts;
  // w_i x_ij for every dense column, once: each pair below then costs one multiply-add per row.
  const weighted = new Map<number, Float64Array>();
  for (const part of parts) {
    if (part.kind === 'dense')
      weighted.set(
        part.index,
        part.values.map((v, i) => w[i]! * v),
      );
  }
  // Uncentred weighted products first.
  for (let a = 0; a < parts.length; a++) {
    const pa = parts[a]!;
    for (let b = a; b < parts.length; b++) {
      const pb = parts[b]!;
      if (pa.kind === 'dense' && pb.kind === 'dense') {
        const u = weighted.get(pa.index)!;
        const v = pb.values;
        let s = 0;
        for (let i = 0; i < n; i++) s += u[i]! * v[i]!;
        set(matrix, p, pa.index, pb.index, s);
      } else if (pa.kind === 'block' && pb.kind === 'block') {
        if (a === b) {
          const codes = pa.codes;
          const sums = new Float64Array(pa.size);
          for (let i = 0; i < n; i++) {
            const c = codes[i]!;
            if (c >= 0) sums[c] = sums[c]! + w[i]!;
          }
          for (let k = 0; k < pa.size; k++) matrix[(pa.start + k) * p + pa.start + k] = sums[k]!;
          continue;
        }
        const sums = new Float64Array(pa.size * pb.size);
        const ca = pa.codes;
        const cb = pb.codes;
        for (let i = 0; i < n; i++) {
          const c = ca[i]!;
          const d = cb[i]!;
          if (c >= 0 && d >= 0) sums[c * pb.size + d] = sums[c * pb.size + d]! + w[i]!;
        }
        for (let k = 0; k < pa.size; k++) {
          for (let l = 0; l < pb.size; l++) set(matrix, p, pa.start + k, pb.start + l, sums[k * pb.size + l]!);
        }
      } else {
        const dense = pa.kind === 'dense' ? pa : (pb as typeof pa & { kind: 'dense' });
        const block = pa.kind === 'block' ? pa : (pb as typeof pa & { kind: 'block' });
        const sums = new Float64Array(block.size);
        const codes = block.codes;
        const values = weighted.get(dense.index)!;
        for (let i = 0; i < n; i++) {
          const c = codes[i]!;
          if (c >= 0) sums[c] = sums[c]! + values[i]!;
        }
        for (let k = 0; k < block.size; k++) set(matrix, p, dense.index, block.start + k, sums[k]!);
      }
    }
  }
  for (const part of parts) {
    if (part.kind === 'dense') {
      const values = weighted.get(part.index)!;
      let s = 0;
      for (let i = 0; i < n; i++) s += values[i]!;
      means[part.index] = sumW > 0 ? s / sumW : 0;
    } else {
      // An indicator's weighted sum is its diagonal entry.
      for (let k = 0; k < part.size; k++) {
        const j = part.start + k;
        means[j] = sumW > 0 ? matrix[j * p + j]! / sumW : 0;
      }
    }
  }
  for (let j = 0; j < p; j++) {
    for (let k = 0; k < p; k++) matrix[j * p + k] = matrix[j * p + k]! - sumW * means[j]! * means[k]!;
  }
  return { sumW, means, matrix };
}

function set(matrix: Float64Array, p: number, j: number, k: number, value: number): void {
  matrix[j * p + k] = value;
  matrix[k * p + j] = value;
}
