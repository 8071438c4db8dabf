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

  const labels: string[] = [];
  let classes: string[];
  if (column.kind === 'number') {
    const distinct = new Set<number>();
    column.values.forEach((v, i) => {
      if (Number.isFinite(v)) {
        rows.push(i);
        labels.push(String(v));
        distinct.add(v);
      }
    });
    classes = [...distinct].sort((a, b) => a - b).map(String);
  } else {
    const distinct = new Set<string>();
    column.codes.forEach((code, i) => {
      const label = code >= 0 ? column.dictionary[code] : undefined;
      if (label !== undefined) {
        rows.push(i);
        labels.push(label);
        distinct.add(label);
      }
    });
    classes = [...distinct].sort(compareStrings);
  }
  const index = new Map(classes.map((c, k) => [c, k]));
  return { rows: Int32Array.from(rows), y: Float64Array.from(labels, (l) => index.get(l)!), classes };
}
