// Test-only: element-wise closeness with an explicit tolerance, |a - e| <= atol + rtol * |e| (numpy's isclose).
import { expect } from 'vitest';

export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol: number, atol = 0): void {
  expect(actual.length).toBe(expected.length);
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < expected.length; i++) {
    const excess = Math.abs(actual[i]! - expected[i]!) - (atol + rtol * Math.abs(expected[i]!));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess)) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    expect.fail(`element ${worst}: ${actual[worst]} vs ${expected[worst]} (rtol ${rtol}, atol ${atol})`);
  }
}
