import { describe, it, expect } from 'vitest';
import { CategoryLookup, categoryLookup } from './category-lookup.js';

describe('CategoryLookup', () => {
  it('prefers exact matches, then a unique boolean spelling', () => {
    const lookup = new CategoryLookup(['N', 'Y', 'maybe']);
    expect(lookup.find('maybe')).toBe(2);
    expect(lookup.find('Y')).toBe(1);
    expect(lookup.find('true')).toBe(1);
    expect(lookup.find(' no ')).toBe(0);
    expect(lookup.find('0')).toBe(0);
    expect(lookup.find('perhaps')).toBe(-1);
  });

  it('treats ambiguous or absent spellings as unseen', () => {
    const lookup = new CategoryLookup(['yes', 'true', 'other']);
    expect(lookup.find('y')).toBe(-1);
    expect(lookup.find('false')).toBe(-1);
    expect(lookup.find('true')).toBe(1);
  });

  it('is cached per categories array', () => {
    const categories = ['a', 'b'];
    expect(categoryLookup(categories)).toBe(categoryLookup(categories));
    expect(categoryLookup(['a', 'b'])).not.toBe(categoryLookup(categories));
  });
});
