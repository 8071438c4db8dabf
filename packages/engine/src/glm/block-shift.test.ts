import { describe, it, expect } from 'vitest';
import { seededRandom } from '../validation/random.js';
import { blockShift } from './block-shift.js';

function f(t: number, b: number[], a: number, bLin: number, l1: number, l2: number): number {
  return a * t * t * 0.5 - bLin * t + b.reduce((s, v) => s + l1 * Math.abs(v + t) + (l2 / 2) * (v + t) ** 2, 0);
}

/** Golden-section search: slow but obviously right for a convex function of one variable. */
function bruteForce(b: number[], a: number, bLin: number, l1: number, l2: number): number {
  let lo = -100;
  let hi = 100;
  const g = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 200; i++) {
    const x1 = hi - g * (hi - lo);
    const x2 = lo + g * (hi - lo);
    if (f(x1, b, a, bLin, l1, l2) < f(x2, b, a, bLin, l1, l2)) hi = x2;
    else lo = x1;
  }
  return (lo + hi) / 2;
}

describe('blockShift', () => {
  it('solves the ridge case in closed form', () => {
    // f'(t) = a t - B + l2 (sum b + k t) = 0.
    expect(blockShift([1, 2, 3], 0.5, 0.2, 0, 0.1)).toBeCloseTo((0.2 - 0.1 * 6) / (0.5 + 0.3), 14);
  });

  it('finds the minimiser of random elastic-net cases, kinks included', () => {
    const random = seededRandom(3);
    for (let trial = 0; trial < 200; trial++) {
      const k = 1 + Math.floor(random() * 6);
      const b = Array.from({ length: k }, () => (random() < 0.3 ? 0 : (random() - 0.5) * 4));
      const a = random() < 0.3 ? 0 : random();
      const bLin = (random() - 0.5) * 2;
      const l1 = random() < 0.3 ? 0 : random() * 0.5;
      const l2 = 0.01 + random();
      const t = blockShift(b, a, bLin, l1, l2);
      const best = bruteForce(b, a, bLin, l1, l2);
      expect(f(t, b, a, bLin, l1, l2)).toBeLessThanOrEqual(f(best, b, a, bLin, l1, l2) + 1e-12);
      expect(t).toBeCloseTo(best, 6);
    }
  });

  it('lands exactly on a kink, zeroing a coefficient', () => {
    // Strong l1 and a flat loss: the optimum moves the middle coefficient exactly to zero.
    const b = [-1, 0.3, 2];
    const t = blockShift(b, 0, 0, 1, 0.01);
    expect(b[1]! + t).toBe(0);
  });

  it('does nothing without curvature', () => {
    expect(blockShift([1, 2], 0, 1, 0.5, 0)).toBe(0);
  });
});
