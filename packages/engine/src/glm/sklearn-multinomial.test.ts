import { describe, it, expect } from 'vitest';
import { predictFrame } from '../artifact/predict-frame.js';
import { predictRecords } from '../artifact/predict-records.js';
import type { GlmArtifact, MultinomialGlmModel } from '../artifact/model-artifact.js';
import { expectClose } from '../test-support/expect-close.js';
import { fixtureFrame, type FixtureColumn } from '../test-support/fixture-frame.js';
import { trainGlmModel } from './train-glm-model.js';
import churn from './__fixtures__/sklearn-multinomial-churn.json' with { type: 'json' };

// Fits on all rows (testFraction 0) and compares with scikit-learn's LogisticRegression(multi_class='multinomial')
// fitted on the same design (see scripts/reference/make_glm_fixtures.py); both references meet the optimality
// conditions to 1e-11, so the comparison is tighter than the 1e-4 the engine promises.

const frame = fixtureFrame(churn.columns as FixtureColumn[]);

function multinomial(artifact: GlmArtifact): MultinomialGlmModel {
  if (artifact.model.family !== 'multinomial') throw new Error('expected a multinomial GLM');
  return artifact.model;
}

describe('multinomial GLM vs scikit-learn LogisticRegression(multi_class="multinomial") (wa_churn, 3 classes)', () => {
  for (const reference of churn.cases) {
    it(`lambda ${reference.params.lambda} alpha ${reference.params.alpha} (${reference.solver})`, () => {
      const { artifact } = trainGlmModel(frame, {
        target: churn.target,
        task: 'classification',
        params: { ...reference.params, testFraction: 0, tolerance: 1e-20, maxIterations: 100_000 },
      });
      const model = multinomial(artifact);
      expect(artifact.metadata.converged).toBe(true);
      expect(artifact.classes).toEqual(churn.classes);
      expectClose(model.intercepts, reference.intercepts, 0, 1e-7);
      model.coefficientMatrix.forEach((row, k) => {
        expectClose(row, reference.coefficients[k]!, 0, 1e-7);
        // The lasso zeros are exact in both.
        expect(zeros(row)).toEqual(zeros(reference.coefficients[k]!));
      });
      expectClose(predictFrame(artifact, frame), reference.probabilities.flat(), 0, 1e-8);
    });
  }

  it('scores records exactly like frames, with probabilities over every class', () => {
    const { artifact } = trainGlmModel(frame, { target: churn.target, task: 'classification' });
    const rows = [0, 1, 2, 3, 4];
    const fromFrame = predictFrame(artifact, frame.take(Int32Array.from(rows)));
    const columns = churn.columns as FixtureColumn[];
    const records = rows.map((i) =>
      Object.fromEntries(columns.filter((c) => c.name !== churn.target).map((c) => [c.name, c.values[i] ?? null])),
    );
    predictRecords(artifact, records).forEach((prediction, i) => {
      if (!('probabilities' in prediction)) throw new Error('expected class probabilities');
      const probabilities = churn.classes.map((c) => prediction.probabilities[c]!);
      expect(probabilities).toEqual(Array.from(fromFrame.subarray(i * 3, i * 3 + 3)));
      const best = probabilities.indexOf(Math.max(...probabilities));
      expect(prediction.label).toBe(churn.classes[best]);
    });
  });

  it('reports one original-units predictor per class that reproduces the linear predictors', () => {
    const { artifact } = trainGlmModel(frame, { target: churn.target, task: 'classification' });
    const units = artifact.metadata.originalUnits;
    if (!Array.isArray(units)) throw new Error('expected one original-units predictor per class');
    expect(units).toHaveLength(3);
    const record = { tenure: 10, monthly_charges: 70, total_charges: 700, senior_citizen: 0, partner: 1 };
    const full = { ...record, internet_service: 'DSL', paperless_billing: 1, payment_method: 'Mailed check' };
    const etas = units.map((u) => {
      let eta = u.intercept;
      for (const t of u.terms) {
        const value = full[t.feature as keyof typeof full];
        if (t.category === undefined) eta += t.coefficient * (value as number);
        else if (t.category === value) eta += t.coefficient;
      }
      return eta;
    });
    const top = Math.max(...etas);
    const expected = etas.map((e) => Math.exp(e - top));
    const sum = expected.reduce((s, v) => s + v, 0);
    const [prediction] = predictRecords(artifact, [full]);
    if (prediction === undefined || !('probabilities' in prediction)) throw new Error('expected probabilities');
    expectClose(
      churn.classes.map((c) => prediction.probabilities[c]!),
      expected.map((e) => e / sum),
      1e-12,
    );
  });
});

const zeros = (values: number[]) => values.flatMap((v, i) => (v === 0 ? [i] : []));
