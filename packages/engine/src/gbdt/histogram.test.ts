import { describe, it, expect } from 'vitest';
import { seededRandom } from '../validation/random.js';
import { buildHistogram, STRIDE, subtractHistogram } from './histogram.js';

describe('buildHistogram / subtractHistogram', () => {
  it('derives the sibling histogram exactly in counts and to rounding in sums', () => {
    const random = seededRandom(2);
    const n = 1000;
    const valueBins = Int32Array.from([7, 3]);
    const offsets = Int32Array.from([0, 8]);
    const codes = [
      Uint8Array.from({ length: n }, () => Math.floor(random() * 8)),
      Uint8Array.from({ length: n }, () => Math.floor(random() * 4)),
    ];
    const grad = Float64Array.from({ length: n }, () => random() - 0.5);
    const hess = Float64Array.from({ length: n }, () => random());
    const features = Int32Array.from([0, 1]);
    const scratch = { g: new Float64Array(n), h: new Float64Array(n) };
    const rows = Int32Array.from({ length: n }, (_, i) => i);
    const build = (start: number, end: number) => {
      const hist = new Float64Array(12 * STRIDE);
      buildHistogram(hist, codes, features, offsets, rows, start, end, grad, hess, scratch);
      return hist;
    };
    const parent = build(0, n);
    const small = build(0, 300);
    const large = build(300, n);
    subtractHistogram(parent, small, features, offsets, valueBins);
    for (let k = 0; k < parent.length; k++) expect(parent[k]).toBeCloseTo(large[k]!, 12);
    for (let k = 2; k < parent.length; k += STRIDE) expect(parent[k]).toBe(large[k]);
    let total = 0;
    for (let b = 0; b < 8; b++) total += large[b * STRIDE + 2]!;
    expect(total).toBe(700);
  });
});
