import { describe, it, expect } from 'vitest';
import { trainGlmModel } from '../glm/train-glm-model.js';
import { fixtureFrame, type FixtureColumn } from '../test-support/fixture-frame.js';
import { brokenCopy, rejectedPath } from '../test-support/artifact-edits.js';
import { parseArtifact } from './parse-artifact.js';
import churn from '../glm/__fixtures__/sklearn-multinomial-churn.json' with { type: 'json' };

const multinomial = trainGlmModel(fixtureFrame(churn.columns as FixtureColumn[]), {
  target: churn.target,
  task: 'classification',
}).artifact;

const broken = (edit: Parameters<typeof brokenCopy>[1]): unknown => brokenCopy(multinomial, edit);
const pathOf = rejectedPath;

describe('parseArtifact: multinomial glm', () => {
  it('accepts a trained multinomial artifact after a JSON round trip', () => {
    expect(multinomial.model.family).toBe('multinomial');
    expect(parseArtifact(JSON.parse(JSON.stringify(multinomial)))).toEqual(multinomial);
  });

  it('names the first offending field', () => {
    // A binomial GLM over three classes: the class list is what no longer fits.
    expect(pathOf(broken((j) => (j.model.family = 'binomial')))).toBe('classes');
    expect(pathOf(broken((j) => j.model.intercepts.pop()))).toBe('model.intercepts');
    expect(pathOf(broken((j) => (j.model.intercepts[2] = 'x')))).toBe('model.intercepts[2]');
    expect(pathOf(broken((j) => j.model.coefficientMatrix.pop()))).toBe('model.coefficientMatrix');
    expect(pathOf(broken((j) => j.model.coefficientMatrix[1].pop()))).toBe('model.coefficientMatrix[1]');
    expect(pathOf(broken((j) => (j.model.coefficientMatrix[0][3] = null)))).toBe('model.coefficientMatrix[0][3]');
    expect(pathOf(broken((j) => (j.classes = ['a', 'a', 'b'])))).toBe('classes');
    // A binomial GLM keeps exactly two classes; a multinomial one needs more than two.
    expect(pathOf(broken((j) => (j.classes = ['a', 'b'])))).toBe('model.family');
  });
});
