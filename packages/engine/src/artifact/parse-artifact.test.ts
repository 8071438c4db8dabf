import { describe, it, expect } from 'vitest';
import { trainGlmModel } from '../glm/train-glm-model.js';
import { syntheticClassification, syntheticRegression } from '../test-support/synthetic.js';
import { parseArtifact } from './parse-artifact.js';
import { brokenCopy, rejectedPath } from '../test-support/artifact-edits.js';

const classifier = trainGlmModel(syntheticClassification(), { target: 'y', task: 'classification' }).artifact;
const regressor = trainGlmModel(syntheticRegression(), { target: 'price', task: 'regression' }).artifact;

const broken = (edit: Parameters<typeof brokenCopy>[1]): unknown => brokenCopy(classifier, edit);
const pathOf = rejectedPath;

describe('parseArtifact', () => {
  it('accepts trained artifacts after a JSON round trip', () => {
    expect(parseArtifact(JSON.parse(JSON.stringify(classifier)))).toEqual(classifier);
    expect(parseArtifact(JSON.parse(JSON.stringify(regressor)))).toEqual(regressor);
  });

  it('names the first offending field', () => {
    expect(pathOf(null)).toBe('');
    expect(pathOf(broken((j) => (j.format = 'onnx')))).toBe('format');
    expect(pathOf(broken((j) => (j.formatVersion = 2)))).toBe('formatVersion');
    expect(pathOf(broken((j) => (j.task = 'ranking')))).toBe('task');
    expect(pathOf(broken((j) => (j.classes = ['a'])))).toBe('classes');
    expect(pathOf(broken((j) => (j.features[0].type = 'date')))).toBe('features[0].type');
    expect(pathOf(broken((j) => j.preprocessing.encodings.pop()))).toBe('preprocessing.encodings');
    expect(pathOf(broken((j) => (j.preprocessing.encodings[0].scale = 0)))).toBe('preprocessing.encodings[0].scale');
    expect(pathOf(broken((j) => (j.preprocessing.encodings[2].categories = ['x'])))).toBe(
      'preprocessing.encodings[2].categories',
    );
    expect(pathOf(broken((j) => j.model.coefficients.pop()))).toBe('model.coefficients');
    expect(pathOf(broken((j) => (j.model.coefficients[1] = null)))).toBe('model.coefficients[1]');
    expect(pathOf(broken((j) => (j.model.family = 'gaussian')))).toBe('model.family');
    expect(pathOf(broken((j) => delete j.metadata))).toBe('metadata');
  });
});
