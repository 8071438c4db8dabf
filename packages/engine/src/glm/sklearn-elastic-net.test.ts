import { describe, it, expect } from 'vitest';
import { expectClose } from '../test-support/expect-close.js';
import { fixtureFrame, type FixtureColumn } from '../test-support/fixture-frame.js';
import { linearModel } from '../test-support/linear-glm.js';
import { trainGlmModel } from './train-glm-model.js';
import reference from './__fixtures__/sklearn-elastic-net.json' with { type: 'json' };

// Small copies of the bench/glm elastic-net designs (alpha 0.5), fitted on all rows: scikit-learn's ElasticNet on
// diamonds and LogisticRegression(penalty='elasticnet', solver='saga') on churn. Both references meet the optimality
// conditions to 1e-14 (see scripts/reference/make_glm_fixtures.py).

const suites = [
  // Diamonds' carat, x, y and z are nearly collinear: the sweeps converge slowly there, hence the tighter tolerance.
  { data: reference.gaussian, task: 'regression' as const, tolerance: 1e-26 },
  { data: reference.binomial, task: 'classification' as const, tolerance: 1e-22 },
];

for (const { data, task, tolerance } of suites) {
  describe(`elastic net vs scikit-learn on ${data.source}`, () => {
    const frame = fixtureFrame(data.columns as FixtureColumn[]);
    for (const expected of data.cases) {
      it(`lambda ${expected.params.lambda} alpha ${expected.params.alpha}: coefficients within 1e-6`, () => {
        const { artifact } = trainGlmModel(frame, {
          target: data.target,
          task,
          params: { ...expected.params, testFraction: 0, tolerance, maxIterations: 1_000_000 },
        });
        const model = linearModel(artifact);
        expect(artifact.metadata.converged).toBe(true);
        expectClose([model.intercept], [expected.intercept], 0, 1e-6);
        expectClose(model.coefficients, expected.coefficients, 0, 1e-6);
        expect(zeros(model.coefficients)).toEqual(zeros(expected.coefficients));
      });
    }
  });
}

const zeros = (values: number[]) => values.flatMap((v, i) => (v === 0 ? [i] : []));
