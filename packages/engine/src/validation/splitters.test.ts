import { describe, it, expect } from 'vitest';
import { groupKFold } from './group-k-fold.js';
import { kFold } from './k-fold.js';
import { seededRandom, type Random } from './random.js';
import { stratifiedKFold } from './stratified-k-fold.js';
import { timeSeriesSplit } from './time-series-split.js';
import type { Fold } from './fold.js';

// Property tests over many generated inputs (a seeded generator, so failures reproduce).
const RUNS = 200;
const code = (c: string) => expect.objectContaining({ name: 'EngineError', code: c });
const int = (random: Random, lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
const plain = (folds: Fold[]) => folds.map((f) => [Array.from(f.train), Array.from(f.test)]);

/** Test sets partition 0..n-1, each train set is its complement, and both are ascending (one assertion per call). */
function expectPartition(folds: Fold[], n: number, k: number): void {
  const problems: string[] = [];
  if (folds.length !== k) problems.push(`${folds.length} folds`);
  const seen = new Int32Array(n);
  folds.forEach(({ train, test }, f) => {
    if (test.length === 0) problems.push(`fold ${f} tests nothing`);
    if (train.length + test.length !== n) problems.push(`fold ${f} has ${train.length} + ${test.length} rows`);
    const inTest = new Uint8Array(n);
    test.forEach((row, i) => {
      if (i > 0 && row <= test[i - 1]!) problems.push(`fold ${f} test not ascending at ${i}`);
      inTest[row] = 1;
      seen[row]!++;
    });
    train.forEach((row, i) => {
      if (i > 0 && row <= train[i - 1]!) problems.push(`fold ${f} train not ascending at ${i}`);
      if (inTest[row] === 1) problems.push(`fold ${f} trains and tests on row ${row}`);
    });
  });
  seen.forEach((count, row) => {
    if (count !== 1) problems.push(`row ${row} tested ${count} times`);
  });
  expect(problems).toEqual([]);
}

describe('kFold', () => {
  it('partitions the rows into folds of floor or ceil of n / k, shuffled or not', () => {
    const random = seededRandom(1);
    for (let run = 0; run < RUNS; run++) {
      const n = int(random, 2, 120);
      const k = int(random, 2, Math.min(n, 12));
      const folds = kFold(n, { k, shuffle: run % 2 === 0, seed: run });
      expectPartition(folds, n, k);
      for (const { test } of folds) expect([Math.floor(n / k), Math.ceil(n / k)]).toContain(test.length);
    }
  });

  it('is deterministic per seed and shuffles differently across seeds', () => {
    expect(plain(kFold(50, { k: 5, shuffle: true, seed: 7 }))).toEqual(
      plain(kFold(50, { k: 5, shuffle: true, seed: 7 })),
    );
    expect(plain(kFold(50, { k: 5, shuffle: true, seed: 7 }))).not.toEqual(
      plain(kFold(50, { k: 5, shuffle: true, seed: 8 })),
    );
    expect(Array.from(kFold(6, { k: 3 })[1]!.test)).toEqual([2, 3]);
  });

  it('rejects bad k and too few rows', () => {
    expect(() => kFold(10, { k: 1 })).toThrowError(code('invalid_param'));
    expect(() => kFold(10, { k: 2.5 })).toThrowError(code('invalid_param'));
    expect(() => kFold(3, { k: 4 })).toThrowError(code('too_few_rows'));
    expect(() => kFold(0, { k: 2 })).toThrowError(code('too_few_rows'));
    expect(() => kFold(-1, { k: 2 })).toThrowError(code('invalid_param'));
    expect(() => kFold(10, { k: 2, shuffle: true, seed: Number.NaN })).toThrowError(code('invalid_param'));
  });
});

describe('stratifiedKFold', () => {
  it('gives every fold floor or ceil of each class size / k, and balanced fold sizes', () => {
    const random = seededRandom(2);
    for (let run = 0; run < RUNS; run++) {
      const n = int(random, 4, 150);
      const nClasses = int(random, 1, 5);
      const k = int(random, 2, Math.min(n, 8));
      // Skewed class shares, with arbitrary (non-contiguous) codes.
      const labels = Int32Array.from({ length: n }, () => 3 * Math.floor(nClasses * random() ** 2) - 1);
      const counts = new Map<number, number>();
      for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
      if ([...counts.values()].every((c) => c < k)) continue;
      const folds = stratifiedKFold(labels, { k, shuffle: run % 2 === 0, seed: run });
      expectPartition(folds, n, k);
      const problems: string[] = [];
      folds.forEach(({ test }, f) => {
        if (test.length < Math.floor(n / k) || test.length > Math.ceil(n / k)) problems.push(`fold ${f} size`);
        for (const [label, count] of counts) {
          let inFold = 0;
          for (const row of test) if (labels[row] === label) inFold++;
          if (inFold < Math.floor(count / k) || inFold > Math.ceil(count / k)) {
            problems.push(`fold ${f} has ${inFold} of class ${label} (${count} rows)`);
          }
        }
      });
      expect(problems).toEqual([]);
    }
  });

  it('is deterministic per seed', () => {
    const labels = Int32Array.from({ length: 60 }, (_, i) => (i * 7) % 3);
    const a = stratifiedKFold(labels, { k: 4, shuffle: true, seed: 11 });
    expect(plain(a)).toEqual(plain(stratifiedKFold(labels, { k: 4, shuffle: true, seed: 11 })));
    expect(plain(a)).not.toEqual(plain(stratifiedKFold(labels, { k: 4, shuffle: true, seed: 12 })));
  });

  it('rejects bad k, too few rows and classes all smaller than k', () => {
    expect(() => stratifiedKFold(new Int32Array(5), { k: 0 })).toThrowError(code('invalid_param'));
    expect(() => stratifiedKFold(new Int32Array(0), { k: 2 })).toThrowError(code('too_few_rows'));
    expect(() => stratifiedKFold(Int32Array.from([0, 0, 1, 1, 2, 2]), { k: 3 })).toThrowError(code('too_few_rows'));
  });
});

describe('groupKFold', () => {
  it('keeps every group in one fold and balances fold sizes greedily', () => {
    const random = seededRandom(3);
    for (let run = 0; run < RUNS; run++) {
      const nGroups = int(random, 2, 40);
      const k = int(random, 2, Math.min(nGroups, 8));
      const n = int(random, nGroups, 200);
      // Every group present, sizes skewed.
      const groups = Int32Array.from({ length: n }, (_, i) =>
        i < nGroups ? i * 5 : 5 * Math.floor(nGroups * random() ** 3),
      );
      const folds = groupKFold(groups, { k });
      expectPartition(folds, n, k);
      const foldOfGroup = new Map<number, number>();
      const split: number[] = [];
      folds.forEach(({ test }, f) => {
        for (const row of test) {
          if ((foldOfGroup.get(groups[row]!) ?? f) !== f) split.push(groups[row]!);
          foldOfGroup.set(groups[row]!, f);
        }
      });
      expect(split).toEqual([]);
      // Greedy largest-first: no fold exceeds the lightest by more than the largest group.
      const sizes = folds.map((f) => f.test.length);
      const groupSizes = new Map<number, number>();
      for (const g of groups) groupSizes.set(g, (groupSizes.get(g) ?? 0) + 1);
      const largestGroup = Math.max(...groupSizes.values());
      expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(largestGroup);
    }
  });

  it('rejects bad k and fewer groups than k', () => {
    expect(() => groupKFold(Int32Array.from([0, 1, 2]), { k: 1 })).toThrowError(code('invalid_param'));
    expect(() => groupKFold(Int32Array.from([0, 0, 1, 1]), { k: 3 })).toThrowError(code('too_few_groups'));
    expect(() => groupKFold(new Int32Array(0), { k: 2 })).toThrowError(code('too_few_groups'));
  });
});

describe('timeSeriesSplit', () => {
  it('always trains on rows before the test block, minus the gap', () => {
    const random = seededRandom(4);
    for (let run = 0; run < RUNS; run++) {
      const n = int(random, 3, 200);
      const k = int(random, 2, Math.min(n - 1, 10));
      const gap = int(random, 0, 3);
      if (n - gap - Math.floor(n / (k + 1)) * k <= 0) continue;
      const folds = timeSeriesSplit(n, { k, gap });
      expect(folds.length).toBe(k);
      folds.forEach(({ train, test }, f) => {
        expect(test.length).toBe(Math.floor(n / (k + 1)));
        expect(train[0]).toBe(0);
        expect(train[train.length - 1]! + gap + 1).toBe(test[0]);
        if (f === k - 1) expect(test[test.length - 1]).toBe(n - 1);
      });
    }
  });

  it('rejects bad parameters and splits that leave no training rows', () => {
    expect(() => timeSeriesSplit(10, { k: 1 })).toThrowError(code('invalid_param'));
    expect(() => timeSeriesSplit(10, { k: 2, gap: -1 })).toThrowError(code('invalid_param'));
    expect(() => timeSeriesSplit(10, { k: 2, testSize: 0 })).toThrowError(code('invalid_param'));
    expect(() => timeSeriesSplit(3, { k: 3 })).toThrowError(code('too_few_rows'));
    expect(() => timeSeriesSplit(0, { k: 2 })).toThrowError(code('too_few_rows'));
    expect(() => timeSeriesSplit(10, { k: 3, testSize: 4 })).toThrowError(code('too_few_rows'));
    expect(() => timeSeriesSplit(10, { k: 2, gap: 7 })).toThrowError(code('too_few_rows'));
  });
});
