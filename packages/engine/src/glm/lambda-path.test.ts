import { describe, it, expect } from 'vitest';
import { encodeFrame } from '../preprocess/encode-frame.js';
import { encodeTarget } from '../preprocess/encode-target.js';
import { fitPreprocessing } from '../preprocess/fit-preprocessing.js';
import { expectClose } from '../test-support/expect-close.js';
import { fixtureFrame, type FixtureColumn } from '../test-support/fixture-frame.js';
import { syntheticClassification } from '../test-support/synthetic.js';
import { fitGlm } from './fit-glm.js';
import type { GlmFamily } from './glm-fit.js';
import { lambdaMax } from './lambda-max.js';
import { fitLambdaPath, lambdaSequence } from './lambda-path.js';
import { trainGlmModel } from './train-glm-model.js';
import churn from './__fixtures__/sklearn-multinomial-churn.json' with { type: 'json' };

const frame = fixtureFrame(churn.columns as FixtureColumn[]);
const features = frame.names.filter((name) => name !== 'contract');
const design = encodeFrame(frame, fitPreprocessing(frame, features).encodings);
const contract = encodeTarget(frame, 'contract', 'classification').y;
const charges = frame.column('monthly_charges');
if (charges.kind !== 'number') throw new Error('monthly_charges should be numeric');
const targets: Record<GlmFamily, Float64Array> = {
  multinomial: contract,
  binomial: contract.map((c) => (c === 0 ? 1 : 0)),
  gaussian: charges.values,
};
const designWithoutCharges = encodeFrame(
  frame,
  fitPreprocessing(
    frame,
    features.filter((f) => f !== 'monthly_charges'),
  ).encodings,
);

const nonZero = (rows: Float64Array[]) => rows.reduce((s, row) => s + row.filter((b) => b !== 0).length, 0);
const base = { maxIterations: 100_000, tolerance: 1e-16, nClasses: 3 };

describe('lambdaMax', () => {
  for (const family of ['gaussian', 'binomial', 'multinomial'] as const) {
    const x = family === 'gaussian' ? designWithoutCharges : design;
    for (const alpha of [1, 0.3]) {
      it(`${family}, alpha ${alpha}: every coefficient is zero at lambda_max and some are just below it`, () => {
        const top = lambdaMax(x, targets[family], family, alpha, 3);
        expect(top).toBeGreaterThan(0);
        const at = fitGlm(x, targets[family], { ...base, family, alpha, lambda: top * (1 + 1e-9) });
        expect(nonZero(at.coefficients)).toBe(0);
        const below = fitGlm(x, targets[family], { ...base, family, alpha, lambda: top * 0.97 });
        expect(nonZero(below.coefficients)).toBeGreaterThan(0);
      });
    }
  }

  it('uses glmnet convention for ridge: the lambda_max of alpha = 0.001', () => {
    const y = targets.binomial;
    expect(lambdaMax(design, y, 'binomial', 0, 2)).toBe(lambdaMax(design, y, 'binomial', 0.001, 2));
  });
});

