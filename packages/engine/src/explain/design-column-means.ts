// The training mean of every encoded GLM column, recorded at training time as the baseline of exact linear SHAP.
import type { DesignMatrix } from '../preprocess/design-matrix.js';

/** Column means of the design matrix, in encoded-column order (a one-hot column's mean is its category's share). */
export function designColumnMeans(design: DesignMatrix): number[] {
  const means = new Array<number>(design.width).fill(0);
  const n = design.nRows;
  if (n === 0) return means;
  for (const part of design.parts) {
    if (part.kind === 'dense') {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += part.values[i]!;
      means[part.index] = sum / n;
    } else {
      const counts = new Float64Array(part.size);
      for (let i = 0; i < n; i++) {
        const code = part.codes[i]!;
        if (code >= 0) counts[code]!++;
      }
      for (let k = 0; k < part.size; k++) means[part.start + k] = counts[k]! / n;
    }
  }
  return means;
}
