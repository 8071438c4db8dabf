// Reads one feature value of a JSON record, accepting what CSV-born data looks like and rejecting the rest.
import { categoryLookup } from '../preprocess/category-lookup.js';
import { parseNumber } from '../preprocess/feature-values.js';
import type { FeatureSpec } from './model-artifact.js';

/** A usable value (`null` = missing), or the reason it is unusable. */
export type ReadValue = { ok: true; value: number | string | null } | { ok: false; expected: 'number' | 'string' };

export function readRecordValue(spec: FeatureSpec, raw: unknown): ReadValue {
  if (raw === null || raw === undefined) return { ok: true, value: null };
  if (spec.type === 'number') {
    if (typeof raw === 'number') {
      if (Number.isNaN(raw)) return { ok: true, value: null };
      return Number.isFinite(raw) ? { ok: true, value: raw } : { ok: false, expected: 'number' };
    }
    if (typeof raw === 'string') {
      if (raw.trim() === '') return { ok: true, value: null };
      const value = parseNumber(raw);
      return Number.isNaN(value) ? { ok: false, expected: 'number' } : { ok: true, value };
    }
    return { ok: false, expected: 'number' };
  }
  // Category: the value as the training category it denotes; unseen strings and numbers stay as they are (they score
  // as all zeros), but a boolean that names no category is refused rather than scored as if missing.
  const lookup = categoryLookup(spec.categories);
  const resolve = (text: string): string => spec.categories[lookup.find(text)] ?? text;
  if (typeof raw === 'string') return { ok: true, value: resolve(raw) };
  if (typeof raw === 'number') return { ok: true, value: Number.isNaN(raw) ? null : resolve(String(raw)) };
  if (typeof raw === 'boolean') {
    const k = lookup.find(String(raw));
    return k >= 0 ? { ok: true, value: spec.categories[k]! } : { ok: false, expected: 'string' };
  }
  return { ok: false, expected: 'string' };
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
