// GLMs for the ONNX export: imputation, standardisation and one-hot columns, then the linear predictors in double
// precision (MatMul + Add) and their link (Sigmoid or Softmax).
import { EngineError } from '../errors.js';
import type { GlmArtifact } from '../artifact/model-artifact.js';
import type { ColumnBuilder, ModelColumn } from './onnx-columns.js';

/** [N, 1] values or P(classes[1]), or [N, k] class probabilities, as predictFrame gives them. */
export function glmPrediction(columns: ColumnBuilder, artifact: GlmArtifact, inputs: ModelColumn[]): string {
  const g = columns.g;
  const model = artifact.model;
  const rows = model.family === 'multinomial' ? model.coefficientMatrix : [model.coefficients];
  const intercepts = model.family === 'multinomial' ? model.intercepts : [model.intercept];
  const k = rows.length;

  const parts: string[] = [];
  for (const column of inputs) {
    if (column.kind === 'number') {
      const { impute, center, scale } = column.encoding;
      const imputed = g.op('Where', [column.missing, g.doubles([impute], []), column.value]);
      parts.push(g.op('Div', [g.op('Sub', [imputed, g.doubles([center], [])]), g.doubles([scale], [])]));
    } else {
      // One indicator per category; index -1 (missing or unseen) matches none.
      const size = column.encoding.categories.length;
      if (size === 0) continue;
      const levels = g.int64s(Array.from({ length: size }, (_, i) => i));
      parts.push(g.op('Cast', [g.op('Equal', [column.index, levels])], { to: 11 }));
    }
  }
  const width = rows[0]?.length ?? 0;
  // Row-major [width, k]: column o holds output o's coefficients.
  const weights = new Float64Array(width * k);
  rows.forEach((coefficients, o) => coefficients.forEach((b, j) => (weights[j * k + o] = b)));

  const columnCount = inputs.reduce((n, c) => n + (c.kind === 'number' ? 1 : c.encoding.categories.length), 0);
  if (parts.length === 0 || columnCount !== width || rows.some((r) => r.length !== width)) {
    throw new EngineError('invalid_artifact', 'The GLM coefficients do not match its encoded columns', {
      columns: columnCount,
      coefficients: width,
    });
  }
  const x = parts.length === 1 ? parts[0]! : g.op('Concat', parts, { axis: 1 });
  const product = g.op('MatMul', [x, g.doubles(weights, [width, k], 'coefficients')]);
  const eta = g.op('Add', [product, g.doubles(intercepts, [k], 'intercepts')]);
  if (model.family === 'binomial') return g.op('Sigmoid', [eta]);
  if (model.family === 'multinomial') return g.op('Softmax', [eta], { axis: 1 });
  return eta;
}
