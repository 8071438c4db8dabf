// Turns the target column into a numeric response: 0/1 by sorted class (classification) or the value (regression).
import { EngineError } from '../errors.js';
import type { Frame } from '../frame/frame.js';
import { compareStrings } from './fit-preprocessing.js';

export interface EncodedTarget {
  /** Rows whose target is present, ascending. */
  rows: Int32Array;
  /** Response for each of `rows`: the class index (classification) or the value (regression). */
  y: Float64Array;
  /** Sorted class labels (classification only). */
  classes?: string[];
}

/** Numeric class labels below this that are all whole numbers are looked up in a table. */
const SMALL_LABELS = 1 << 16;

/**
 * Classes sort like scikit-learn's np.unique: numerically for a numeric target (labelled `String(value)`), by code
 * unit for text.
 */
export function encodeTarget(frame: Frame, target: string, task: 'classification' | 'regression'): EncodedTarget {
  const column = frame.column(target);
  const rows: number[] = [];
  if (task === 'regression') {
    if (column.kind !== 'number') {
      throw new EngineError('target_not_numeric', `Regression target "${target}" must be numeric`, {
        column: target,
      });
    }
    const values = column.values;
    const present = new Int32Array(values.length);
    const y = new Float64Array(values.length);
    let n = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v > -Infinity && v < Infinity) {
        present[n] = i;
        y[n++] = v;
      }
    }
    return { rows: trimmed(present, n), y: trimmed(y, n) };
  }

  if (column.kind === 'number') {
    // Numbers map to class indices without a string per row (-0 and 0 are one class, as their labels are).
    // Whole-number labels below SMALL_LABELS (0/1, 0..k-1) are seen and looked up in tables; a double hashed per row
    // costs ~100 ns. Any other label sends the column through a Set and a Map.
    const values = column.values;
    const seenSmall = new Uint8Array(SMALL_LABELS);
    const distinct = new Set<number>();
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v >= 0 && v < SMALL_LABELS && Math.floor(v) === v) seenSmall[v] = 1;
      else if (v > -Infinity && v < Infinity) distinct.add(v);
    }
    const small = distinct.size === 0;
    for (let v = 0; v < SMALL_LABELS; v++) if (seenSmall[v] === 1) distinct.add(v);
    const sorted = [...distinct].sort((a, b) => a - b);
    const index = new Map(sorted.map((v, k) => [v, k]));
    const table = new Int32Array(small ? SMALL_LABELS : 0);
    if (small) sorted.forEach((v, k) => (table[v] = k));
    const present = new Int32Array(values.length);
    const y = new Float64Array(values.length);
    let n = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v > -Infinity && v < Infinity) {
        present[n] = i;
        y[n++] = small ? table[v]! : index.get(v)!;
      }
    }
    return { rows: trimmed(present, n), y: trimmed(y, n), classes: sorted.map(String) };
  }
  const labels: string[] = [];
  const distinct = new Set<string>();
  column.codes.forEach((code, i) => {
    const label = code >= 0 ? column.dictionary[code] : undefined;
    if (label !== undefined) {
      rows.push(i);
      labels.push(label);
      distinct.add(label);
    }
  });
  const classes = [...distinct].sort(compareStrings);
  const index = new Map(classes.map((c, k) => [c, k]));
  return { rows: Int32Array.from(rows), y: Float64Array.from(labels, (l) => index.get(l)!), classes };
}

/** The first n entries: the array itself when that is all of it (a copy of a big array costs page faults). */
function trimmed<T extends Int32Array | Float64Array>(values: T, n: number): T {
  return n === values.length ? values : (values.slice(0, n) as T);
}
