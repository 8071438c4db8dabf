import { describe, it, expect } from 'vitest';
import { Anderson } from './anderson.js';

describe('Anderson', () => {
  it('returns null until it has depth + 1 iterates, then starts over', () => {
    const anderson = new Anderson(2);
    expect(anderson.push(Float64Array.from([1, 0, 0]))).toBeNull();
    expect(anderson.push(Float64Array.from([0.5, 0.2, 0.1]))).toBeNull();
    expect(anderson.push(Float64Array.from([0.3, 0.5, 0.4]))).not.toBeNull();
    expect(anderson.push(Float64Array.from([0.1, 0.2, 0.3]))).toBeNull();
  });

  it('jumps to the fixed point of a linear iteration', () => {
    // x <- M x + c with a slow contraction; the fixed point solves (I - M) x = c.
    const m = [
      [0.9, 0.05],
      [0.02, 0.7],
    ];
    const c = [0.01, 0.03];
    let x = Float64Array.from([0, 0]);
    const anderson = new Anderson(3);
    let guess: Float64Array | null = null;
    while (guess === null) {
      guess = anderson.push(x);
      x = Float64Array.from([
        m[0]![0]! * x[0]! + m[0]![1]! * x[1]! + c[0]!,
        m[1]![0]! * x[0]! + m[1]![1]! * x[1]! + c[1]!,
      ]);
    }
    // (I - M) x* = c. Three differences in two dimensions: the combination that cancels them is the fixed point.
    const det = (1 - 0.9) * (1 - 0.7) - 0.05 * 0.02;
    const fixed = [((1 - 0.7) * c[0]! + 0.05 * c[1]!) / det, (0.02 * c[0]! + (1 - 0.9) * c[1]!) / det];
    // Plain iteration after the same number of steps is still far away.
    expect(Math.abs(x[0]! - fixed[0]!)).toBeGreaterThan(0.01);
    expect(guess[0]).toBeCloseTo(fixed[0]!, 7);
    expect(guess[1]).toBeCloseTo(fixed[1]!, 7);
  });

  it('gives up on a stalled sequence', () => {
    const anderson = new Anderson(2);
    const same = Float64Array.from([1, 2]);
    anderson.push(same);
    anderson.push(same);
    expect(anderson.push(same)).toBeNull();
  });
});
