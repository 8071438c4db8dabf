// A classifier's predictFrame outputs as what slice metrics take: the predicted label and P(positive) per row.
import { EngineError } from '../errors.js';

/**
 * `outputs` as predictFrame gives them: P(classes[1]) per row for two classes, n × k row-major probabilities for
 * more. The label is the most probable class, the first on a tie, as predictRecords picks it.
 */
export function outputLabels(
  outputs: ArrayLike<number>,
  classes: readonly string[],
  positiveClass: string,
): { labels: string[]; scores: Float64Array } {
  const positive = classes.indexOf(positiveClass);
  if (positive < 0) {
    throw new EngineError('invalid_param', `"${positiveClass}" is not one of the classes`, { positiveClass, classes });
  }
  if (classes.length <= 2) {
    const labels = new Array<string>(outputs.length);
    const scores = new Float64Array(outputs.length);
    for (let r = 0; r < outputs.length; r++) {
      const p = outputs[r]!;
      labels[r] = classes[p > 1 - p ? 1 : 0]!;
      scores[r] = positive === 1 ? p : 1 - p;
    }
    return { labels, scores };
  }
  const k = classes.length;
  const rows = Math.floor(outputs.length / k);
  const labels = new Array<string>(rows);
  const scores = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (outputs[r * k + c]! > outputs[r * k + best]!) best = c;
    labels[r] = classes[best]!;
    scores[r] = outputs[r * k + positive]!;
  }
  return { labels, scores };
}
