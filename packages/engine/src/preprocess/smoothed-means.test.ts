import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectClose } from '../test-support/expect-close.js';
import { foldsFromAssignment } from '../validation/fold.js';
import { outOfFoldMeans, smoothedMeans } from './smoothed-means.js';

interface Fixture {
  categories: string[];
  rows: (string | null)[];
  y: Record<'regression' | 'binary' | 'multiclass', number[]>;
  folds: number[];
  cases: {
    target: 'regression' | 'binary' | 'multiclass';
    smoothing: number | 'auto';
    outputs: { prior: number; values: number[]; outOfFold: number[] }[];
  }[];
}

// Reference values computed independently with pandas group-bys (scripts/reference/make_target_encoding_fixtures.py).
const fixture = JSON.parse(
  readFileSync(new URL('./__fixtures__/target-encoding.json', import.meta.url), 'utf8'),
) as Fixture;
const codes = Int32Array.from(fixture.rows, (c) => (c === null ? -1 : fixture.categories.indexOf(c)));
const all = Int32Array.from(codes, (_, i) => i);
const folds = foldsFromAssignment(Int32Array.from(fixture.folds), 5);

/** The y each output encodes: the target itself, or one class indicator per class. */
function outputY(target: Fixture['cases'][number]['target'], output: number): Float64Array {
  const y = Float64Array.from(fixture.y[target]);
  return target === 'multiclass' ? y.map((v) => (v === output ? 1 : 0)) : y;
}

describe('smoothedMeans against the pandas reference', () => {
  it('has a case for every target kind and smoothing, with missing and single-row categories in the data', () => {
    expect(fixture.cases).toHaveLength(12);
    expect(codes.filter((c) => c < 0).length).toBeGreaterThan(0);
    expect(codes.filter((c) => c === fixture.categories.indexOf('rare'))).toHaveLength(1);
  });

  for (const c of fixture.cases) {
    it(`${c.target}, smoothing ${c.smoothing}: full mapping and out-of-fold values`, () => {
      c.outputs.forEach((expected, o) => {
        const y = outputY(c.target, o);
        const full = smoothedMeans(codes, y, all, fixture.categories.length, c.smoothing, Number.NaN);
        expect(full.prior).toBeCloseTo(expected.prior, 14);
        expectClose(full.values, expected.values, 1e-12, 1e-14);
        const oof = outOfFoldMeans(codes, y, folds, fixture.categories.length, c.smoothing, full.prior);
        expectClose(oof, expected.outOfFold, 1e-12, 1e-14);
      });
    });
  }

  it('gives a category without rows the prior, and everything the fallback when there are no rows', () => {
    const y = Float64Array.from([1, 0, 1]);
    const some = smoothedMeans(Int32Array.from([0, 0, -1]), y, Int32Array.from([0, 1, 2]), 2, 5, 99);
    expect(some.prior).toBeCloseTo(2 / 3, 15);
    expect(some.values[1]).toBe(some.prior);
    expect(some.values[0]).toBeCloseTo((1 + 5 * (2 / 3)) / (2 + 5), 15);
    const none = smoothedMeans(Int32Array.from([0]), Float64Array.from([1]), new Int32Array(0), 2, 'auto', 0.25);
    expect(none.prior).toBe(0.25);
    expect(Array.from(none.values)).toEqual([0.25, 0.25]);
  });
});
