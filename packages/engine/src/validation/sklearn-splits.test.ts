import { describe, it, expect } from 'vitest';
import { groupKFold } from './group-k-fold.js';
import { kFold } from './k-fold.js';
import { stratifiedKFold } from './stratified-k-fold.js';
import { timeSeriesSplit } from './time-series-split.js';
import type { Fold } from './fold.js';
import reference from './__fixtures__/sklearn-splits.json' with { type: 'json' };

// Index-for-index agreement with scikit-learn where the split is deterministic there.
const plain = (folds: Fold[]) => folds.map((f) => ({ train: Array.from(f.train), test: Array.from(f.test) }));

describe(`splits vs scikit-learn ${reference.sklearn}`, () => {
  for (const c of reference.kFold) {
    it(c.call, () => expect(plain(kFold(c.n, { k: c.k }))).toEqual(c.folds));
  }
  for (const c of reference.stratifiedKFold) {
    it(`${c.case}: ${c.call}`, () => {
      expect(plain(stratifiedKFold(Int32Array.from(c.labels), { k: c.k }))).toEqual(c.folds);
    });
  }
  for (const c of reference.groupKFold) {
    it(`${c.case}: ${c.call}`, () => {
      expect(plain(groupKFold(Int32Array.from(c.groups), { k: c.k }))).toEqual(c.folds);
    });
  }
  for (const c of reference.timeSeriesSplit) {
    it(`n=${c.n}: ${c.call}`, () => {
      const folds = timeSeriesSplit(c.n, {
        k: c.k,
        gap: c.gap,
        ...(c.testSize !== null && { testSize: c.testSize }),
        ...(c.maxTrainSize !== null && { maxTrainSize: c.maxTrainSize }),
      });
      expect(plain(folds)).toEqual(c.folds);
    });
  }
});
