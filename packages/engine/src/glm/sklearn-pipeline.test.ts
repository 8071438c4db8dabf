import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { predictFrame } from '../artifact/predict-frame.js';
import { csvFrame } from '../test-support/csv-frame.js';
import { expectClose } from '../test-support/expect-close.js';
import { fixtureFrame, type FixtureColumn } from '../test-support/fixture-frame.js';
import { holdoutSplit } from '../validation/holdout-split.js';
import { trainGlmModel } from './train-glm-model.js';
import credit from './__fixtures__/sklearn-pipeline-credit.json' with { type: 'json' };
import ames from './__fixtures__/sklearn-pipeline-ames.json' with { type: 'json' };
import amesData from './__fixtures__/sklearn-gaussian-ames.json' with { type: 'json' };

// End to end against scikit-learn: the reference used a Python port of our seeded split, then its own
// ColumnTransformer(SimpleImputer + StandardScaler, OneHotEncoder(handle_unknown='ignore')) fitted on the training
// rows, the model, and its metrics on the holdout. Column order differs from ours, so predictions and metrics are
// compared, not coefficients.

describe('trainGlmModel vs a scikit-learn pipeline: credit_data.csv, all 4454 rows', () => {
  const csv = readFileSync(new URL('../../../../examples/data/credit_data.csv', import.meta.url), 'utf8');
  const frame = csvFrame(csv);

  it('reproduces the split of the Python port', () => {
    const status = frame.column('Status');
    if (status.kind !== 'category') throw new Error('Status should be a category');
    const good = Int32Array.from(status.codes, (c) => (status.dictionary[c] === 'good' ? 1 : 0));
    expect(Array.from(holdoutSplit(frame.nRows, { testFraction: 0.2, seed: 42, stratify: good }).test)).toEqual(
      credit.test,
    );
  });

  it('matches holdout probabilities and metrics at a tight tolerance', () => {
    const result = trainGlmModel(frame, {
      target: 'Status',
      task: 'classification',
      params: { ...credit.params, tolerance: 1e-20, maxIterations: 100_000 },
    });
    expect(result.testRows).toBe(credit.test.length);
    expectClose(predictFrame(result.artifact, frame.take(Int32Array.from(credit.test))), credit.probabilities, 0, 1e-9);
    for (const [name, value] of Object.entries(credit.metrics)) expectClose([result.metrics[name]!], [value], 1e-9);
  });

  it('stays within 1e-5 of the reference metrics with default parameters', () => {
    const result = trainGlmModel(frame, { target: 'Status', task: 'classification' });
    expect(result.artifact.metadata.params.lambda).toBe(credit.params.lambda);
    for (const [name, value] of Object.entries(credit.metrics)) {
      expectClose([result.metrics[name]!], [value], name === 'accuracy' ? 0 : 1e-5);
    }
  });
});

describe('trainGlmModel vs a scikit-learn pipeline: ames subset, ridge', () => {
  const frame = fixtureFrame(amesData.columns as FixtureColumn[]);

  it('matches holdout predictions and metrics', () => {
    const result = trainGlmModel(frame, {
      target: 'Sale_Price',
      task: 'regression',
      params: { ...ames.params, testFraction: 0.3, seed: 7, tolerance: 1e-22, maxIterations: 1_000_000 },
    });
    expect(Array.from(holdoutSplit(frame.nRows, { testFraction: 0.3, seed: 7 }).test)).toEqual(ames.test);
    expectClose(predictFrame(result.artifact, frame.take(Int32Array.from(ames.test))), ames.predictions, 1e-9);
    for (const [name, value] of Object.entries(ames.metrics)) expectClose([result.metrics[name]!], [value], 1e-9);
  });
});
