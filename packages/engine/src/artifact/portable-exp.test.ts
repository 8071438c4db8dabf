import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { portableExp, portableSigmoid } from './portable-exp.js';

// Node 20's Math.exp on 3,023 inputs (scripts/reference/make_exp_fixture.mjs), as IEEE-754 bit patterns.
const fixture = JSON.parse(readFileSync(new URL('./__fixtures__/exp-node20.json', import.meta.url), 'utf8')) as {
  cases: [string, string][];
};
const view = new DataView(new ArrayBuffer(8));
const fromBits = (hex: string) => {
  view.setBigUint64(0, BigInt(`0x${hex}`));
  return view.getFloat64(0);
};
const toBits = (x: number) => {
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
};

describe('portableExp', () => {
  it('returns the bits of the fdlibm exp that Node 20 ships, on every frozen input', () => {
    expect(fixture.cases.length).toBe(3023);
    for (const [input, expected] of fixture.cases) expect(toBits(portableExp(fromBits(input)))).toBe(expected);
  });

  it('handles NaN, infinities and the overflow and underflow edges', () => {
    expect(portableExp(NaN)).toBeNaN();
    expect(portableExp(Infinity)).toBe(Infinity);
    expect(portableExp(-Infinity)).toBe(0);
    expect(portableExp(710)).toBe(Infinity);
    expect(portableExp(-746)).toBe(0);
    expect(portableExp(0)).toBe(1);
  });

  it('gives sigmoid values in [0, 1] that mirror around 0', () => {
    for (const x of [-800, -30, -1, -1e-12, 0, 1e-12, 1, 30, 800]) {
      const p = portableSigmoid(x);
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
      expect(p + portableSigmoid(-x)).toBeCloseTo(1, 15);
    }
    expect(portableSigmoid(0)).toBe(0.5);
  });
});
