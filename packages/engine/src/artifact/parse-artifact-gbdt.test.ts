import { describe, it, expect } from 'vitest';
import { trainGbdtModel } from '../gbdt/train-gbdt-model.js';
import { syntheticClassification, syntheticRegression } from '../test-support/synthetic.js';
import { parseArtifact } from './parse-artifact.js';
import { brokenCopy, rejectedPath } from '../test-support/artifact-edits.js';

const classifier = trainGbdtModel(syntheticClassification(), {
  target: 'y',
  task: 'classification',
  params: { nTrees: 3, maxDepth: 3 },
}).artifact;
const regressor = trainGbdtModel(syntheticRegression(), {
  target: 'price',
  task: 'regression',
  params: { nTrees: 3 },
}).artifact;

const broken = (edit: Parameters<typeof brokenCopy>[1]): unknown => brokenCopy(classifier, edit);
const pathOf = rejectedPath;

describe('parseArtifact: gbdt', () => {
  it('accepts trained artifacts after a JSON round trip', () => {
    expect(parseArtifact(JSON.parse(JSON.stringify(classifier)))).toEqual(classifier);
    expect(parseArtifact(JSON.parse(JSON.stringify(regressor)))).toEqual(regressor);
  });

  it('names the first offending field', () => {
    const color = classifier.features.findIndex((f) => f.type === 'category');
    expect(pathOf(broken((j) => (j.model.kind = 'tree')))).toBe('model.kind');
    expect(pathOf(broken((j) => (j.model.objective = 'squared_error')))).toBe('model.objective');
    expect(pathOf(broken((j) => (j.model.baseScore = null)))).toBe('model.baseScore');
    expect(pathOf(broken((j) => (j.model.trees = {})))).toBe('model.trees');
    expect(pathOf(broken((j) => j.model.trees[1].value.pop()))).toBe('model.trees[1].value');
    expect(pathOf(broken((j) => (j.model.trees[0].feature[0] = 99)))).toBe('model.trees[0].feature[0]');
    expect(pathOf(broken((j) => (j.model.trees[0].threshold[0] = 'x')))).toBe('model.trees[0].threshold[0]');
    expect(pathOf(broken((j) => (j.model.trees[0].defaultLeft[0] = 1)))).toBe('model.trees[0].defaultLeft[0]');
    expect(pathOf(broken((j) => (j.model.trees[0].left[0] = 0)))).toBe('model.trees[0].left[0]');
    expect(
      pathOf(
        broken((j) => {
          j.model.trees[0].right[0] = j.model.trees[0].left[0];
        }),
      ),
    ).toBe('model.trees[0].right[0]');
    expect(
      pathOf(
        broken((j) => {
          j.model.trees[0].feature[0] = color;
          j.model.trees[0].leftCategories[0] = [7];
        }),
      ),
    ).toBe('model.trees[0].leftCategories[0][0]');
    expect(pathOf(broken((j) => (j.model.trees[0].leftCategories[0] = [0])))).toBe(
      classifier.model.trees[0]!.feature[0] === color ? 'accepted' : 'model.trees[0].leftCategories[0]',
    );
  });
});
