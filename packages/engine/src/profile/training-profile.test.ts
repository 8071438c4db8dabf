import { describe, expect, it } from 'vitest';
import { trainGlmModel } from '../glm/train-glm-model.js';
import { predictFrame } from '../artifact/predict-frame.js';
import { sharedFrame } from '../test-support/parity-cases.js';
import { profileChecker } from './out-of-profile.js';
import { buildTrainingProfile, numberProfile, QUANTILE_LEVELS, sampleFrame } from './training-profile.js';

// numpy 1.24 on ../shared/data/credit_data.csv (Debian's python3-numpy, pandas read_csv):
// v.min(), v.max(), v.mean(), v.std(), np.quantile(v, QUANTILE_LEVELS) with v = the non-missing values.
const NUMPY = {
  Income: {
    missing: 381,
    count: 4073,
    min: 6,
    max: 959,
    mean: 141.68769948440953,
    std: 80.73848438767475,
    quantiles: [6, 36, 56, 90, 125, 170, 292, 444.23999999999796, 959],
  },
  Price: {
    missing: 0,
    count: 4454,
    min: 105,
    max: 11140,
    mean: 1462.7801975752134,
    std: 628.0576028122363,
    quantiles: [105, 375, 600, 1117.25, 1400, 1691.5, 2433.699999999999, 3559.4700000000003, 11140],
  },
};
const HOME = { owner: 2107, rent: 973, parents: 783, other: 319, priv: 246, ignore: 20 };

describe('training profile', () => {
  const frame = sharedFrame('credit_data.csv');
  const { artifact } = trainGlmModel(frame, { target: 'Status', task: 'classification' });
  const profile = buildTrainingProfile(artifact, frame, { sampleRows: 1000 });

  it('describes numbers as numpy does', () => {
    expect(QUANTILE_LEVELS).toHaveLength(9);
    for (const [name, expected] of Object.entries(NUMPY)) {
      const p = profile.features.find((f) => f.name === name)!;
      expect(p.type).toBe('number');
      if (p.type !== 'number') continue;
      expect(p).toMatchObject({
        count: expected.count,
        missing: expected.missing,
        min: expected.min,
        max: expected.max,
      });
      expect(p.mean).toBeCloseTo(expected.mean, 10);
      expect(p.std).toBeCloseTo(expected.std, 10);
      p.quantiles.forEach((q, i) => expect(q).toBeCloseTo(expected.quantiles[i]!, 9));
      expect(p.histogram.counts.reduce((a, b) => a + b, 0)).toBe(expected.count);
      expect(p.histogram.edges[0]).toBe(expected.min);
      expect(p.histogram.edges.at(-1)).toBe(expected.max);
    }
  });

  it('counts categories, most frequent first, and missing values', () => {
    const home = profile.features.find((f) => f.name === 'Home')!;
    expect(home.type).toBe('category');
    if (home.type !== 'category') return;
    expect(Object.fromEntries(home.categories.map((c) => [c.value, c.count]))).toEqual(HOME);
    expect(home.categories[0]!.value).toBe('owner');
    expect(home.missing).toBe(6);
    expect(home.otherCount).toBe(0);
  });

  it("keeps a sample with the model's predictions on it, reproducible from the seed", () => {
    expect(profile.rows).toBe(frame.nRows);
    expect(profile.sample.rows).toBe(1000);
    const again = buildTrainingProfile(artifact, frame, { sampleRows: 1000 });
    expect(again.sample).toEqual(profile.sample);
    const names = artifact.features.map((f) => f.name);
    const sample = sampleFrame(profile, names);
    const predictions = predictFrame(artifact, sample);
    expect(Array.from(predictions)).toEqual(profile.sample.columns.prediction);
    expect(profile.prediction.type).toBe('number');
    expect(profile.prediction.count).toBe(1000);
    expect(JSON.parse(JSON.stringify(profile))).toEqual(profile); // JSON-safe: no NaN anywhere
  });

  it('flags records outside the profile, and only those', () => {
    const check = profileChecker(profile);
    const base = { Seniority: 9, Home: 'rent', Time: 60, Age: 30, Marital: 'married', Records: 'no', Job: 'freelance' };
    const record = { ...base, Expenses: 73, Income: 129, Assets: 0, Debt: 0, Amount: 800, Price: 846 };
    expect(check([record])).toEqual([]);
    const flags = check([
      record,
      { ...record, Price: 20000, Home: 'castle', Income: null },
      { ...record, Price: null },
    ]);
    expect(flags).toEqual([
      { row: 1, field: 'Home', problem: 'unseen_category', value: 'castle' },
      { row: 1, field: 'Price', problem: 'out_of_range', value: 20000 },
      { row: 2, field: 'Price', problem: 'unexpected_missing', value: null },
    ]);
  });

  it('handles a column with no values', () => {
    const empty = numberProfile('x', Float64Array.from([NaN, NaN]));
    expect(empty).toMatchObject({ count: 0, missing: 2, min: null, quantiles: [] });
  });
});
