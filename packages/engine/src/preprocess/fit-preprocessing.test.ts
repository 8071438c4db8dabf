import { describe, it, expect } from 'vitest';
import { Frame } from '../frame/frame.js';
import { denseColumn } from './design-matrix.js';
import { encodeFrame } from './encode-frame.js';
import { encodeTarget } from './encode-target.js';
import { fitPreprocessing, MAX_CATEGORIES } from './fit-preprocessing.js';

const ids = (count: number) => ({
  kind: 'category' as const,
  name: `ids${count}`,
  codes: Int32Array.from({ length: 1001 }, (_, i) => i % count),
  dictionary: Array.from({ length: 1001 }, (_, i) => `id${i}`),
});

describe('fitPreprocessing', () => {
  it('imputes with the mean and scales by the population std of the imputed column', () => {
    const frame = Frame.fromColumns([{ kind: 'number', name: 'a', values: Float64Array.from([1, NaN, 3, 4]) }]);
    const { encodings } = fitPreprocessing(frame, ['a']);
    const mean = 8 / 3;
    const std = Math.sqrt(((1 - mean) ** 2 + 0 + (3 - mean) ** 2 + (4 - mean) ** 2) / 4);
    expect(encodings[0]).toEqual({ name: 'a', type: 'number', impute: mean, center: mean, scale: std });
    const encoded = denseColumn(encodeFrame(frame, encodings), 0);
    expect(encoded[1]).toBe(0);
    expect(encoded[0]).toBeCloseTo((1 - mean) / std, 15);
  });

  it('keeps constant and all-missing numbers harmless', () => {
    const frame = Frame.fromColumns([
      { kind: 'number', name: 'c', values: Float64Array.from([5, 5, 5]) },
      { kind: 'number', name: 'm', values: Float64Array.from([NaN, NaN, NaN]) },
    ]);
    const { encodings } = fitPreprocessing(frame, ['c', 'm']);
    expect(encodings).toEqual([
      { name: 'c', type: 'number', impute: 5, center: 5, scale: 1 },
      { name: 'm', type: 'number', impute: 0, center: 0, scale: 1 },
    ]);
    const design = encodeFrame(frame, encodings);
    expect([0, 1].map((j) => Array.from(denseColumn(design, j)))).toEqual([
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });

  it('one-hot encodes the sorted categories seen in training; missing and unused entries are left out', () => {
    const frame = Frame.fromColumns([
      { kind: 'category', name: 'k', codes: Int32Array.from([2, 0, -1, 2]), dictionary: ['b', 'unused', 'A'] },
    ]);
    const { features, encodings } = fitPreprocessing(frame, ['k']);
    expect(features).toEqual([{ name: 'k', type: 'category', categories: ['A', 'b'] }]);
    const design = encodeFrame(frame, encodings);
    expect([0, 1].map((j) => Array.from(denseColumn(design, j)))).toEqual([
      [1, 0, 0, 1],
      [0, 1, 0, 0],
    ]);
    expect(design.width).toBe(2);
    expect(design.parts).toEqual([{ kind: 'block', start: 0, size: 2, codes: Int32Array.from([0, 1, -1, 0]) }]);
  });

  it(`drops a category with more than ${MAX_CATEGORIES} distinct values, keeps one with exactly that many`, () => {
    const frame = Frame.fromColumns([ids(1000), ids(1001)]);
    const fitted = fitPreprocessing(frame, ['ids1000', 'ids1001']);
    expect(fitted.features.map((f) => f.name)).toEqual(['ids1000']);
    expect(fitted.dropped).toEqual([{ name: 'ids1001', reason: 'category with 1001 distinct values (> 1000)' }]);
  });
});

describe('encodeTarget', () => {
  it('sorts numeric classes numerically and text by code unit, skipping missing', () => {
    const frame = Frame.fromColumns([
      { kind: 'number', name: 'n', values: Float64Array.from([10, 9, NaN, 10]) },
      { kind: 'category', name: 't', codes: Int32Array.from([0, 1, 1, -1]), dictionary: ['b', 'B'] },
    ]);
    expect(encodeTarget(frame, 'n', 'classification')).toEqual({
      rows: Int32Array.from([0, 1, 3]),
      y: Float64Array.from([1, 0, 1]),
      classes: ['9', '10'],
    });
    expect(encodeTarget(frame, 't', 'classification')).toEqual({
      rows: Int32Array.from([0, 1, 2]),
      y: Float64Array.from([1, 0, 0]),
      classes: ['B', 'b'],
    });
    expect(encodeTarget(frame, 'n', 'regression').y).toEqual(Float64Array.from([10, 9, 10]));
  });
});
