import { describe, it, expect } from 'vitest';
import { Frame } from '../frame/frame.js';
import { trainGlmModel } from '../glm/train-glm-model.js';
import { syntheticRegression } from '../test-support/synthetic.js';
import { predictFrame } from './predict-frame.js';
import { predictRecords } from './predict-records.js';
import { linearModel } from '../test-support/linear-glm.js';

const { artifact } = trainGlmModel(syntheticRegression(), { target: 'price', task: 'regression' });
const shape = artifact.features[2]!;
if (shape.type !== 'category') throw new Error('shape should be a category');

describe('predictFrame', () => {
  it('matches predictRecords row by row, ignoring extra columns', () => {
    const frame = Frame.fromColumns([
      {
        kind: 'category',
        name: 'shape',
        codes: Int32Array.from([0, 1, -1, 2]),
        dictionary: ['oval', 'hexagon', 'star'],
      },
      { kind: 'number', name: 'x2', values: Float64Array.from([1, NaN, 2, 3]) },
      { kind: 'number', name: 'x1', values: Float64Array.from([0.5, -1, 0, 2]) },
      { kind: 'number', name: 'other', values: Float64Array.from([9, 9, 9, 9]) },
    ]);
    const values = predictFrame(artifact, frame);
    const records = [
      { x1: 0.5, x2: 1, shape: 'oval' },
      { x1: -1, x2: null, shape: 'hexagon' },
      { x1: 0, x2: 2, shape: null },
      { x1: 2, x2: 3, shape: 'star' },
    ];
    expect(Array.from(values)).toEqual(predictRecords(artifact, records).map((p) => ('value' in p ? p.value : NaN)));
  });

  it('accepts numeric-looking columns of the other kind', () => {
    const numericShape = {
      ...artifact,
      features: artifact.features.map((f) => (f.type === 'category' ? { ...f, categories: ['1', '2'] } : f)),
    };
    const encodings = artifact.preprocessing.encodings.map((e) =>
      e.type === 'category' ? { ...e, categories: ['1', '2'] } : e,
    );
    const coefficients = [...linearModel(artifact).coefficients.slice(0, 2), 10, 20];
    const model = { ...numericShape, preprocessing: { encodings }, model: { ...linearModel(artifact), coefficients } };
    const frame = Frame.fromColumns([
      { kind: 'category', name: 'x1', codes: Int32Array.from([0, 1, -1]), dictionary: ['0.5', ' '] },
      { kind: 'number', name: 'x2', values: Float64Array.from([1, 1, 1]) },
      { kind: 'number', name: 'shape', values: Float64Array.from([2, 3, NaN]) },
    ]);
    const [a, b, c] = predictFrame(model, frame);
    const [ra, rb, rc] = predictRecords(model, [
      { x1: 0.5, x2: 1, shape: '2' },
      { x1: null, x2: 1, shape: 3 },
      { x1: null, x2: 1, shape: null },
    ]).map((p) => ('value' in p ? p.value : NaN));
    expect([a, b, c]).toEqual([ra, rb, rc]);
    expect(b).toBe(c);
    expect(a! - c!).not.toBe(0);
  });

  it('rejects text in a number feature and a missing feature column', () => {
    const text = Frame.fromColumns([
      { kind: 'category', name: 'x1', codes: Int32Array.from([0]), dictionary: ['abc'] },
      { kind: 'number', name: 'x2', values: Float64Array.from([1]) },
      { kind: 'category', name: 'shape', codes: Int32Array.from([0]), dictionary: ['oval'] },
    ]);
    expect(() => predictFrame(artifact, text)).toThrowError(expect.objectContaining({ code: 'wrong_column_type' }));
    const noShape = Frame.fromColumns([
      { kind: 'number', name: 'x1', values: Float64Array.from([1]) },
      { kind: 'number', name: 'x2', values: Float64Array.from([1]) },
    ]);
    expect(() => predictFrame(artifact, noShape)).toThrowError(
      expect.objectContaining({ code: 'unknown_column', details: { column: 'shape' } }),
    );
  });
});
