import { describe, it, expect } from 'vitest';
import { Frame } from '../frame/frame.js';
import type { Column } from '../frame/column.js';
import { predictFrame } from '../artifact/predict-frame.js';
import { predictRecords } from '../artifact/predict-records.js';
import { syntheticClassification, syntheticRegression } from '../test-support/synthetic.js';
import { trainGlmModel } from './train-glm-model.js';
import { linearModel, singleOriginalUnits } from '../test-support/linear-glm.js';

const code = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe('trainGlmModel: classification', () => {
  const frame = syntheticClassification();
  const result = trainGlmModel(frame, { target: 'y', task: 'classification' });

  it('returns the artifact, holdout metrics and row counts', () => {
    expect(result.trainRows).toBe(240);
    expect(result.testRows).toBe(60);
    expect(Object.keys(result.metrics).sort()).toEqual(['accuracy', 'auc', 'logloss', 'pr_auc']);
    expect(result.metrics.auc).toBeGreaterThan(0.75);
    expect(result.metrics.accuracy).toBeGreaterThan(0.6);
    expect(result.metrics).not.toHaveProperty('train_rows');
  });

  it('describes features, classes and preprocessing', () => {
    const { artifact } = result;
    expect(artifact.format).toBe('modelyard-model');
    expect(artifact.formatVersion).toBe(1);
    expect(artifact.task).toBe('classification');
    expect(artifact.target).toBe('y');
    expect(artifact.classes).toEqual(['no', 'yes']);
    expect(artifact.features).toEqual([
      { name: 'x1', type: 'number' },
      { name: 'x2', type: 'number' },
      { name: 'color', type: 'category', categories: ['blue', 'green', 'red'] },
      { name: 'k', type: 'number' },
    ]);
    expect(linearModel(artifact).coefficients).toHaveLength(6);
    // The constant column k encodes to zeros and gets no weight.
    expect(linearModel(artifact).coefficients[5]).toBe(0);
    expect(artifact.metadata.converged).toBe(true);
    // x1 has a positive true effect, x2 a negative one.
    expect(linearModel(artifact).coefficients[0]).toBeGreaterThan(0);
    expect(linearModel(artifact).coefficients[1]).toBeLessThan(0);
  });

  it('reports original-unit coefficients that give the same linear predictor on raw values', () => {
    const { artifact } = result;
    const x1 = artifact.preprocessing.encodings[0]!;
    if (x1.type !== 'number') throw new Error('x1 should be numeric');
    const terms = singleOriginalUnits(artifact).terms;
    expect(terms.map((t) => [t.feature, t.category])).toEqual([
      ['x1', undefined],
      ['x2', undefined],
      ['color', 'blue'],
      ['color', 'green'],
      ['color', 'red'],
      ['k', undefined],
    ]);
    expect(terms[0]!.coefficient).toBeCloseTo(linearModel(artifact).coefficients[0]! / x1.scale, 12);
    const record = { x1: 2.5, x2: 4, color: 'green', k: 3 };
    let eta = singleOriginalUnits(artifact).intercept;
    for (const t of terms) {
      if (t.category === undefined) eta += t.coefficient * record[t.feature as 'x1' | 'x2' | 'k'];
      else if (t.category === record.color) eta += t.coefficient;
    }
    const [prediction] = predictRecords(artifact, [record]);
    if (prediction === undefined || !('probabilities' in prediction)) throw new Error('expected probabilities');
    expect(prediction.probabilities.yes).toBeCloseTo(1 / (1 + Math.exp(-eta)), 12);
  });

  it('scores identically after a JSON round trip', () => {
    const copy = JSON.parse(JSON.stringify(result.artifact)) as typeof result.artifact;
    expect(Array.from(predictFrame(copy, frame))).toEqual(Array.from(predictFrame(result.artifact, frame)));
    const records = [
      { x1: 1, x2: null, color: 'red', k: 3 },
      { x1: -1, x2: 2, color: null, k: 3 },
    ];
    expect(predictRecords(copy, records)).toEqual(predictRecords(result.artifact, records));
  });

  it('agrees between predictFrame and predictRecords', () => {
    const frameP = predictFrame(result.artifact, frame);
    const x1 = frame.column('x1');
    const x2 = frame.column('x2');
    const color = frame.column('color');
    if (x1.kind !== 'number' || x2.kind !== 'number' || color.kind !== 'category') throw new Error('kinds');
    const records = Array.from({ length: 20 }, (_, i) => ({
      x1: x1.values[i]!,
      x2: Number.isNaN(x2.values[i]!) ? null : x2.values[i]!,
      color: color.codes[i]! < 0 ? null : color.dictionary[color.codes[i]!]!,
      k: 3,
    }));
    const predictions = predictRecords(result.artifact, records);
    predictions.forEach((prediction, i) => {
      if (!('probabilities' in prediction)) throw new Error('expected a classification');
      expect(prediction.probabilities.yes).toBe(frameP[i]);
      expect(prediction.probabilities.no).toBe(1 - frameP[i]!);
      expect(prediction.label).toBe(frameP[i]! > 0.5 ? 'yes' : 'no');
    });
  });

  it('is deterministic for a seed and reports increasing progress ending at 1', () => {
    const fractions: number[] = [];
    const again = trainGlmModel(frame, { target: 'y', task: 'classification', onProgress: (f) => fractions.push(f) });
    expect(again.artifact).toEqual(result.artifact);
    expect(fractions.length).toBeGreaterThan(3);
    expect(fractions.at(-1)).toBe(1);
    for (let i = 1; i < fractions.length; i++) expect(fractions[i]!).toBeGreaterThan(fractions[i - 1]!);
    const other = trainGlmModel(frame, { target: 'y', task: 'classification', params: { seed: 7 } });
    expect(other.metrics.auc).not.toBe(result.metrics.auc);
  });

  it('uses only the listed features', () => {
    const r = trainGlmModel(frame, { target: 'y', task: 'classification', features: ['x1'] });
    expect(r.artifact.features).toEqual([{ name: 'x1', type: 'number' }]);
    expect(linearModel(r.artifact).coefficients).toHaveLength(1);
  });

  it('drops rows with a missing target', () => {
    const y = frame.column('y');
    if (y.kind !== 'category') throw new Error('kind');
    const codes = Int32Array.from(y.codes);
    for (let i = 0; i < 50; i++) codes[i] = -1;
    const withMissing = Frame.fromColumns([...frame.names.slice(0, -1).map((n) => frame.column(n)), { ...y, codes }]);
    const r = trainGlmModel(withMissing, { target: 'y', task: 'classification' });
    expect(r.trainRows + r.testRows).toBe(250);
  });

  it('takes a numeric 0/1 target, sorting classes numerically', () => {
    const y = frame.column('y');
    if (y.kind !== 'category') throw new Error('kind');
    const numeric = Frame.fromColumns([
      frame.column('x1'),
      { kind: 'number', name: 'flag', values: Float64Array.from(y.codes, (c) => (c === 1 ? 10 : 2)) },
    ]);
    const r = trainGlmModel(numeric, { target: 'flag', task: 'classification' });
    expect(r.artifact.classes).toEqual(['2', '10']);
    expect(linearModel(r.artifact).coefficients[0]).toBeGreaterThan(0);
  });

  it('drops identifier-like categories and tolerates them in records', () => {
    const n = frame.nRows;
    const dictionary = Array.from({ length: 1500 }, (_, i) => `id-${i}`);
    const id: Column = { kind: 'category', name: 'id', codes: Int32Array.from({ length: n }, (_, i) => i), dictionary };
    const big = Frame.fromColumns([...frame.names.map((name) => frame.column(name)), id]);
    // 300 rows give only 240 distinct training ids, so lower the row count needed by using 1500 rows instead.
    const many = Frame.fromColumns(
      big.names.map((name): Column => {
        const c = big.column(name);
        const rows = Int32Array.from({ length: 1500 }, (_, i) => i % n);
        const taken = big.take(rows).column(name);
        return name === 'id' && c.kind === 'category'
          ? { ...c, codes: Int32Array.from({ length: 1500 }, (_, i) => i) }
          : taken;
      }),
    );
    const r = trainGlmModel(many, { target: 'y', task: 'classification' });
    expect(r.artifact.features.map((f) => f.name)).toEqual(['x1', 'x2', 'color', 'k']);
    expect(r.artifact.metadata.droppedColumns).toEqual([{ name: 'id', reason: expect.stringContaining('1200') }]);
    const predictions = predictRecords(r.artifact, [{ x1: 1, x2: 1, color: 'red', k: 3, id: 'id-99999' }]);
    expect(predictions).toHaveLength(1);
  });

  it('raises the documented errors', () => {
    expect(code(() => trainGlmModel(frame, { target: 'nope', task: 'classification' }))).toBe('unknown_column');
    expect(code(() => trainGlmModel(frame, { target: 'y', task: 'classification', features: ['x1', 'zz'] }))).toBe(
      'unknown_column',
    );
    expect(code(() => trainGlmModel(frame, { target: 'y', task: 'regression' }))).toBe('target_not_numeric');
    const one = Frame.fromColumns([
      { kind: 'number', name: 'x', values: Float64Array.from([1, 2, 3]) },
      { kind: 'category', name: 'y', codes: Int32Array.from([0, 0, -1]), dictionary: ['a', 'b'] },
    ]);
    expect(code(() => trainGlmModel(one, { target: 'y', task: 'classification' }))).toBe('single_class_target');
    const empty = Frame.fromColumns([
      { kind: 'number', name: 'x', values: Float64Array.from([1, 2]) },
      { kind: 'number', name: 'y', values: Float64Array.from([NaN, NaN]) },
    ]);
    expect(code(() => trainGlmModel(empty, { target: 'y', task: 'regression' }))).toBe('empty_frame');
    expect(code(() => trainGlmModel(frame, { target: 'y', task: 'classification', params: { alpha: 2 } }))).toBe(
      'invalid_param',
    );
  });
});

