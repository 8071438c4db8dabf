import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EngineError } from '../errors.js';
import { Frame } from '../frame/frame.js';
import { holdoutSplit } from '../validation/holdout-split.js';
import { holdoutRows } from '../training/holdout-rows.js';
import { outputLabels } from './output-labels.js';
import { MISSING_GROUP } from './segment-groups.js';
import { sliceMetrics, type SliceTable } from './slice-metrics.js';

/** Frozen by __fixtures__/make_fairness_fixtures.py (scikit-learn 1.2 per group, fairlearn's definitions). */
type RefGroup = Record<string, number | boolean | string[] | null>;
interface RefTable {
  columns: string[];
  groups: RefGroup[];
  disparity: Record<string, number>;
}
const reference = JSON.parse(
  readFileSync(new URL('./__fixtures__/fairness-reference.json', import.meta.url), 'utf8'),
) as {
  inputs: Record<'region' | 'sex' | 'y', string[]> & Record<'age' | 'pGood' | 'value' | 'valuePred', number[]>;
  ageEdges: number[];
  classification: { overall: RefGroup; tables: RefTable[] };
  age: RefTable;
  regression: { tables: RefTable[] };
};
const { inputs } = reference;
const TOL = 12;

/** Every number of the reference, to 12 digits; `values` compared only where the reference names them. */
function expectTable(actual: SliceTable, expected: RefTable, compareValues = true) {
  expect(actual.columns).toEqual(expected.columns);
  expect(actual.groups.length).toBe(expected.groups.length);
  expected.groups.forEach((group, i) => {
    const got = actual.groups[i]! as unknown as RefGroup;
    for (const [key, value] of Object.entries(group)) {
      if (key === 'values' && !compareValues) continue;
      if (typeof value === 'number') expect(got[key], `${String(group.values)} ${key}`).toBeCloseTo(value, TOL);
      else expect(got[key], `${String(group.values)} ${key}`).toEqual(value);
    }
  });
  for (const [key, value] of Object.entries(expected.disparity)) {
    expect((actual.disparity as unknown as Record<string, number>)[key], key).toBeCloseTo(value, TOL);
  }
}

const labels = (p: number[]) => p.map((v) => (v > 1 - v ? 'good' : 'bad'));

describe('sliceMetrics (classification)', () => {
  const result = sliceMetrics({
    task: 'classification',
    y: inputs.y,
    predictions: labels(inputs.pGood),
    scores: inputs.pGood,
    classes: ['bad', 'good'],
    segments: [
      { name: 'region', values: inputs.region },
      { name: 'sex', values: inputs.sex },
    ],
  });

  it('equals the reference per column, per intersection and overall', () => {
    expect(result.positiveClass).toBe('good');
    expect(result.overall.count).toBe(400);
    expect(result.minGroupSize).toBe(30);
    expect(result.tables).toHaveLength(3);
    reference.classification.tables.forEach((table, i) => expectTable(result.tables[i]!, table));
    for (const [key, value] of Object.entries(reference.classification.overall)) {
      expect((result.overall as unknown as Record<string, number>)[key], key).toBeCloseTo(value as number, TOL);
    }
  });

  it('reports small groups and leaves them out of the disparity', () => {
    const regions = result.tables[0]!;
    expect(regions.groups.find((g) => g.values[0] === 'west')).toMatchObject({ count: 15, small: true });
    expect(regions.disparity.groups).toBe(3);
    const cross = result.tables[2]!;
    expect(cross.groups.filter((g) => g.small).map((g) => g.values)).toEqual([
      ['west', 'f'],
      ['west', 'm'],
    ]);
    expect(cross.disparity.groups).toBe(6);
    // With every group compared, the small ones move the ratio.
    const all = sliceMetrics({
      task: 'classification',
      y: inputs.y,
      predictions: labels(inputs.pGood),
      segments: [{ name: 'region', values: inputs.region }],
      minGroupSize: 1,
    });
    expect(all.tables[0]!.disparity.groups).toBe(4);
  });

  it('cuts a numeric column into quantile bins as pandas.qcut does', () => {
    const age = sliceMetrics({
      task: 'classification',
      y: inputs.y,
      predictions: labels(inputs.pGood),
      scores: inputs.pGood,
      segments: [{ name: 'age', values: Float64Array.from(inputs.age) }],
    });
    expect(age.bins).toHaveLength(1);
    age.bins[0]!.edges.forEach((edge, i) => expect(edge).toBeCloseTo(reference.ageEdges[i]!, TOL));
    expectTable(age.tables[0]!, reference.age, false);
    expect(age.tables[0]!.groups.map((g) => g.values[0])).toEqual([
      '[11.1, 31.475]',
      '(31.475, 39.3]',
      '(39.3, 47.45]',
      '(47.45, 70.9]',
    ]);
  });
});

