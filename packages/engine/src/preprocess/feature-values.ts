// Reads one feature of a frame in the shape its encoding needs: numbers, or category indices into the encoding.
import { EngineError } from '../errors.js';
import type { Frame } from '../frame/frame.js';
import type { CategoryEncoding, NumericEncoding } from '../artifact/model-artifact.js';
import { categoryLookup } from './category-lookup.js';

/** Numeric values of a feature (NaN = missing); a category column qualifies only if every entry parses as a number. */
export function numericValues(frame: Frame, encoding: NumericEncoding): Float64Array {
  const column = frame.column(encoding.name);
  if (column.kind === 'number') return column.values;
  const parsed = column.dictionary.map(parseNumber);
  const bad = parsed.findIndex((v, i) => Number.isNaN(v) && column.dictionary[i]!.trim() !== '');
  if (bad >= 0) {
    throw new EngineError('wrong_column_type', `Column "${encoding.name}" must be numeric`, {
      column: encoding.name,
      value: column.dictionary[bad],
    });
  }
  const values = new Float64Array(column.codes.length);
  for (let i = 0; i < values.length; i++) {
    const code = column.codes[i]!;
    values[i] = code < 0 ? Number.NaN : parsed[code]!;
  }
  return values;
}

/** Index of each row's category in `encoding.categories` (see CategoryLookup), -1 for missing or unseen. */
export function categoryIndices(frame: Frame, encoding: CategoryEncoding): Int32Array {
  const column = frame.column(encoding.name);
  const lookup = categoryLookup(encoding.categories);
  if (column.kind === 'category') {
    const mapped = column.dictionary.map((d) => lookup.find(d));
    const out = new Int32Array(column.codes.length);
    for (let i = 0; i < out.length; i++) {
      const code = column.codes[i]!;
      out[i] = code < 0 ? -1 : (mapped[code] ?? -1);
    }
    return out;
  }
  // A numeric column for a category feature: CSV categories can look numeric; compare their string forms.
  const out = new Int32Array(column.values.length);
  for (let i = 0; i < out.length; i++) {
    const v = column.values[i]!;
    out[i] = Number.isNaN(v) ? -1 : lookup.find(String(v));
  }
  return out;
}

/** Parses a numeric string; blank → NaN (missing). */
export function parseNumber(text: string): number {
  if (text.trim() === '') return Number.NaN;
  const value = Number(text);
  return Number.isFinite(value) ? value : Number.NaN;
}
