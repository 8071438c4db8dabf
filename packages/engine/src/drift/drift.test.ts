import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chiSquareContingency, chiSquareGoodnessOfFit } from './chi-square.js';
import { columnDrift, datasetDrift, defaultTest, DriftInputError } from './column-drift.js';
import { jensenShannonDistance, wassersteinDistance } from './distances.js';
import { driftSample, type SampleSpec } from './drift-samples.js';
import { kolmogorovSf, smirnovSf } from './kolmogorov.js';
import { ksTwoSample } from './ks-test.js';
import { chiSquareSf, normalCdf, normalSf } from './special-functions.js';

// Made by __fixtures__/make_drift_fixtures.py with Debian's SciPy 1.10.1 (how: see the script's docstring).
const reference = JSON.parse(readFileSync(new URL('./__fixtures__/drift-reference.json', import.meta.url), 'utf8')) as {
  ks: { name: string; a: SampleSpec; b: SampleSpec; statistic: number; pValue: number }[];
  wasserstein: { name: string; a: SampleSpec; b: SampleSpec; distance: number; referenceStd: number }[];
  chi2: { table: number[][]; statistic: number; pValue: number; dof: number; expected: number[][] }[];
  chisquare: { observed: number[]; expected: number[]; statistic: number; pValue: number }[];
  jensenshannon: { p: number[]; q: number[]; base: number | null; distance: number }[];
  z: { n1: number; x1: number; n2: number; x2: number; z: number; pValue: number }[];
  binned: { name: string; a: SampleSpec; b: SampleSpec; bins: number | null; psi: number; jensenshannon: number }[];
};

const sorted = (spec: SampleSpec) => driftSample(spec).sort();
const TOLERANCE = 1e-9;

describe('two-sample Kolmogorov–Smirnov equals scipy.stats.ks_2samp', () => {
  it.each(reference.ks.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = ksTwoSample(sorted(c.a), sorted(c.b));
    expect(Math.abs(r.statistic - c.statistic)).toBeLessThan(1e-12);
    expect(Math.abs(r.pValue - c.pValue)).toBeLessThan(TOLERANCE);
    // Relative agreement too where the p-value is not tiny: 1e-9 absolute alone says little about 1e-7.
    if (c.pValue > 1e-12) expect(Math.abs(r.pValue - c.pValue) / c.pValue).toBeLessThan(1e-6);
  });

  it('is symmetric in its samples and 1 for identical ones', () => {
    const a = sorted({ seed: 90, n: 300 });
    const b = sorted({ seed: 91, n: 500, shift: 0.2 });
    expect(ksTwoSample(a, b)).toEqual(ksTwoSample(b, a));
    expect(ksTwoSample(a, a).pValue).toBe(1);
    expect(() => ksTwoSample(a, new Float64Array(0))).toThrow(RangeError);
  });

  it("kstwo's tails agree across the branch boundaries (no jumps where the method changes)", () => {
    for (const n of [50, 140, 141, 5000]) {
      for (let x = 0.01; x < 0.99; x += 0.01) {
        const here = kolmogorovSf(n, x);
        const next = kolmogorovSf(n, x + 1e-7);
        expect(here).toBeGreaterThanOrEqual(0);
        expect(here).toBeLessThanOrEqual(1);
        // The survival function falls; a branch switch that disagreed would show as a jump up.
        expect(next).toBeLessThanOrEqual(here + 1e-9);
      }
    }
    expect(smirnovSf(10, 0)).toBe(1);
    expect(smirnovSf(10, 1)).toBe(0);
  });
});

describe('distances equal SciPy', () => {
  it.each(reference.wasserstein.map((c) => [c.name, c] as const))('wasserstein_distance: %s', (_name, c) => {
    const d = wassersteinDistance(sorted(c.a), sorted(c.b));
    expect(Math.abs(d - c.distance)).toBeLessThan(TOLERANCE);
  });

  it('jensenshannon on probability vectors and raw weights', () => {
    for (const c of reference.jensenshannon) {
      const d = jensenShannonDistance(c.p, c.q, c.base ?? Math.E);
      expect(Math.abs(d - c.distance)).toBeLessThan(TOLERANCE);
    }
  });
});

describe('χ² tests equal SciPy', () => {
  it('chi2_contingency, with Yates on 2 × 2 tables', () => {
    for (const c of reference.chi2) {
      const r = chiSquareContingency(c.table);
      expect(r.dof).toBe(c.dof);
      expect(Math.abs(r.statistic - c.statistic)).toBeLessThan(TOLERANCE * Math.max(1, c.statistic));
      expect(Math.abs(r.pValue - c.pValue)).toBeLessThan(TOLERANCE);
      r.expected.flat().forEach((e, i) => expect(e).toBeCloseTo(c.expected.flat()[i]!, 9));
    }
    expect(() =>
      chiSquareContingency([
        [1, 0],
        [2, 0],
      ]),
    ).toThrow(/sums to zero/);
  });

  it('chisquare goodness of fit', () => {
    for (const c of reference.chisquare) {
      const r = chiSquareGoodnessOfFit(c.observed, c.expected);
      expect(Math.abs(r.statistic - c.statistic)).toBeLessThan(TOLERANCE);
      expect(Math.abs(r.pValue - c.pValue)).toBeLessThan(TOLERANCE);
    }
  });

  it('the distributions behind the p-values: known quantiles', () => {
    expect(chiSquareSf(3.841458820694124, 1)).toBeCloseTo(0.05, 14);
    expect(chiSquareSf(18.307038053275146, 10)).toBeCloseTo(0.05, 14);
    expect(normalCdf(1.959963984540054)).toBeCloseTo(0.975, 15);
    expect(normalSf(8)).toBeCloseTo(6.22096057427178e-16, 28);
  });
});

