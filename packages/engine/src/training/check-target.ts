// Refuses targets no model can learn from: no values, infinite values, a constant, or classes the training rows lack.
import { EngineError } from '../errors.js';
import type { Frame } from '../frame/frame.js';
import type { EncodedTarget } from '../preprocess/encode-target.js';

/**
 * Rows whose target is missing (NaN, null) are dropped before this; ±Infinity is not missing but a broken value
 * (an overflow, a division by zero), so it is refused rather than dropped or fitted.
 */
export function checkTarget(frame: Frame, target: string, encoded: EncodedTarget): void {
  const column = frame.column(target);
  if (column.kind === 'number') {
    let count = 0;
    let first = -1;
    column.values.forEach((v, i) => {
      if (v === Infinity || v === -Infinity) {
        count++;
        if (first < 0) first = i;
      }
    });
    if (count > 0) {
      throw new EngineError(
        'infinite_target',
        `Target "${target}" has ${count} infinite value(s), the first in row ${first}`,
        { column: target, row: first, count },
      );
    }
  }
  if (encoded.rows.length === 0) {
    throw new EngineError('empty_frame', `No rows with a value for target "${target}"`, { column: target });
  }
  const classes = encoded.classes;
  if (classes !== undefined && classes.length < 2) {
    throw new EngineError('single_class_target', `Target "${target}" has only one class`, { classes });
  }
  if (classes === undefined && encoded.y.every((v) => v === encoded.y[0])) {
    throw new EngineError('constant_target', `Regression target "${target}" is constant (${encoded.y[0]})`, {
      column: target,
      value: encoded.y[0],
    });
  }
}

/** Every class must occur among the training rows: a class seen only in the holdout is one the model never learnt. */
export function checkTrainingClasses(target: string, classes: string[], yTrain: Float64Array): void {
  const counts = new Int32Array(classes.length);
  for (const c of yTrain) counts[c]!++;
  const present = classes.filter((_, c) => counts[c]! > 0);
  if (present.length < 2) {
    throw new EngineError('single_class_target', `The training rows of target "${target}" have only one class`, {
      classes: present,
    });
  }
  const missing = classes.filter((_, c) => counts[c] === 0);
  if (missing.length > 0) {
    throw new EngineError(
      'unseen_class',
      `Class(es) ${missing.map((c) => `"${c}"`).join(', ')} of target "${target}" occur only in the holdout rows, ` +
        'so the model would never learn them; add rows of those classes or lower testFraction',
      { column: target, classes: missing },
    );
  }
}
