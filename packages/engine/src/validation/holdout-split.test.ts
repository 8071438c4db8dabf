import { describe, it, expect } from 'vitest';
import { holdoutSplit } from './holdout-split.js';

describe('holdoutSplit', () => {
  it('partitions every row exactly once, ascending', () => {
    const { train, test } = holdoutSplit(101, { testFraction: 0.2, seed: 7 });
    expect(test.length).toBe(20);
    expect(train.length).toBe(81);
    const all = [...train, ...test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 101 }, (_, i) => i));
    expect([...test]).toEqual([...test].sort((a, b) => a - b));
  });

  it('is deterministic for a seed and differs across seeds', () => {
    const a = holdoutSplit(200, { testFraction: 0.25, seed: 42 });
    const b = holdoutSplit(200, { testFraction: 0.25, seed: 42 });
    const c = holdoutSplit(200, { testFraction: 0.25, seed: 43 });
    expect(Array.from(a.test)).toEqual(Array.from(b.test));
    expect(Array.from(a.test)).not.toEqual(Array.from(c.test));
  });

  it('keeps class shares when stratified', () => {
    const stratify = Int32Array.from({ length: 100 }, (_, i) => (i < 10 ? 1 : 0));
    const { test } = holdoutSplit(100, { testFraction: 0.3, seed: 1, stratify });
    const positives = [...test].filter((row) => stratify[row] === 1).length;
    expect(positives).toBe(3);
    expect(test.length).toBe(30);
  });

  it('allows an empty test set and rejects bad fractions', () => {
    expect(holdoutSplit(10, { testFraction: 0, seed: 1 }).train.length).toBe(10);
    expect(() => holdoutSplit(10, { testFraction: 1, seed: 1 })).toThrowError(
      expect.objectContaining({ code: 'invalid_param' }),
    );
    expect(() => holdoutSplit(10, { testFraction: -0.1, seed: 1 })).toThrowError(
      expect.objectContaining({ code: 'invalid_param' }),
    );
    expect(() => holdoutSplit(10, { testFraction: 0.2, seed: 1, stratify: new Int32Array(3) })).toThrowError(
      expect.objectContaining({ code: 'length_mismatch' }),
    );
  });
});
