import { describe, it, expect } from 'vitest';
import { predictFrame } from '../artifact/predict-frame.js';
import { expectClose } from '../test-support/expect-close.js';
import { fixtureFrame, type FixtureColumn } from '../test-support/fixture-frame.js';
import { trainGlmModel } from './train-glm-model.js';
import logistic from './__fixtures__/sklearn-logistic-credit.json' with { type: 'json' };
import churn from './__fixtures__/sklearn-logistic-churn.json' with { type: 'json' };
import gaussian from './__fixtures__/sklearn-gaussian-ames.json' with { type: 'json' };
import { linearModel } from '../test-support/linear-glm.js';

// Fits on all rows (testFraction 0) with a tight tolerance and compares with scikit-learn fitted on the same design
// (mean imputation, population-std standardisation, one-hot over sorted categories), built independently in Python.

describe('binomial GLM vs scikit-learn LogisticRegression, ridge and elastic net (credit_data, 405 rows)', () => {
  const frame = fixtureFrame(logistic.columns as FixtureColumn[]);

  for (const reference of logistic.cases) {
    it(`lambda ${reference.params.lambda} alpha ${reference.params.alpha} (${reference.solver})`, () => {
      const { artifact } = trainGlmModel(frame, {
        target: logistic.target,
        task: 'classification',
        params: { ...reference.params, testFraction: 0, tolerance: 1e-20, maxIterations: 100_000 },
      });
      expect(artifact.metadata.converged).toBe(true);
      expect(artifact.classes).toEqual(logistic.classes);
      expectEncodings(artifact.preprocessing.encodings, logistic.encodings);
      expectClose([linearModel(artifact).intercept], [reference.intercept], 1e-7, 1e-7);
      expectClose(linearModel(artifact).coefficients, reference.coefficients, 1e-7, 1e-7);
      expect(zeros(linearModel(artifact).coefficients)).toEqual(zeros(reference.coefficients));
      expectClose(predictFrame(artifact, frame), reference.probabilities, 0, 2e-9);
    });
  }
});

describe('binomial GLM vs scikit-learn on exactly collinear indicators (wa_churn, 353 rows)', () => {
  // "No internet service" is the same indicator in six category blocks, so only the tiny ridge penalty pins down
  // how the coefficients share it: the slowest case for coordinate descent.
  const frame = fixtureFrame(churn.columns as FixtureColumn[]);
  const reference = churn.cases[0]!;

  it(`lambda ${reference.params.lambda}`, () => {
    const { artifact } = trainGlmModel(frame, {
      target: churn.target,
      task: 'classification',
      params: { ...reference.params, testFraction: 0, tolerance: 1e-20, maxIterations: 100_000 },
    });
    expect(artifact.metadata.converged).toBe(true);
    expect(artifact.classes).toEqual(churn.classes);
    expectEncodings(artifact.preprocessing.encodings, churn.encodings);
    expectClose(linearModel(artifact).coefficients, reference.coefficients, 1e-6, 1e-6);
    expectClose(predictFrame(artifact, frame), reference.probabilities, 0, 1e-8);
  });
});

describe('gaussian elastic net vs scikit-learn Ridge / ElasticNet (ames, 293 rows)', () => {
  const frame = fixtureFrame(gaussian.columns as FixtureColumn[]);

  for (const reference of gaussian.cases) {
    it(`${reference.model} lambda ${reference.params.lambda} alpha ${reference.params.alpha}`, () => {
      const { artifact } = trainGlmModel(frame, {
        target: gaussian.target,
        task: 'regression',
        params: { ...reference.params, testFraction: 0, tolerance: 1e-22, maxIterations: 1_000_000 },
      });
      expect(artifact.metadata.converged).toBe(true);
      expectEncodings(artifact.preprocessing.encodings, gaussian.encodings);
      expectClose([linearModel(artifact).intercept], [reference.intercept], 1e-8);
      expectClose(linearModel(artifact).coefficients, reference.coefficients, 1e-8, 1e-4);
      // The lasso zeros are exact in both.
      expect(zeros(linearModel(artifact).coefficients)).toEqual(zeros(reference.coefficients));
      expectClose(predictFrame(artifact, frame), reference.predictions, 1e-9);
    });
  }
});

const zeros = (values: number[]) => values.flatMap((v, i) => (v === 0 ? [i] : []));

type Encoding = { name: string; type: string; impute?: number; center?: number; scale?: number; categories?: string[] };

function expectEncodings(actual: Encoding[], expected: Encoding[]): void {
  expect(actual.map((e) => [e.name, e.type, e.categories])).toEqual(
    expected.map((e) => [e.name, e.type, e.categories]),
  );
  const numbers = (list: Encoding[]) =>
    list.flatMap((e) => (e.type === 'number' ? [e.impute!, e.center!, e.scale!] : []));
  expectClose(numbers(actual), numbers(expected), 1e-12);
}
