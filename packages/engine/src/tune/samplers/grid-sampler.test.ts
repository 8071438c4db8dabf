import { describe, expect, it } from 'vitest';
import type { SearchSpace } from '../space.js';
import { enumerateGrid, gridSampler, gridSize, gridValues } from './grid-sampler.js';

const opts = (trialNumber: number, seed = 0) => ({ seed, trialNumber, direction: 'minimize' as const });

describe('gridSampler', () => {
  it('enumerates exactly the cartesian product, first parameter slowest', () => {
    const space: SearchSpace = {
      a: { kind: 'categorical', choices: ['x', 'y'] },
      b: { kind: 'int', low: 1, high: 5, step: 2 },
      c: { kind: 'uniform', low: 0, high: 1, gridPoints: 3 },
    };
    expect(gridSize(space)).toBe(2 * 3 * 3);
    const sampler = gridSampler();
    const points = Array.from({ length: 18 }, (_, n) => sampler.suggest(space, [], opts(n)));
    expect(points.slice(0, 4)).toEqual([
      { a: 'x', b: 1, c: 0 },
      { a: 'x', b: 1, c: 0.5 },
      { a: 'x', b: 1, c: 1 },
      { a: 'x', b: 3, c: 0 },
    ]);
    const keys = new Set(points.map((p) => JSON.stringify(p)));
    expect(keys.size).toBe(18);
    for (const a of ['x', 'y'])
      for (const b of [1, 3, 5]) for (const c of [0, 0.5, 1]) expect(keys).toContain(JSON.stringify({ a, b, c }));
    expect(() => sampler.suggest(space, [], opts(18))).toThrow(/18 points; trial 18 has none left/);
  });

  it('gives inactive children no value, so conditionals add no duplicate points', () => {
    const space: SearchSpace = {
      kernel: { kind: 'categorical', choices: ['linear', 'rbf', 'poly'] },
      gamma: { kind: 'loguniform', low: 0.01, high: 1, gridPoints: 3, when: { param: 'kernel', in: ['rbf'] } },
      degree: { kind: 'int', low: 2, high: 3, when: { param: 'kernel', in: ['poly'] } },
      coef0: { kind: 'uniform', low: 0, high: 1, gridPoints: [0, 1], when: { param: 'degree', in: [3] } },
    };
    // linear: 1; rbf: 3 gammas; poly: degree 2 (1) + degree 3 × 2 coef0 values.
    expect(gridSize(space)).toBe(1 + 3 + 1 + 2);
    const points = enumerateGrid(space);
    expect(new Set(points.map((p) => JSON.stringify(p))).size).toBe(points.length);
    expect(points).toContainEqual({ kernel: 'linear' });
    const gammas = points.filter((p) => p.kernel === 'rbf').map((p) => p.gamma as number);
    expect(gammas).toHaveLength(3);
    expect(gammas[1]).toBeCloseTo(0.1, 12);
    expect(points).toContainEqual({ kernel: 'poly', degree: 2 });
    expect(points).toContainEqual({ kernel: 'poly', degree: 3, coef0: 1 });
  });

  it('refuses a continuous dimension without gridPoints', () => {
    const space: SearchSpace = { lr: { kind: 'loguniform', low: 1e-4, high: 1 } };
    expect(() => gridSize(space)).toThrow(/"lr" is continuous \(loguniform\); grid search needs its gridPoints/);
  });

  it('spaces log grids geometrically and rounds int grids', () => {
    const log = gridValues('lr', { kind: 'loguniform', low: 1e-4, high: 1, gridPoints: 5 }) as number[];
    [1e-4, 1e-3, 1e-2, 1e-1, 1].forEach((v, i) => expect(log[i]).toBeCloseTo(v, 12));
    expect(gridValues('n', { kind: 'int', low: 1, high: 1000, log: true, gridPoints: 4 })).toEqual([1, 10, 100, 1000]);
    expect(gridValues('n', { kind: 'int', low: 0, high: 3, gridPoints: 10 })).toEqual([0, 1, 2, 3]);
  });

  it('shuffles into a seeded permutation of the same points', () => {
    const space: SearchSpace = {
      a: { kind: 'int', low: 0, high: 9 },
      b: { kind: 'categorical', choices: [true, false] },
    };
    const sampler = gridSampler({ shuffle: true });
    const order = (seed: number) =>
      Array.from({ length: 20 }, (_, n) => JSON.stringify(sampler.suggest(space, [], opts(n, seed))));
    const a = order(1);
    expect(new Set(a)).toEqual(new Set(enumerateGrid(space).map((p) => JSON.stringify(p))));
    expect(order(1)).toEqual(a);
    expect(order(2)).not.toEqual(a);
    expect(a).not.toEqual(enumerateGrid(space).map((p) => JSON.stringify(p)));
  });
});
