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
    const y: number[] = [];
    column.values.forEach((v, i) => {
      if (Number.isFinite(v)) {
        rows.push(i);
        y.push(v);
      }
    });
    return { rows: Int32Array.from(rows), y: Float64Array.from(y) };
  }

  if (column.kind === 'number') {
    // Numbers map to class indices through a Map keyed by the value (-0 and 0 are one key, as their labels are):
    // no string per row, which a million-row target would spend most of its encoding time on.
    const distinct = new Set<number>();
    const values = column.values;
    for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i]!)) distinct.add(values[i]!);
    const sorted = [...distinct].sort((a, b) => a - b);
    const index = new Map(sorted.map((v, k) => [v, k]));
    const present = new Int32Array(values.length);
    const y = new Float64Array(values.length);
    let n = 0;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (Number.isFinite(v)) {
        present[n] = i;
        y[n++] = index.get(v)!;
      }
    }
    return { rows: present.slice(0, n), y: y.slice(0, n), classes: sorted.map(String) };
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
