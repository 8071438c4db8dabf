import { describe, expect, it } from 'vitest';
import { predictFrame } from '../artifact/predict-frame.js';
import { Frame } from '../frame/frame.js';
import { trainGbdtModel } from '../gbdt/train-gbdt-model.js';
import { rocAuc } from '../metrics/roc-auc.js';
import { logLoss } from '../metrics/log-loss.js';
import { sharedFrame } from '../test-support/parity-cases.js';
import { seededRandom } from '../validation/random.js';
import { permutationImportance } from './permutation-importance.js';

describe('permutationImportance', () => {
  // credit_data plus a pure-noise column; trained on the first 3000 rows, importance measured on the rest.
  const credit = sharedFrame('credit_data.csv');
  const random = seededRandom(7);
  const noise = Float64Array.from({ length: credit.nRows }, () => random());
  const frame = Frame.fromColumns([
    ...credit.names.map((name) => credit.column(name)),
    { kind: 'number', name: 'noise', values: noise },
  ]);
  const train = frame.take(Int32Array.from({ length: 3000 }, (_, i) => i));
  const test = frame.take(Int32Array.from({ length: frame.nRows - 3000 }, (_, i) => 3000 + i));
  const features = ['Seniority', 'Home', 'Age', 'Records', 'Job', 'Income', 'Amount', 'noise'];
  const { artifact } = trainGbdtModel(train, {
    target: 'Status',
    task: 'classification',
    features,
    params: { nTrees: 60, maxDepth: 4 },
  });
  const status = test.column('Status');
  const y = Float64Array.from(status.kind === 'category' ? status.codes : [], (code) =>
    status.kind === 'category' && status.dictionary[code] === artifact.classes![1] ? 1 : 0,
  );
  const predict = (f: Frame) => predictFrame(artifact, f);

  it('ranks a pure-noise feature last on real data (AUC, greater is better)', () => {
    const result = permutationImportance({
      predict,
      frame: test,
      target: y,
      metric: rocAuc,
      greaterIsBetter: true,
      features,
      repeats: 5,
      seed: 1,
    });
    expect(result.baseline).toBeGreaterThan(0.75);
    const ranked = [...result.importances].sort((a, b) => b.mean - a.mean).map((r) => r.feature);
    expect(ranked.at(-1)).toBe('noise');
    expect(ranked[0]).not.toBe('noise');
    expect(result.importances.find((r) => r.feature === 'Income')!.mean).toBeGreaterThan(0.01);
  });

  it('is deterministic for a seed, and a loss counts worsening as positive', () => {
    const options = { predict, frame: test, target: y, metric: logLoss, greaterIsBetter: false, features, seed: 3 };
    const a = permutationImportance(options);
    expect(permutationImportance(options)).toEqual(a);
    expect(a.importances).toHaveLength(features.length);
    for (const r of a.importances) {
      expect(r.values).toHaveLength(5);
      expect(r.std).toBeGreaterThanOrEqual(0);
    }
    expect(a.importances.find((r) => r.feature === 'Income')!.mean).toBeGreaterThan(0);
  });

  it('checks its arguments', () => {
    const base = { predict, frame: test, target: y, metric: rocAuc, greaterIsBetter: true };
    expect(() => permutationImportance({ ...base, repeats: 0 })).toThrow(
      expect.objectContaining({ code: 'invalid_param' }),
    );
    expect(() => permutationImportance({ ...base, target: y.subarray(1) })).toThrow(
      expect.objectContaining({ code: 'length_mismatch' }),
    );
  });
});
