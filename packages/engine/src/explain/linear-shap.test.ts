import { describe, expect, it } from 'vitest';
import type { GlmArtifact } from '../artifact/model-artifact.js';
import { modelView } from '../artifact/model-view.js';
import type { Frame } from '../frame/frame.js';
import { trainGlmModel } from '../glm/train-glm-model.js';
import { targetEncodeFrame } from '../preprocess/apply-target-encoding.js';
import { encodeFrame } from '../preprocess/encode-frame.js';
import { scoringRows, sharedFrame } from '../test-support/parity-cases.js';
import { syntheticClassification, syntheticRegression } from '../test-support/synthetic.js';
import { linearShap } from './linear-shap.js';
import { modelColumnFeatures } from './model-column-features.js';

/** The design matrix as dense rows, through the training encoder (not the scorer linearShap shares code with). */
function denseDesign(artifact: GlmArtifact, frame: Frame): Float64Array[] {
  const encoding = artifact.preprocessing.targetEncoding;
  const design = encodeFrame(encoding ? targetEncodeFrame(encoding, frame) : frame, artifact.preprocessing.encodings);
  const rows = Array.from({ length: frame.nRows }, () => new Float64Array(design.width));
  for (const part of design.parts) {
    if (part.kind === 'dense') rows.forEach((row, i) => (row[part.index] = part.values[i]!));
    else rows.forEach((row, i) => part.codes[i]! >= 0 && (row[part.start + part.codes[i]!] = 1));
  }
  return rows;
}

/**
 * Brute-force Shapley values of the linear model with independent features: v(S) = intercept + Σ over the columns of
 * features in S of β_k x_k + Σ over the other columns of β_k mean_k, enumerated over every subset of features.
 */
function bruteForce(artifact: GlmArtifact, frame: Frame): { expected: number[]; phi: Float64Array } {
  const model = artifact.model;
  const rows =
    model.family === 'multinomial'
      ? model.intercepts.map((b, c) => ({ intercept: b, beta: model.coefficientMatrix[c]! }))
      : [{ intercept: model.intercept, beta: model.coefficients }];
  const means = artifact.metadata.columnMeans!;
  const groups = modelColumnFeatures(artifact);
  const owner: number[] = [];
  artifact.preprocessing.encodings.forEach((e, m) => {
    for (let q = 0; q < (e.type === 'number' ? 1 : e.categories.length); q++) owner.push(groups[m]!);
  });
  const m = artifact.features.length;
  const k = rows.length;
  const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));
  const design = denseDesign(artifact, frame);
  const phi = new Float64Array(frame.nRows * m * k);
  const v = new Float64Array(1 << m);
  design.forEach((x, i) => {
    rows.forEach(({ intercept, beta }, c) => {
      for (let mask = 0; mask < 1 << m; mask++) {
        let sum = intercept;
        for (let col = 0; col < x.length; col++)
          sum += beta[col]! * (mask & (1 << owner[col]!) ? x[col]! : means[col]!);
        v[mask] = sum;
      }
      for (let j = 0; j < m; j++) {
        let total = 0;
        for (let mask = 0; mask < 1 << m; mask++) {
          if (mask & (1 << j)) continue;
          let size = 0;
          for (let b = mask; b > 0; b &= b - 1) size++;
          total += ((factorial(size) * factorial(m - size - 1)) / factorial(m)) * (v[mask | (1 << j)]! - v[mask]!);
        }
        phi[(i * m + j) * k + c] = total;
      }
    });
  });
  const expected = rows.map(({ intercept, beta }) => beta.reduce((s, b, col) => s + b * means[col]!, intercept));
  return { expected, phi };
}

function expectBruteForce(artifact: GlmArtifact, frame: Frame): void {
  const shap = linearShap(artifact, frame);
  const brute = bruteForce(artifact, frame);
  const magnitude = Math.max(1, ...brute.phi.map(Math.abs), ...brute.expected.map(Math.abs));
  let worst = 0;
  brute.phi.forEach((p, i) => (worst = Math.max(worst, Math.abs(p - shap.contributions[i]!))));
  brute.expected.forEach((e, c) => (worst = Math.max(worst, Math.abs(e - shap.expected[c]!))));
  expect(worst / magnitude).toBeLessThanOrEqual(1e-12);
  expect(brute.phi.some((p) => Math.abs(p) > 1e-6)).toBe(true);
}

describe('linearShap', () => {
  it('records the training means of the encoded columns', () => {
    const frame = syntheticClassification();
    const { artifact } = trainGlmModel(frame, { target: 'y', task: 'classification', params: { testFraction: 0 } });
    const design = denseDesign(modelView(artifact), frame);
    const means = artifact.metadata.columnMeans!;
    expect(means.length).toBe(design[0]!.length);
    means.forEach((mean, col) => {
      const direct = design.reduce((s, row) => s + row[col]!, 0) / design.length;
      expect(Math.abs(mean - direct)).toBeLessThan(1e-12);
    });
  });

  it('equals brute-force Shapley values: binomial and gaussian, with missing values and categories', () => {
    const classification = syntheticClassification(300, 5);
    expectBruteForce(trainGlmModel(classification, { target: 'y', task: 'classification' }).artifact, classification);
    const regression = syntheticRegression(300, 6);
    expectBruteForce(trainGlmModel(regression, { target: 'price', task: 'regression' }).artifact, regression);
  });

  it('equals brute-force Shapley values: multinomial, one vector per class, target-encoded features', () => {
    const diamonds = sharedFrame('diamonds.csv');
    const rows = scoringRows(diamonds.take(Int32Array.from({ length: 40 }, (_, i) => i * 97)), 80);
    const options = {
      target: 'cut',
      task: 'classification' as const,
      features: ['carat', 'color', 'clarity', 'depth'],
    };
    expectBruteForce(trainGlmModel(diamonds, options).artifact, rows);
    const encoded = trainGlmModel(diamonds, { ...options, params: { categoricalEncoding: 'target' } }).artifact;
    expect(encoded.preprocessing.targetEncoding).toBeDefined();
    expectBruteForce(encoded, rows);
  });

  it('refuses an artifact written before column means were recorded', () => {
    const frame = syntheticRegression();
    const artifact = structuredClone(trainGlmModel(frame, { target: 'price', task: 'regression' }).artifact);
    delete artifact.metadata.columnMeans;
    expect(() => linearShap(artifact, frame)).toThrow(
      expect.objectContaining({
        code: 'invalid_artifact',
        details: expect.objectContaining({ reason: 'explain_needs_column_means' }),
      }),
    );
  });
});
