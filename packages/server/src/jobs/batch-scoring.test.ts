import { describe, expect, it } from 'vitest';
import type { ModelArtifact } from '@modelyard/engine';
import { featureReads } from './batch-input.js';
import { outputNames, partitionBounds } from './batch-scoring.js';

const names = { prediction: 'prediction', probability: 'probability', probabilityPrefix: 'p_', label: 'label' };
const artifact = (task: 'regression' | 'classification', classes?: string[]) =>
  ({
    task,
    classes,
    features: [
      { name: 'x', type: 'number' },
      { name: 'c', type: 'category', categories: ['a', 'b'] },
    ],
  }) as unknown as ModelArtifact;

describe('batch scoring', () => {
  it('splits rows into contiguous partitions that cover every row once', () => {
    for (const [rows, n] of [
      [10, 3],
      [3, 5],
      [1_000_001, 7],
      [0, 2],
    ] as const) {
      const bounds = Array.from({ length: n }, (_, i) => partitionBounds(rows, n, i));
      expect(bounds[0]![0]).toBe(0);
      expect(bounds[n - 1]![1]).toBe(rows);
      for (let i = 1; i < n; i++) expect(bounds[i]![0]).toBe(bounds[i - 1]![1]);
      const sizes = bounds.map(([a, b]) => b - a);
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    }
  });

  it('names the output columns by task', () => {
    expect(outputNames({ outputColumns: names }, artifact('regression'))).toEqual(['prediction']);
    expect(outputNames({ outputColumns: names }, artifact('classification', ['no', 'yes']))).toEqual([
      'probability',
      'label',
    ]);
    expect(outputNames({ outputColumns: names }, artifact('classification', ['r', 'g', 'b']))).toEqual([
      'p_r',
      'p_g',
      'p_b',
      'label',
    ]);
  });

  it('reads features as the model wants them and lists every missing or mistyped one', () => {
    expect(
      featureReads(artifact('regression'), [
        { name: 'c', type: 'string' },
        { name: 'x', type: 'date' },
      ]),
    ).toEqual([
      { name: 'x', read: 'date' },
      { name: 'c', read: 'category', categories: ['a', 'b'] },
    ]);
    expect(() => featureReads(artifact('regression'), [{ name: 'y', type: 'float' }])).toThrowError(
      expect.objectContaining({ code: 'missing_features', details: expect.objectContaining({ missing: ['x', 'c'] }) }),
    );
    expect(() =>
      featureReads(artifact('regression'), [
        { name: 'x', type: 'string' },
        { name: 'c', type: 'integer' },
      ]),
    ).toThrowError(expect.objectContaining({ code: 'feature_type_mismatch' }));
  });
});
