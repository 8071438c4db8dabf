import { describe, expect, it } from 'vitest';
import { distinctUnionUpTo, distinctUpTo, sortedWithoutNaN } from './radix-sort.js';

describe('sortedWithoutNaN', () => {
  it('orders like Float64Array.prototype.sort, NaN dropped, on large mixed inputs', () => {
    const n = 50_000;
    const values = new Float64Array(n);
    let x = 12345;
    for (let i = 0; i < n; i++) {
      x = (Math.imul(1664525, x) + 1013904223) >>> 0;
      const u = x / 2 ** 32;
      values[i] =
        i % 97 === 0 ? NaN : i % 89 === 0 ? -0 : i % 83 === 0 ? Infinity : i % 79 === 0 ? -Infinity : (u - 0.5) * 1e6;
    }
    const before = values.slice();
    const expected = values.filter((v) => !Number.isNaN(v)).sort();
    const actual = sortedWithoutNaN(values);
    expect(actual.length).toBe(expected.length);
    expect(Array.from(actual)).toEqual(Array.from(expected));
    expect(Array.from(values)).toEqual(Array.from(before)); // the input is left as it was
  });

  it('keeps inputs whose low digits are all equal (short binary fractions) and tiny inputs', () => {
    const values = Float64Array.from({ length: 10_000 }, (_, i) => ((i * 7919) % 10_000) / 4 - 100);
    expect(Array.from(sortedWithoutNaN(values))).toEqual(Array.from(values.slice().sort()));
    expect(Array.from(sortedWithoutNaN([3, NaN, 1, 2]))).toEqual([1, 2, 3]);
  });

  it('counts distinct values up to a cap', () => {
    const a = Float64Array.from([1, 1, 2, 3, 3, 3]);
    const b = Float64Array.from([0, 3, 4]);
    expect(distinctUpTo(a, 10)).toBe(3);
    expect(distinctUpTo(a, 2)).toBe(2);
    expect(distinctUnionUpTo(a, b, 10)).toBe(5);
    expect(distinctUnionUpTo(a, b, 4)).toBe(4);
  });
});