describe('trainGlmModel: regression', () => {
  const frame = syntheticRegression();
  const result = trainGlmModel(frame, { target: 'price', task: 'regression' });

  it('fits well and reports regression metrics', () => {
    expect(Object.keys(result.metrics).sort()).toEqual(['mae', 'r2', 'rmse']);
    expect(result.metrics.r2).toBeGreaterThan(0.9);
    expect(result.artifact.classes).toBeUndefined();
    expect(result.artifact.model.family).toBe('gaussian');
    // Original units recover the generating slope of x1 (2) and x2 (-1).
    const terms = singleOriginalUnits(result.artifact).terms;
    expect(terms[0]!.coefficient).toBeCloseTo(2, 1);
    expect(terms[1]!.coefficient).toBeCloseTo(-1, 1);
  });

  it('predicts values, scoring unseen and missing categories as all-zero', () => {
    const [a, b, c] = predictRecords(result.artifact, [
      { x1: 0, x2: 1, shape: 'hexagon' },
      { x1: 0, x2: 1, shape: null },
      { x1: 0, x2: '1', shape: 'round' },
    ]);
    if (!a || !b || !c || !('value' in a) || !('value' in b) || !('value' in c)) throw new Error('expected values');
    expect(a.value).toBe(b.value);
    const round = result.artifact.preprocessing.encodings[2]!;
    if (round.type !== 'category') throw new Error('kind');
    const k = round.categories.indexOf('round');
    expect(c.value - a.value).toBeCloseTo(linearModel(result.artifact).coefficients[2 + k]!, 12);
  });

  it('treats infinite numbers as missing, so the artifact stays finite JSON', () => {
    const x1 = frame.column('x1');
    const price = frame.column('price');
    if (x1.kind !== 'number' || price.kind !== 'number') throw new Error('kinds');
    const values = Float64Array.from(x1.values);
    values[0] = Infinity;
    const target = Float64Array.from(price.values);
    // A missing target drops the row (an infinite one is refused: see training/bad-input.test.ts).
    target[1] = NaN;
    const dirty = Frame.fromColumns([{ ...x1, values }, frame.column('shape'), { ...price, values: target }]);
    const r = trainGlmModel(dirty, { target: 'price', task: 'regression' });
    expect(r.trainRows + r.testRows).toBe(frame.nRows - 1);
    const encoding = r.artifact.preprocessing.encodings[0]!;
    expect(encoding.type === 'number' && Number.isFinite(encoding.impute)).toBe(true);
    expect(JSON.parse(JSON.stringify(r.artifact))).toEqual(r.artifact);
    // Row 0 (x1 = Infinity) scores like a record whose x1 is missing.
    const shape = dirty.column('shape');
    if (shape.kind !== 'category') throw new Error('kind');
    const code = shape.codes[0]!;
    const [fromFrame] = predictFrame(r.artifact, dirty.take(Int32Array.from([0])));
    const [fromRecord] = predictRecords(r.artifact, [{ x1: null, shape: code < 0 ? null : shape.dictionary[code]! }]);
    expect(fromRecord).toEqual({ value: fromFrame });
  });

  it('fits an intercept-only model when given no features', () => {
    const r = trainGlmModel(frame, { target: 'price', task: 'regression', features: [] });
    expect(r.artifact.features).toEqual([]);
    const [a, b] = predictFrame(r.artifact, frame);
    expect(a).toBe(b);
  });

  it('omits metrics when there is no holdout', () => {
    const r = trainGlmModel(frame, { target: 'price', task: 'regression', params: { testFraction: 0 } });
    expect(r.testRows).toBe(0);
    expect(r.metrics).toEqual({});
  });
});
