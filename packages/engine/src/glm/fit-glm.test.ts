import { describe, it, expect } from 'vitest';
import { denseColumn } from '../preprocess/design-matrix.js';
import { encodeFrame } from '../preprocess/encode-frame.js';
import { encodeTarget } from '../preprocess/encode-target.js';
import { fitPreprocessing } from '../preprocess/fit-preprocessing.js';
import { fixtureFrame, type FixtureColumn } from '../test-support/fixture-frame.js';
import { fitGlm, sigmoid } from './fit-glm.js';
import { linearPredictor } from './linear-predictor.js';
import logistic from './__fixtures__/sklearn-logistic-credit.json' with { type: 'json' };

const frame = fixtureFrame(logistic.columns as FixtureColumn[]);
const features = frame.names.filter((name) => name !== 'Status');
const design = encodeFrame(frame, fitPreprocessing(frame, features).encodings);
const y = encodeTarget(frame, 'Status', 'classification').y;

describe('fitGlm binomial', () => {
  it('meets the elastic-net optimality conditions on real data (lasso zeros included)', () => {
    const lambda = 0.01;
    const alpha = 0.7;
    const fit = fitGlm(design, y, { family: 'binomial', lambda, alpha, maxIterations: 100_000, tolerance: 1e-22 });
    expect(fit.converged).toBe(true);
    const beta = fit.coefficients[0]!;
    const eta = linearPredictor(design, fit.intercepts[0]!, beta);
    const n = y.length;
    const residual = Float64Array.from(y, (yi, i) => yi - sigmoid(eta[i]!));
    expect(Math.abs(residual.reduce((s, v) => s + v, 0) / n)).toBeLessThan(1e-10);
    let zeros = 0;
    Array.from({ length: design.width }, (_, j) => denseColumn(design, j)).forEach((col, j) => {
      let g = 0;
      for (let i = 0; i < n; i++) g += col[i]! * residual[i]!;
      g = g / n - lambda * (1 - alpha) * beta[j]!;
      const b = beta[j]!;
      if (b === 0) {
        zeros++;
        expect(Math.abs(g)).toBeLessThanOrEqual(lambda * alpha + 1e-9);
      } else {
        expect(Math.abs(g - lambda * alpha * Math.sign(b))).toBeLessThan(1e-9);
      }
    });
    expect(zeros).toBeGreaterThan(3);
  });

  it('stays finite on perfectly separable data', () => {
    const x = {
      nRows: 6,
      width: 1,
      parts: [{ kind: 'dense' as const, index: 0, values: Float64Array.from([-3, -2, -1, 1, 2, 3]) }],
    };
    const fit = fitGlm(x, Float64Array.from([0, 0, 0, 1, 1, 1]), {
      family: 'binomial',
      lambda: 1e-4,
      alpha: 0,
      maxIterations: 10_000,
      tolerance: 1e-9,
    });
    expect(Number.isFinite(fit.intercepts[0])).toBe(true);
    expect(fit.coefficients[0]![0]).toBeGreaterThan(2);
  });

  it('reports strictly increasing progress below 1', () => {
    const fractions: number[] = [];
    fitGlm(design, y, {
      family: 'binomial',
      lambda: 1e-4,
      alpha: 0,
      maxIterations: 10_000,
      tolerance: 1e-9,
      onProgress: (f) => fractions.push(f),
    });
    expect(fractions.length).toBeGreaterThan(2);
    fractions.forEach((f, i) => {
      expect(f).toBeLessThan(1);
      if (i > 0) expect(f).toBeGreaterThan(fractions[i - 1]!);
    });
  });
});
