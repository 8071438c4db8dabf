import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import { Frame } from '../frame/frame.js';
import type { Column } from '../frame/column.js';
import { parseArtifact } from '../artifact/parse-artifact.js';
import { predictFrame } from '../artifact/predict-frame.js';
import { predictRecords } from '../artifact/predict-records.js';
import { csvFrame } from '../test-support/csv-frame.js';
import { syntheticClassification, syntheticRegression } from '../test-support/synthetic.js';
import { trainForestModel } from './train-forest-model.js';

const num = (name: string, values: number[]): Column => ({ kind: 'number', name, values: Float64Array.from(values) });
const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe('trainForestModel', () => {
  it('grows a pure tree without bootstrap: leaves are the means of their rows', () => {
    const frame = Frame.fromColumns([num('x', [1, 2, 3, 4]), num('y', [0, 0, 10, 12])]);
    const params = { nTrees: 1, bootstrap: false, testFraction: 0 };
    const { artifact } = trainForestModel(frame, { target: 'y', task: 'regression', params });
    expect(artifact.model.kind).toBe('forest');
    expect(Array.from(predictFrame(artifact, frame))).toEqual([0, 0, 10, 12]);
  });

  it('averages trees: binary probabilities in [0, 1], regression within the target range', () => {
    const cls = trainForestModel(syntheticClassification(), {
      target: 'y',
      task: 'classification',
      params: { nTrees: 20 },
    });
    expect(cls.metrics.auc).toBeGreaterThan(0.7);
    const p = predictFrame(cls.artifact, syntheticClassification(50, 9));
    expect(p.every((v) => v >= 0 && v <= 1)).toBe(true);
    const reg = trainForestModel(syntheticRegression(), {
      target: 'price',
      task: 'regression',
      params: { nTrees: 20 },
    });
    expect(reg.metrics.r2).toBeGreaterThan(0.8);
    const extra = trainForestModel(syntheticRegression(), {
      target: 'price',
      task: 'regression',
      params: { nTrees: 20, extraTrees: true },
    });
    expect(extra.artifact.metadata.params.bootstrap).toBe(false);
    expect(extra.metrics.r2).toBeGreaterThan(0.8);
  });

  it('predicts class shares that sum to 1 over more than two classes, records and frames alike', () => {
    const frame = csvFrame(readFileSync(new URL('../../../../examples/data/credit_data.csv', import.meta.url), 'utf8'));
    const small = frame.take(Int32Array.from({ length: 600 }, (_, i) => i));
    for (const extraTrees of [false, true]) {
      const { artifact, metrics } = trainForestModel(small, {
        target: 'Job',
        task: 'classification',
        params: { nTrees: 10, extraTrees },
      });
      const k = artifact.classes!.length;
      expect(k).toBe(4);
      expect(artifact.model.trees.length).toBe(40);
      expect(metrics.auc_ovr).toBeGreaterThan(0.6);
      const probs = predictFrame(artifact, small);
      for (let i = 0; i < 20; i++) {
        const row = Array.from(probs.subarray(i * k, i * k + k));
        expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      }
      const reloaded = parseArtifact(JSON.parse(JSON.stringify(artifact)));
      // Every feature present and missing: the trees' default directions decide.
      const record = Object.fromEntries(artifact.features.map((f) => [f.name, null]));
      const [prediction] = predictRecords(reloaded, [record]);
      expect(prediction && 'probabilities' in prediction ? Object.keys(prediction.probabilities) : []).toEqual(
        artifact.classes,
      );
    }
  });

  it('scores records and frames identically, before and after a JSON round trip', () => {
    const frame = syntheticClassification(120, 4);
    const { artifact } = trainForestModel(frame, { target: 'y', task: 'classification', params: { nTrees: 7 } });
    const reloaded = parseArtifact(JSON.parse(JSON.stringify(artifact)));
    const records = Array.from({ length: frame.nRows }, (_, i) =>
      Object.fromEntries(
        artifact.features.map((f) => {
          const column = frame.column(f.name);
          const value =
            column.kind === 'number'
              ? column.values[i]!
              : column.codes[i]! < 0
                ? null
                : column.dictionary[column.codes[i]!]!;
          return [f.name, typeof value === 'number' && Number.isNaN(value) ? null : value];
        }),
      ),
    );
    const fromRecords = predictRecords(reloaded, records).map((p) =>
      'probabilities' in p ? p.probabilities.yes : NaN,
    );
    expect(fromRecords).toEqual(Array.from(predictFrame(artifact, frame)));
  });

  it('rejects bad parameters and targets with the shared error codes', () => {
    const frame = Frame.fromColumns([num('x', [1, 2, 3, 4]), num('y', [1, 1, 1, 1])]);
    const train = (params: object, task: 'classification' | 'regression' = 'regression') =>
      code(() => trainForestModel(frame, { target: 'y', task, params }));
    expect(train({ nTrees: 0 })).toBe('invalid_param');
    expect(train({ maxFeatures: 1.5 })).toBe('invalid_param');
    expect(train({ maxFeatures: 'half' })).toBe('invalid_param');
    expect(train({ sampleFraction: 0 })).toBe('invalid_param');
    expect(train({ maxDepth: 65 })).toBe('invalid_param');
    expect(train({}, 'classification')).toBe('single_class_target');
    expect(code(() => trainForestModel(frame, { target: 'z', task: 'regression' }))).toBe('unknown_column');
  });

  it('rejects a malformed forest artifact', () => {
    const { artifact } = trainForestModel(syntheticRegression(60), {
      target: 'price',
      task: 'regression',
      params: { nTrees: 2 },
    });
    const json = JSON.parse(JSON.stringify(artifact)) as { model: { trees: unknown[] } };
    json.model.trees = [];
    expect(code(() => parseArtifact(json))).toBe('invalid_artifact');
  });
});
