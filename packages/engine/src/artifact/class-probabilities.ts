// Maps linear predictors to class probabilities (sigmoid for binomial, softmax for multinomial) and picks the label
// (argmax, ties to the first class). Uses the engine's own exp, so a browser scores the same bits as Node.
import { portableExp, portableSigmoid } from './portable-exp.js';

export function classProbabilities(eta: number): number[] {
  const p = portableSigmoid(eta);
  return [1 - p, p];
}

/** In place: each row of k linear predictors (n × k row-major) becomes its softmax, shifted by the row maximum. */
export function softmaxRows(margins: Float64Array, k: number): Float64Array {
  for (let start = 0; start < margins.length; start += k) {
    let top = -Infinity;
    for (let c = 0; c < k; c++) top = Math.max(top, margins[start + c]!);
    let sum = 0;
    for (let c = 0; c < k; c++) {
      const e = portableExp(margins[start + c]! - top);
      margins[start + c] = e;
      sum += e;
    }
    for (let c = 0; c < k; c++) margins[start + c] = margins[start + c]! / sum;
  }
  return margins;
}

export function pickLabel(probabilities: number[]): number {
  let best = 0;
  for (let k = 1; k < probabilities.length; k++) if (probabilities[k]! > probabilities[best]!) best = k;
  return best;
}
