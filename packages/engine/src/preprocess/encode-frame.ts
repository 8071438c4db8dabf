// Applies fitted preprocessing to a frame, giving the design matrix the GLM trains on.
import type { Frame } from '../frame/frame.js';
import type { FeatureEncoding } from '../artifact/model-artifact.js';
import type { DesignMatrix, DesignPart } from './design-matrix.js';
import { categoryIndices, numericValues } from './feature-values.js';
import { findTiedColumns } from './find-tied-columns.js';

export function encodeFrame(frame: Frame, encodings: FeatureEncoding[]): DesignMatrix {
  const n = frame.nRows;
  const parts: DesignPart[] = [];
  let width = 0;
  for (const encoding of encodings) {
    if (encoding.type === 'number') {
      const values = numericValues(frame, encoding);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const v = values[i]!;
        out[i] = ((Number.isFinite(v) ? v : encoding.impute) - encoding.center) / encoding.scale;
      }
      parts.push({ kind: 'dense', index: width, values: out });
      width += 1;
    } else {
      parts.push({
        kind: 'block',
        start: width,
        size: encoding.categories.length,
        codes: categoryIndices(frame, encoding),
      });
      width += encoding.categories.length;
    }
  }
  return { nRows: n, width, parts, tied: findTiedColumns({ nRows: n, width, parts }) };
}