describe('sliceMetrics (regression)', () => {
  it('compares mean predictions and reports RMSE and MAE per group', () => {
    const result = sliceMetrics({
      task: 'regression',
      y: inputs.value,
      predictions: inputs.valuePred,
      segments: [
        { name: 'sex', values: inputs.sex },
        { name: 'region', values: inputs.region },
      ],
    });
    expect(result.positiveClass).toBeNull();
    reference.regression.tables.forEach((table, i) => expectTable(result.tables[i]!, table));
    expect(result.tables[0]!.disparity.equalOpportunityRatio).toBeNull();
    expect(result.tables[0]!.groups[0]!.truePositiveRate).toBeNull();
  });
});

describe('edge cases', () => {
  it('gives a group without positives a TPR of 0, as fairlearn does, and AUC null', () => {
    const result = sliceMetrics({
      task: 'classification',
      y: ['no', 'no', 'yes', 'no'],
      predictions: ['yes', 'no', 'yes', 'no'],
      scores: [0.9, 0.1, 0.8, 0.2],
      segments: [{ name: 'g', values: ['a', 'a', 'b', 'b'] }],
      minGroupSize: 1,
    });
    const [a, b] = result.tables[0]!.groups;
    expect(a).toMatchObject({ values: ['a'], positives: 0, truePositiveRate: 0, falsePositiveRate: 0.5, auc: null });
    expect(b).toMatchObject({ values: ['b'], positives: 1, truePositiveRate: 1, falsePositiveRate: 0, auc: 1 });
    expect(result.tables[0]!.disparity).toEqual({
      groups: 2,
      demographicParityRatio: 1,
      demographicParityDifference: 0,
      equalOpportunityRatio: 0,
      equalOpportunityDifference: 1,
      equalizedOddsDifference: 1,
    });
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it('groups missing values last, keeps few distinct numbers as categories, and needs two groups to compare', () => {
    const result = sliceMetrics({
      task: 'classification',
      y: ['a', 'b', 'a', 'b', 'a'],
      predictions: ['a', 'b', 'b', 'b', 'a'],
      segments: [
        { name: 'flag', values: [1, 0, null, 1, 0] },
        { name: 'kind', values: ['x', null, 'x', 'x', 'x'] },
      ],
      minGroupSize: 3,
    });
    expect(result.tables[0]!.groups.map((g) => g.values)).toEqual([['0'], ['1'], [MISSING_GROUP]]);
    expect(result.tables[1]!.groups.map((g) => [g.values[0], g.count, g.small])).toEqual([
      ['x', 4, false],
      [MISSING_GROUP, 1, true],
    ]);
    expect(result.tables[1]!.disparity.groups).toBe(1);
    expect(result.tables[1]!.disparity.demographicParityRatio).toBeNull();
    expect(result.tables[2]!.columns).toEqual(['flag', 'kind']);
  });

  it('refuses bad requests with engine error codes', () => {
    const base = { task: 'classification' as const, y: ['a', 'b'], predictions: ['a', 'b'] };
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return (error as EngineError).code;
      }
      return 'none';
    };
    expect(code(() => sliceMetrics({ ...base, segments: [] }))).toBe('invalid_param');
    expect(code(() => sliceMetrics({ ...base, segments: [{ name: 's', values: ['x'] }] }))).toBe('length_mismatch');
    expect(
      code(() => sliceMetrics({ ...base, positiveClass: 'c', segments: [{ name: 's', values: ['x', 'y'] }] })),
    ).toBe('invalid_param');
    expect(
      code(() =>
        sliceMetrics({
          ...base,
          y: ['a', 'b', 'c'],
          predictions: ['a', 'b', 'c'],
          segments: [{ name: 's', values: ['x', 'y', 'z'] }],
        }),
      ),
    ).toBe('invalid_param');
  });
});

describe('outputLabels and holdoutRows', () => {
  it('labels binary and multiclass outputs as predictRecords does', () => {
    expect(outputLabels([0.2, 0.5, 0.7], ['n', 'y'], 'y')).toEqual({
      labels: ['n', 'n', 'y'],
      scores: Float64Array.from([0.2, 0.5, 0.7]),
    });
    expect(outputLabels([0.2, 0.5, 0.3, 0.6, 0.1, 0.3], ['a', 'b', 'c'], 'c')).toEqual({
      labels: ['b', 'a'],
      scores: Float64Array.from([0.3, 0.3]),
    });
  });

  it('finds the rows prepareTraining held out, skipping rows without a target', () => {
    const frame = Frame.fromColumns([
      { kind: 'number', name: 'x', values: Float64Array.from({ length: 20 }, (_, i) => i) },
      {
        kind: 'category',
        name: 't',
        codes: Int32Array.from({ length: 20 }, (_, i) => (i === 3 ? -1 : i % 3 === 0 ? 1 : 0)),
        dictionary: ['no', 'yes'],
      },
    ]);
    const rows = holdoutRows(frame, { target: 't', task: 'classification' }, { testFraction: 0.25, seed: 42 });
    const present = Array.from({ length: 20 }, (_, i) => i).filter((i) => i !== 3);
    const codes = Int32Array.from(present, (i) => (i % 3 === 0 ? 1 : 0));
    const { test } = holdoutSplit(present.length, { testFraction: 0.25, seed: 42, stratify: codes });
    expect(Array.from(rows)).toEqual(Array.from(test, (k) => present[k]!));
    expect(rows).not.toContain(3);
  });
});
