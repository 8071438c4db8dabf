// Exact SHAP values of a GLM in link space: with independent features, feature j's Shapley value in a linear model is
// Σ over its encoded columns k of β_k (x_k − mean_k), the means taken over the training rows.
import { EngineError } from '../errors.js';
import type { Frame } from '../frame/frame.js';
import type { GlmArtifact } from '../artifact/model-artifact.js';
import { targetEncodeFrame } from '../preprocess/apply-target-encoding.js';
import { categoryIndices, numericValues } from '../preprocess/feature-values.js';
import { modelColumnFeatures } from './model-column-features.js';
import { outputLabels, type ShapValues } from './shap-values.js';

/** One coefficient row per output: one, or one per class (multinomial). */
function coefficientRows(artifact: GlmArtifact): { intercept: number; coefficients: number[] }[] {
  const model = artifact.model;
  if (model.family !== 'multinomial') return [{ intercept: model.intercept, coefficients: model.coefficients }];
  return model.intercepts.map((intercept, c) => ({ intercept, coefficients: model.coefficientMatrix[c]! }));
}

/** The training means of the encoded columns; throws when the artifact predates recording them. */
function columnMeans(artifact: GlmArtifact): number[] {
  const width = artifact.preprocessing.encodings.reduce(
    (w, e) => w + (e.type === 'number' ? 1 : e.categories.length),
    0,
  );
  const means = artifact.metadata.columnMeans;
  if (!Array.isArray(means) || means.length !== width || !means.every((m) => Number.isFinite(m))) {
    throw new EngineError(
      'invalid_artifact',
      'The GLM artifact does not record the training means of its encoded columns, which exact SHAP needs; ' +
        'retrain the model with this engine version to explain it',
      { reason: 'explain_needs_column_means', columns: width },
    );
  }
  return means;
}

/**
 * Exact (interventional, independent features) SHAP values of every frame row, per input feature and per linear
 * predictor: one (gaussian: the value; binomial: the log-odds of classes[1]) or one per class (multinomial).
 * Missing numbers are imputed and missing or unseen categories encode to all zeros, exactly as in scoring.
 */
export function linearShap(artifact: GlmArtifact, frame: Frame): ShapValues {
  const means = columnMeans(artifact);
  const rows = coefficientRows(artifact);
  const groups = modelColumnFeatures(artifact);
  const encoding = artifact.preprocessing.targetEncoding;
  const modelFrame = encoding === undefined ? frame : targetEncodeFrame(encoding, frame);
  const n = frame.nRows;
  const nFeatures = artifact.features.length;
  const k = rows.length;
  const contributions = new Float64Array(n * nFeatures * k);
  const expected = rows.map((r) => r.intercept);
  let offset = 0;
  artifact.preprocessing.encodings.forEach((enc, m) => {
    const j = groups[m]!;
    if (enc.type === 'number') {
      const values = numericValues(modelFrame, enc);
      rows.forEach(({ coefficients }, c) => {
        const b = coefficients[offset]!;
        const mean = means[offset]!;
        expected[c] = expected[c]! + b * mean;
        for (let i = 0; i < n; i++) {
          const v = values[i]!;
          const x = ((Number.isFinite(v) ? v : enc.impute) - enc.center) / enc.scale;
          const at = (i * nFeatures + j) * k + c;
          contributions[at] = contributions[at]! + b * (x - mean);
        }
      });
      offset += 1;
      return;
    }
    const indices = categoryIndices(modelFrame, enc);
    const size = enc.categories.length;
    rows.forEach(({ coefficients }, c) => {
      // Σ_k β_k (1[x = k] − mean_k) = β_x − Σ_k β_k mean_k.
      let centre = 0;
      for (let q = 0; q < size; q++) centre += coefficients[offset + q]! * means[offset + q]!;
      expected[c] = expected[c]! + centre;
      for (let i = 0; i < n; i++) {
        const q = indices[i]!;
        const at = (i * nFeatures + j) * k + c;
        contributions[at] = contributions[at]! + (q >= 0 ? coefficients[offset + q]! : 0) - centre;
      }
    });
    offset += size;
  });
  return {
    features: artifact.features.map((spec) => spec.name),
    outputs: outputLabels(artifact.target, artifact.classes, k),
    space: 'margin',
    nRows: n,
    expected,
    contributions,
  };
}
