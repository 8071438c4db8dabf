// Test-only: small deterministic data sets with missing values and categories.
import { Frame } from '../frame/frame.js';
import { seededRandom } from '../validation/random.js';

export function normal(random: () => number): number {
  // Box-Muller; 1 - u keeps log away from 0.
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Binary target `y` ('no'/'yes'), numeric x1, x2 (with missing), category color (with missing), constant k. */
export function syntheticClassification(n = 300, seed = 1): Frame {
  const random = seededRandom(seed);
  const x1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const k = new Float64Array(n).fill(3);
  const color = new Int32Array(n);
  const y = new Int32Array(n);
  const effect = [0.8, -0.5, 0];
  for (let i = 0; i < n; i++) {
    x1[i] = normal(random) * 2 + 1;
    x2[i] = random() < 0.1 ? Number.NaN : random() * 10;
    color[i] = random() < 0.05 ? -1 : Math.floor(random() * 3);
    const x2v = Number.isNaN(x2[i]!) ? 5 : x2[i]!;
    const eta = 0.7 * x1[i]! - 0.3 * x2v + (color[i]! >= 0 ? effect[color[i]!]! : 0) + 0.5;
    y[i] = random() < 1 / (1 + Math.exp(-eta)) ? 1 : 0;
  }
  return Frame.fromColumns([
    { kind: 'number', name: 'x1', values: x1 },
    { kind: 'number', name: 'x2', values: x2 },
    { kind: 'category', name: 'color', codes: color, dictionary: ['red', 'green', 'blue'] },
    { kind: 'number', name: 'k', values: k },
    { kind: 'category', name: 'y', codes: y, dictionary: ['no', 'yes'] },
  ]);
}

/** Numeric target `price` = 3 + 2*x1 - x2 + shape effect + noise. */
export function syntheticRegression(n = 300, seed = 2): Frame {
  const random = seededRandom(seed);
  const x1 = new Float64Array(n);
  const x2 = new Float64Array(n);
  const shape = new Int32Array(n);
  const price = new Float64Array(n);
  const effect = [1, -2, 0.5, 0];
  for (let i = 0; i < n; i++) {
    x1[i] = normal(random);
    x2[i] = random() < 0.08 ? Number.NaN : random() * 4;
    shape[i] = random() < 0.05 ? -1 : Math.floor(random() * 4);
    const x2v = Number.isNaN(x2[i]!) ? 2 : x2[i]!;
    price[i] = 3 + 2 * x1[i]! - x2v + (shape[i]! >= 0 ? effect[shape[i]!]! : 0) + 0.3 * normal(random);
  }
  return Frame.fromColumns([
    { kind: 'number', name: 'x1', values: x1 },
    { kind: 'number', name: 'x2', values: x2 },
    { kind: 'category', name: 'shape', codes: shape, dictionary: ['round', 'square', 'oval', 'star'] },
    { kind: 'number', name: 'price', values: price },
  ]);
}