describe('column drift: Evidently defaults', () => {
  it('the two-proportion z-test equals its SciPy-computed reference', () => {
    for (const c of reference.z) {
      const counts = (n: number, x: number) =>
        new Map([
          ['a', n - x],
          ['b', x],
        ]);
      const r = columnDrift(
        { kind: 'category', counts: counts(c.n1, c.x1) },
        { kind: 'category', counts: counts(c.n2, c.x2) },
        { test: 'z' },
      );
      expect(Math.abs(r.statistic - c.z)).toBeLessThan(1e-12 * Math.max(1, Math.abs(c.z)));
      expect(Math.abs(r.pValue! - c.pValue)).toBeLessThan(TOLERANCE);
    }
  });

  it.each(reference.binned.map((c) => [c.name, c] as const))('PSI and Jensen–Shannon on binned data: %s', (_n, c) => {
    const ref = { kind: 'number' as const, values: driftSample(c.a) };
    const cur = { kind: 'number' as const, values: driftSample(c.b) };
    const psi = columnDrift(ref, cur, { test: 'psi' });
    const js = columnDrift(ref, cur, { test: 'jensenshannon' });
    expect(Math.abs(psi.score - c.psi)).toBeLessThan(TOLERANCE);
    expect(Math.abs(js.score - c.jensenshannon)).toBeLessThan(TOLERANCE);
    expect(psi.drifted).toBe(c.psi >= 0.1);
  });

  it('normalised Wasserstein is the distance over the reference standard deviation', () => {
    const c = reference.wasserstein[0]!;
    const r = columnDrift({ kind: 'number', values: driftSample(c.a) }, { kind: 'number', values: driftSample(c.b) });
    expect(r.test).toBe('wasserstein');
    expect(Math.abs(r.score - c.distance / c.referenceStd)).toBeLessThan(TOLERANCE);
    expect(r.drifted).toBe(true);
  });

  it('chooses the test by column kind, reference size and distinct values', () => {
    expect(defaultTest(true, 1000, 6)).toBe('ks');
    expect(defaultTest(true, 1000, 5)).toBe('chisquare');
    expect(defaultTest(true, 1000, 2)).toBe('z');
    expect(defaultTest(false, 1000, 3)).toBe('chisquare');
    expect(defaultTest(false, 1000, 2)).toBe('z');
    expect(defaultTest(true, 1001, 6)).toBe('wasserstein');
    expect(defaultTest(true, 1001, 5)).toBe('jensenshannon');
    expect(defaultTest(false, 1001, 50)).toBe('jensenshannon');
    const small = columnDrift(
      { kind: 'number', values: driftSample({ seed: 1, n: 500 }) },
      { kind: 'number', values: driftSample({ seed: 2, n: 800, shift: 1 }) },
    );
    expect(small).toMatchObject({ test: 'ks', threshold: 0.05, drifted: true });
    expect(small.pValue).toBe(small.score);
  });

  it('ignores missing values, refuses empty sides and tests that do not fit the column', () => {
    const values = Float64Array.from([1, 2, NaN, 3, 4, 5, 6, NaN]);
    const r = columnDrift({ kind: 'number', values }, { kind: 'number', values });
    expect(r.referenceSize).toBe(6);
    expect(r.drifted).toBe(false);
    expect(() =>
      columnDrift({ kind: 'number', values }, { kind: 'number', values: Float64Array.from([NaN, NaN]) }),
    ).toThrow(DriftInputError);
    const counts = new Map([['x', 3]]);
    expect(() => columnDrift({ kind: 'category', counts }, { kind: 'category', counts }, { test: 'ks' })).toThrow(
      /numeric column/,
    );
    // One category on both sides: nothing can drift.
    expect(columnDrift({ kind: 'category', counts }, { kind: 'category', counts }).pValue).toBe(1);
  });

  it('dataset drift needs at least the given share of drifted columns', () => {
    const col = (drifted: boolean) => ({ drifted }) as Parameters<typeof datasetDrift>[0][number];
    expect(datasetDrift([col(true), col(false)]).drifted).toBe(true);
    expect(datasetDrift([col(true), col(false), col(false)]).drifted).toBe(false);
    expect(datasetDrift([]).drifted).toBe(false);
  });
});
