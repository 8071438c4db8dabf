import { describe, expect, it } from 'vitest';
import { newId } from './ids.js';

describe('newId', () => {
  it('makes ids that are unique, time-ordered and in the base32 alphabet, across pool refills', () => {
    // 10,000 ids draw 80,000 random bytes: the 4 KB pool refills many times.
    const ids = Array.from({ length: 10_000 }, () => newId('inf'));
    expect(new Set(ids).size).toBe(ids.length);
    // The time part never goes back (the order inside one millisecond holds for its first 32 ids).
    const times = ids.map((id) => id.slice(0, 14));
    expect([...times].sort()).toEqual(times);
    for (const id of ids) expect(id).toMatch(/^inf_[0-9a-hjkmnp-tv-z]{19}$/);
    // The random tails differ: not one byte pattern repeated.
    expect(new Set(ids.map((id) => id.slice(-8))).size).toBeGreaterThan(9_990);
  });
});