describe('fitLambdaPath', () => {
  it('walks a geometric sequence from lambda_max', () => {
    const lambdas = lambdaSequence(2, 5, 1e-4);
    expectClose(lambdas, [2, 0.2, 0.02, 0.002, 0.0002], 1e-12);
  });

  for (const family of ['binomial', 'multinomial'] as const) {
    it(`${family}: records the path and, warm-started, ends where a cold fit at the last lambda lands`, () => {
      const y = targets[family];
      const path = fitLambdaPath(design, y, { ...base, family, alpha: 0.5, nLambdas: 12, lambdaMinRatio: 1e-3 });
      expect(path.steps).toHaveLength(12);
      expect(path.steps[0]!.nonZero).toBe(0);
      expect(path.steps[11]!.nonZero).toBeGreaterThan(10);
      path.steps.forEach((step, s) => {
        if (s === 0) return;
        const before = path.steps[s - 1]!;
        expect(step.lambda).toBeLessThan(before.lambda);
        // Less penalty fits the training rows at least as well.
        expect(step.trainDeviance).toBeLessThanOrEqual(before.trainDeviance + 1e-12);
        expect(step.holdoutDeviance).toBeUndefined();
      });
      // Without a holdout the last lambda is chosen.
      expect(path.lambda).toBe(path.steps[11]!.lambda);
      const cold = fitGlm(design, y, { ...base, family, alpha: 0.5, lambda: path.lambda });
      // Both meet tolerance 1e-16 and their objectives agree to 1e-16, but tenure and the charges are nearly
      // collinear, so coefficients that flat a valley pins down only to about 1e-7.
      cold.coefficients.forEach((row, k) => expectClose(path.fit.coefficients[k]!, row, 0, 1e-6));
      expectClose(path.fit.intercepts, cold.intercepts, 0, 1e-6);
    });
  }

  for (const family of ['gaussian', 'binomial', 'multinomial'] as const) {
    it(`${family}: strong-rule screening gives the same path as fitting every column`, () => {
      const x = family === 'gaussian' ? designWithoutCharges : design;
      const options = { ...base, family, alpha: 0.8, nLambdas: 10, lambdaMinRatio: 1e-3 };
      const screened = fitLambdaPath(x, targets[family], { ...options, screening: true });
      const full = fitLambdaPath(x, targets[family], { ...options, screening: false });
      expect(screened.steps.map((s) => s.nonZero)).toEqual(full.steps.map((s) => s.nonZero));
      expectClose(
        screened.steps.map((s) => s.trainDeviance),
        full.steps.map((s) => s.trainDeviance),
        1e-9,
      );
      screened.fit.coefficients.forEach((row, k) => expectClose(row, full.fit.coefficients[k]!, 0, 1e-7));
    });
  }

  it('picks the lambda with the lowest holdout deviance', () => {
    const y = targets.binomial;
    const half = Math.floor(design.nRows / 2);
    const rows = (from: number, to: number) => Int32Array.from({ length: to - from }, (_, i) => from + i);
    const split = (positions: Int32Array) => {
      const part = frame.take(positions);
      return encodeFrame(part, fitPreprocessing(frame, features).encodings);
    };
    const train = { x: split(rows(0, half)), y: y.subarray(0, half) };
    const test = { x: split(rows(half, design.nRows)), y: y.subarray(half) };
    const path = fitLambdaPath(
      train.x,
      train.y,
      { ...base, family: 'binomial', alpha: 1, nLambdas: 15, lambdaMinRatio: 1e-4 },
      test,
    );
    const deviances = path.steps.map((s) => s.holdoutDeviance!);
    expect(deviances.every(Number.isFinite)).toBe(true);
    const best = deviances.indexOf(Math.min(...deviances));
    expect(path.lambda).toBe(path.steps[best]!.lambda);
    // The holdout curve is not monotone here, so the choice is a real one.
    expect(best).toBeGreaterThan(0);
    expect(best).toBeLessThan(14);
  });
});

describe('trainGlmModel with lambdaSearch', () => {
  const data = syntheticClassification();
  const result = trainGlmModel(data, {
    target: 'y',
    task: 'classification',
    params: { lambdaSearch: true, alpha: 0.5, nLambdas: 20, lambdaMinRatio: 1e-3, tolerance: 1e-14 },
  });

  it('records the path in the metadata and fits the model at the chosen lambda', () => {
    const path = result.artifact.metadata.lambdaPath;
    if (path === undefined) throw new Error('expected a lambda path');
    expect(path.steps).toHaveLength(20);
    const deviances = path.steps.map((s) => s.holdoutDeviance!);
    const best = path.steps[deviances.indexOf(Math.min(...deviances))]!;
    expect(path.chosenLambda).toBe(best.lambda);
    expect(path.steps[0]!.nonZero).toBe(0);
    const refit = trainGlmModel(data, {
      target: 'y',
      task: 'classification',
      params: { lambda: path.chosenLambda, alpha: 0.5, tolerance: 1e-14 },
    });
    const model = result.artifact.model;
    const again = refit.artifact.model;
    if (model.family === 'multinomial' || again.family === 'multinomial') throw new Error('expected binomial');
    expectClose(model.coefficients, again.coefficients, 0, 1e-7);
    expect(result.metrics.auc).toBeGreaterThan(0.75);
  });

  it('reports strictly increasing progress ending at 1', () => {
    const fractions: number[] = [];
    trainGlmModel(data, {
      target: 'y',
      task: 'classification',
      params: { lambdaSearch: true, nLambdas: 5 },
      onProgress: (f) => fractions.push(f),
    });
    expect(fractions.at(-1)).toBe(1);
    fractions.forEach((f, i) => {
      if (i > 0) expect(f).toBeGreaterThan(fractions[i - 1]!);
    });
  });

  it('rejects an invalid path length or ratio', () => {
    const params = [{ nLambdas: 0 }, { nLambdas: 2.5 }, { lambdaMinRatio: 1 }, { lambdaMinRatio: 0 }];
    for (const p of params) {
      expect(() => trainGlmModel(data, { target: 'y', task: 'classification', params: p })).toThrow(
        expect.objectContaining({ code: 'invalid_param' }),
      );
    }
  });
});
