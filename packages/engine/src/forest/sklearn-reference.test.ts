// Holdout accuracy against scikit-learn's RandomForest* and ExtraTrees* on the same rows (fixture:
// make_forest_fixtures.py). Forests are random, so both sides are means: over split seeds here, over three
// random_state values there.
import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';
import type { Column } from '../frame/column.js';
import { Frame } from '../frame/frame.js';
import { csvFrame } from '../test-support/csv-frame.js';
import { encodeTarget } from '../preprocess/encode-target.js';
import { holdoutSplit } from '../validation/holdout-split.js';
import reference from './__fixtures__/sklearn-forest.json' with { type: 'json' };
import { trainForestModel } from './train-forest-model.js';

/**
 * scikit-learn 1.2's trees take numbers only: the fixture ordinal-encodes categories (sorted), so we feed the same
 * codes as numbers (missing stays missing here, a code of its own there) and compare the tree algorithms alone.
 */
const read = (url: URL) => ordinal(csvFrame(readFileSync(url, 'utf8')));

function ordinal(frame: Frame): Frame {
  return Frame.fromColumns(
    frame.names.map((name): Column => {
      const column = frame.column(name);
      if (column.kind === 'number' || name === 'Status') return column;
      const rank = new Map([...column.dictionary].sort().map((c, k) => [c, k]));
      const values = Float64Array.from(column.codes, (c) => (c < 0 ? NaN : rank.get(column.dictionary[c]!)!));
      return { kind: 'number', name, values };
    }),
  );
}
// diamonds.csv (2.7 MB) is not in the repository: it is in ../shared/data beside the checkout, here and in CI.
const DIAMONDS = new URL('../../../../../shared/data/diamonds.csv', import.meta.url);
const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const VARIANTS = [
  { name: 'forest', extraTrees: false },
  { name: 'extraTrees', extraTrees: true },
] as const;

describe('trainForestModel against scikit-learn', () => {
  const frame = read(new URL('../../../../examples/data/credit_data.csv', import.meta.url));
  const y = Int32Array.from(encodeTarget(frame, 'Status', 'classification').y);
  const { nTrees, testFraction } = reference.credit.params;

  it.each(VARIANTS)('$name: mean holdout AUC on credit_data.csv within 0.01', ({ name, extraTrees }) => {
    const ours: number[] = [];
    for (const run of reference.credit.runs) {
      const split = holdoutSplit(frame.nRows, { testFraction, seed: run.seed, stratify: y });
      expect(Array.from(split.test.subarray(0, 20))).toEqual(run.testHead);
      const params = { nTrees, testFraction, seed: run.seed, extraTrees };
      ours.push(trainForestModel(frame, { target: 'Status', task: 'classification', params }).metrics.auc!);
    }
    const theirs = mean(reference.credit.runs.map((run) => run.auc[name]));
    expect(Math.abs(mean(ours) - theirs)).toBeLessThan(0.01);
  });

  it.each(VARIANTS)('$name: holdout RMSE on diamonds.csv within 3%', ({ name, extraTrees }) => {
    const diamonds = read(DIAMONDS);
    const { seed, ...params } = reference.diamonds.params;
    const split = holdoutSplit(diamonds.nRows, { testFraction: params.testFraction, seed });
    expect(Array.from(split.test.subarray(0, 20))).toEqual(reference.diamonds.testHead);
    const ours = mean(
      [seed, seed + 1].map(
        (s) =>
          trainForestModel(diamonds, {
            target: 'price',
            task: 'regression',
            params: { ...params, seed: s, extraTrees },
          }).metrics.rmse!,
      ),
    );
    const theirs = reference.diamonds.rmse[name];
    expect(Math.abs(ours - theirs) / theirs).toBeLessThan(0.03);
  });
});
