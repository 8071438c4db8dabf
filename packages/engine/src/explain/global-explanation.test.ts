import { describe, expect, it } from 'vitest';
import type { ModelArtifact } from '../artifact/model-artifact.js';
import { trainForestModel } from '../forest/train-forest-model.js';
import { trainGbdtModel } from '../gbdt/train-gbdt-model.js';
import { trainGlmModel } from '../glm/train-glm-model.js';
import { sharedFrame, stackedCases } from '../test-support/parity-cases.js';
import { globalExplanation, type GlobalExplanation } from './global-explanation.js';

function expectWellFormed(explanation: GlobalExplanation, artifact: ModelArtifact, topK: number): void {
  // Plain JSON: survives a round trip unchanged (no typed arrays, no undefined, no NaN).
  expect(JSON.parse(JSON.stringify(explanation))).toEqual(explanation);
  expect(explanation.features).toEqual(artifact.features.map((f) => f.name));
  expect(explanation.partialDependence).toHaveLength(Math.min(topK, artifact.features.length));
  const importances = explanation.permutation!.importances;
  expect(importances.map((r) => r.feature)).toEqual(explanation.features);
  if (explanation.shap !== null) {
    expect(explanation.shap.meanAbs.map((r) => r.feature)).toEqual(explanation.features);
    const totals = new Map(explanation.shap.meanAbs.map((r) => [r.feature, r.total]));
    const ranked = explanation.partialDependence.map((pd) => totals.get(pd.feature)!);
    for (let i = 1; i < ranked.length; i++) expect(ranked[i]!).toBeLessThanOrEqual(ranked[i - 1]!);
    expect(Math.max(...totals.values())).toBeGreaterThanOrEqual(ranked[0]!);
  }
}

describe('globalExplanation', () => {
  const credit = sharedFrame('credit_data.csv');
  const diamonds = sharedFrame('diamonds.csv');
  const options = { maxRows: 400, repeats: 2, topK: 3, gridSize: 8, iceRows: 4, seed: 1 };

  it('explains a GBDT classifier: SHAP in margin space, permutation importance, PDP of the top features', () => {
    const { artifact } = trainGbdtModel(credit, {
      target: 'Status',
      task: 'classification',
      params: { nTrees: 30, maxDepth: 4 },
    });
    const explanation = globalExplanation(artifact, credit, options);
    expectWellFormed(explanation, artifact, 3);
    expect(explanation).toMatchObject({ version: 1, model: 'gbdt', rows: 400 });
    expect(explanation.shap).toMatchObject({ space: 'margin', outputs: ['good'] });
    expect(explanation.permutation).toMatchObject({ metric: 'log_loss', repeats: 2 });
    expect(explanation.partialDependence[0]!.ice).toHaveLength(4);
    // ICE rows name rows of the caller's frame.
    for (const ice of explanation.partialDependence[0]!.ice) expect(ice.row).toBeLessThan(credit.nRows);
  });

  it('explains a multiclass forest per class and a GLM regression', () => {
    const features = ['carat', 'color', 'clarity', 'depth', 'table'];
    const forest = trainForestModel(diamonds, {
      target: 'cut',
      task: 'classification',
      features,
      params: { nTrees: 5, maxDepth: 5 },
    }).artifact;
    const explained = globalExplanation(forest, diamonds, options);
    expectWellFormed(explained, forest, 3);
    expect(explained.shap!.space).toBe('mean');
    expect(explained.shap!.outputs).toEqual(forest.classes);
    expect(explained.permutation!.metric).toBe('multiclass_log_loss');
    expect(explained.partialDependence[0]!.outputs).toBe(5);

    const glm = trainGlmModel(diamonds, { target: 'price', task: 'regression', features }).artifact;
    const linear = globalExplanation(glm, diamonds, options);
    expectWellFormed(linear, glm, 3);
    expect(linear.permutation!.metric).toBe('rmse');
    expect(linear.partialDependence[0]!.feature).toBe('carat');
  });

  it('explains a stacked ensemble without SHAP, ranking by permutation importance', { timeout: 120_000 }, () => {
    const [stacked] = stackedCases();
    const explanation = globalExplanation(stacked!.artifact, stacked!.frame, options);
    expect(explanation.shap).toBeNull();
    expectWellFormed(explanation, stacked!.artifact, 3);
    const means = new Map(explanation.permutation!.importances.map((r) => [r.feature, r.mean]));
    const ranked = explanation.partialDependence.map((pd) => means.get(pd.feature)!);
    for (let i = 1; i < ranked.length; i++) expect(ranked[i]!).toBeLessThanOrEqual(ranked[i - 1]!);
  });

  it('skips permutation importance without a target column', () => {
    const { artifact } = trainGlmModel(credit, { target: 'Status', task: 'classification' });
    const explanation = globalExplanation(artifact, credit.select(credit.names.filter((n) => n !== 'Status')), options);
    expect(explanation.permutation).toBeNull();
    expect(explanation.shap).not.toBeNull();
    expect(explanation.partialDependence).toHaveLength(3);
  });
});
