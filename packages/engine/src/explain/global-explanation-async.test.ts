import { describe, expect, it } from 'vitest';
import { predictFrame } from '../artifact/predict-frame.js';
import type { Frame } from '../frame/frame.js';
import { trainForestModel } from '../forest/train-forest-model.js';
import { trainGbdtModel } from '../gbdt/train-gbdt-model.js';
import { logLoss } from '../metrics/log-loss.js';
import { sharedFrame } from '../test-support/parity-cases.js';
import { explainedModelOf, globalExplanation, globalExplanationOf } from './global-explanation.js';
import { partialDependence, partialDependenceAsync } from './partial-dependence.js';
import { permutationImportance, permutationImportanceAsync } from './permutation-importance.js';

describe('explanations with an asynchronous scorer', () => {
  const credit = sharedFrame('credit_data.csv');
  const { artifact } = trainGbdtModel(credit, {
    target: 'Status',
    task: 'classification',
    params: { nTrees: 20, maxDepth: 3 },
  });
  const predict = (f: Frame) => predictFrame(artifact, f);
  // Answers on a later turn of the event loop, as an onnxruntime session does.
  const later = (f: Frame) => new Promise<Float64Array>((resolve) => setImmediate(() => resolve(predict(f))));
  const rows = credit.take(Int32Array.from({ length: 500 }, (_, i) => i));

  it('gives the same permutation importance as the sync path for the same seed', async () => {
    const status = rows.column('Status');
    const y = Float64Array.from(status.kind === 'category' ? status.codes : [], (code) =>
      status.kind === 'category' && status.dictionary[code] === artifact.classes![1] ? 1 : 0,
    );
    const features = artifact.features.map((f) => f.name);
    const settings = { frame: rows, target: y, metric: logLoss, greaterIsBetter: false, features, repeats: 3, seed: 5 };
    const sync = permutationImportance({ ...settings, predict });
    const async = await permutationImportanceAsync({ ...settings, predict: later });
    expect(async).toEqual(sync);
    expect(async.importances).toHaveLength(features.length);
    await expect(permutationImportanceAsync({ ...settings, predict: later, repeats: 0 })).rejects.toMatchObject({
      code: 'invalid_param',
    });
  });

  it('gives the same partial dependence and ICE curves, for a number and a category feature', async () => {
    for (const feature of ['Income', 'Home']) {
      const settings = { frame: rows, feature, gridSize: 6, maxRows: 300, iceRows: 5, seed: 9 };
      const sync = partialDependence({ ...settings, predict });
      expect(await partialDependenceAsync({ ...settings, predict: later })).toEqual(sync);
    }
  });

  it('explains a model behind an async scorer as globalExplanation does, without SHAP', async () => {
    const options = { maxRows: 400, repeats: 2, topK: artifact.features.length, gridSize: 6, iceRows: 3, seed: 1 };
    const sync = globalExplanation(artifact, credit, options);
    const async = await globalExplanationOf(
      { ...explainedModelOf(artifact), kind: 'onnx', predict: later },
      credit,
      options,
    );
    expect(async).toMatchObject({ version: 1, model: 'onnx', shap: null, rows: sync.rows, features: sync.features });
    expect(async.permutation).toEqual(sync.permutation);
    // Every feature has a curve in both; only their order differs (SHAP ranks the sync one, permutation this one).
    const byFeature = new Map(sync.partialDependence.map((pd) => [pd.feature, pd]));
    expect(async.partialDependence).toHaveLength(sync.partialDependence.length);
    for (const curve of async.partialDependence) expect(curve).toEqual(byFeature.get(curve.feature));
    const means = new Map(async.permutation!.importances.map((r) => [r.feature, r.mean]));
    const ranked = async.partialDependence.map((pd) => means.get(pd.feature)!);
    for (let i = 1; i < ranked.length; i++) expect(ranked[i]!).toBeLessThanOrEqual(ranked[i - 1]!);
  });

  it('scores a multiclass model’s n × k outputs alike', async () => {
    const diamonds = sharedFrame('diamonds.csv');
    const forest = trainForestModel(diamonds, {
      target: 'cut',
      task: 'classification',
      features: ['carat', 'color', 'depth'],
      params: { nTrees: 4, maxDepth: 4 },
    }).artifact;
    const options = { maxRows: 300, repeats: 2, topK: 3, gridSize: 5, iceRows: 2, seed: 3 };
    const sync = globalExplanation(forest, diamonds, options);
    const async = await globalExplanationOf(
      { ...explainedModelOf(forest), predict: (f) => Promise.resolve(predictFrame(forest, f)) },
      diamonds,
      options,
    );
    expect(async.model).toBe('forest');
    expect(async.permutation).toEqual(sync.permutation);
    expect(async.permutation!.metric).toBe('multiclass_log_loss');
    const byFeature = new Map(sync.partialDependence.map((pd) => [pd.feature, pd]));
    for (const curve of async.partialDependence) expect(curve).toEqual(byFeature.get(curve.feature));
  });
});
