import { describe, expect, it } from 'vitest';
import type { SearchSpace } from '../space.js';
import type { TrialRecord } from '../trial-record.js';
import { randomSampler } from './random-sampler.js';

const space: SearchSpace = {
  u: { kind: 'uniform', low: -2, high: 3 },
  lr: { kind: 'loguniform', low: 1e-5, high: 1e-1 },
  depth: { kind: 'int', low: 2, high: 12, step: 2 },
  leaves: { kind: 'int', low: 1, high: 1000, log: true },
  booster: { kind: 'categorical', choices: ['gbtree', 'dart', true, 4] },
};
const opts = (trialNumber: number, seed = 1) => ({ seed, trialNumber, direction: 'minimize' as const });

describe('randomSampler', () => {
  const sampler = randomSampler();
  const draws = Array.from({ length: 2000 }, (_, n) => sampler.suggest(space, [], opts(n)));

  it('stays in bounds and on the int grid', () => {
    for (const p of draws) {
      expect(p.u as number).toBeGreaterThanOrEqual(-2);
      expect(p.u as number).toBeLessThanOrEqual(3);
      expect(p.lr as number).toBeGreaterThanOrEqual(1e-5);
      expect(p.lr as number).toBeLessThanOrEqual(1e-1);
      expect([2, 4, 6, 8, 10, 12]).toContain(p.depth);
      expect(Number.isInteger(p.leaves)).toBe(true);
      expect(p.leaves as number).toBeGreaterThanOrEqual(1);
      expect(p.leaves as number).toBeLessThanOrEqual(1000);
      expect(['gbtree', 'dart', true, 4]).toContain(p.booster);
    }
    // Every int value and choice shows up.
    expect(new Set(draws.map((p) => p.depth)).size).toBe(6);
    expect(new Set(draws.map((p) => p.booster)).size).toBe(4);
  });

  it('draws log-uniform values uniformly in log space (Kolmogorov–Smirnov distance)', () => {
    const logs = draws.map((p) => (Math.log10(p.lr as number) + 5) / 4).sort((a, b) => a - b);
    let d = 0;
    logs.forEach((v, i) => (d = Math.max(d, Math.abs(v - i / logs.length), Math.abs(v - (i + 1) / logs.length))));
    // The 1% critical value for n = 2000 is 1.63 / sqrt(n) ≈ 0.036; uniform in linear space would give ≈ 0.75.
    expect(d).toBeLessThan(0.036);
    // And not uniform in linear space: a tenth of the draws or fewer lie above 0.01 (a quarter of log space).
    const above = draws.filter((p) => (p.lr as number) > 0.01).length / draws.length;
    expect(above).toBeGreaterThan(0.2);
    expect(above).toBeLessThan(0.3);
  });

  it('spreads log ints over log space: as many values in [1, 31] as in [32, 1000]', () => {
    const small = draws.filter((p) => (p.leaves as number) < 32).length / draws.length;
    expect(small).toBeGreaterThan(0.45);
    expect(small).toBeLessThan(0.55);
  });

  it('depends on (seed, trialNumber) only, not on the history or its order', () => {
    const history: TrialRecord[] = draws.slice(0, 30).map((params, number) => ({
      number,
      params,
      state: number % 3 === 0 ? 'running' : 'complete',
      value: number,
    }));
    const shuffled = [...history].reverse();
    for (const n of [0, 5, 31, 99]) {
      const a = sampler.suggest(space, history, opts(n));
      expect(sampler.suggest(space, shuffled, opts(n))).toEqual(a);
      expect(sampler.suggest(space, [], opts(n))).toEqual(a);
      expect(sampler.suggest(space, [], opts(n, 2))).not.toEqual(a);
    }
    expect(sampler.suggest(space, [], opts(1))).not.toEqual(sampler.suggest(space, [], opts(2)));
  });

  it('refuses a bad trial number', () => {
    expect(() => sampler.suggest(space, [], opts(-1))).toThrow(/trialNumber/);
  });
});
