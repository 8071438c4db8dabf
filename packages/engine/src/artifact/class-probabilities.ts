// Maps a binomial linear predictor to class probabilities and picks the label (argmax, ties to the first class).
import { sigmoid } from '../glm/fit-glm.js';

export function classProbabilities(eta: number): number[] {
  const p = sigmoid(eta);
  return [1 - p, p];
}

export function pickLabel(probabilities: number[]): number {
  let best = 0;
  for (let k = 1; k < probabilities.length; k++) if (probabilities[k]! > probabilities[best]!) best = k;
  return best;
}
