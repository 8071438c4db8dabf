import { describe, expect, it } from 'vitest';
import type { Params, SearchSpace } from '../space.js';
import type { Direction, TrialRecord } from '../trial-record.js';
import { defaultWeights } from './parzen-estimator.js';
import { randomSampler } from './random-sampler.js';
import type { Sampler } from './sampler.js';
import { splitTrials, tpeSampler } from './tpe-sampler.js';

/** Branin on [-5, 10] × [0, 15]; global minimum 0.397887. */
const braninSpace: SearchSpace = {
  x1: { kind: 'uniform', low: -5, high: 10 },
  x2: { kind: 'uniform', low: 0, high: 15 },
};
function branin(p: Params): number {
  const x1 = p.x1 as number;
  const x2 = p.x2 as number;
  const b = 5.1 / (4 * Math.PI ** 2);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
}

/** Hartmann 6-D on [0, 1]^6; global minimum -3.32237. */
const hartmannSpace: SearchSpace = Object.fromEntries(
  Array.from({ length: 6 }, (_, j) => [`x${j}`, { kind: 'uniform', low: 0, high: 1 }]),
);
const A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
];
const ALPHA = [1, 1.2, 3, 3.2];
function hartmann6(p: Params): number {
  let sum = 0;
  for (let i = 0; i < 4; i++) {
    let e = 0;
    for (let j = 0; j < 6; j++) e += A[i]![j]! * ((p[`x${j}`] as number) - P[i]![j]! * 1e-4) ** 2;
    sum += ALPHA[i]! * Math.exp(-e);
  }
  return -sum;
}

/** A mixed space: a categorical model switch with conditional, log and int children; maximised. Best value 0. */
const switchSpace: SearchSpace = {
  model: { kind: 'categorical', choices: ['a', 'b', 'c'] },
  lr: { kind: 'loguniform', low: 1e-5, high: 1, when: { param: 'model', in: ['a', 'b'] } },
  depth: { kind: 'int', low: 1, high: 20, when: { param: 'model', in: ['b', 'c'] } },
  width: { kind: 'int', low: 1, high: 1024, log: true },
};
function switchObjective(p: Params): number {
  const lr = Math.log10((p.lr as number | undefined) ?? 1e-5);
  const depth = (p.depth as number | undefined) ?? 1;
  const width = Math.log2(p.width as number);
  const base = p.model === 'b' ? 0 : p.model === 'a' ? 1 : 2;
  return -(base + (lr + 2) ** 2 * (p.model === 'c' ? 0 : 1) + 0.05 * (depth - 7) ** 2 + 0.1 * (width - 6) ** 2);
}

function study(sampler: Sampler, space: SearchSpace, f: (p: Params) => number, seed: number, direction: Direction) {
  const history: TrialRecord[] = [];
  for (let n = 0; n < 50; n++) {
    const params = sampler.suggest(space, history, { seed, trialNumber: n, direction });
    history.push({ number: n, params, state: 'complete', value: f(params) });
  }
  const values = history.map((t) => t.value!);
  return direction === 'minimize' ? Math.min(...values) : Math.max(...values);
}

/** Mean best value over 20 seeds, 50 trials each. */
function meanBest(sampler: Sampler, space: SearchSpace, f: (p: Params) => number, direction: Direction = 'minimize') {
  let total = 0;
  for (let seed = 0; seed < 20; seed++) total += study(sampler, space, f, seed, direction);
  return total / 20;
}

describe('tpeSampler', () => {
  it('beats random search on Branin (2-D), Hartmann (6-D) and a conditional mixed space', () => {
    const cases = [
      { name: 'branin', space: braninSpace, f: branin, optimum: 0.397887, direction: 'minimize' as const },
      { name: 'hartmann6', space: hartmannSpace, f: hartmann6, optimum: -3.32237, direction: 'minimize' as const },
      { name: 'switch', space: switchSpace, f: switchObjective, optimum: 0, direction: 'maximize' as const },
    ];
    for (const { name, space, f, optimum, direction } of cases) {
      const regret = (v: number) => Math.abs(v - optimum);
      const random = regret(meanBest(randomSampler(), space, f, direction));
      const tpe = regret(meanBest(tpeSampler(), space, f, direction));
      console.log(`${name}: mean regret after 50 trials, random ${random.toFixed(3)}, TPE ${tpe.toFixed(3)}`);
      // A clear margin: TPE's mean regret at most 60% of random search's.
      expect(tpe, name).toBeLessThan(0.6 * random);
    }
  });

  it('is exactly random search before n_startup_trials finished trials', () => {
    const history: TrialRecord[] = [];
    for (let n = 0; n < 9; n++) history.push({ number: n, params: { x1: n - 4, x2: n }, state: 'complete', value: n });
    // Running and failed trials do not count toward the ten.
    history.push({ number: 9, params: { x1: 0, x2: 0 }, state: 'running' });
    history.push({ number: 10, params: { x1: 0, x2: 0 }, state: 'failed' });
    for (let n = 11; n < 20; n++) {
      const opts = { seed: 5, trialNumber: n, direction: 'minimize' as const };
      expect(tpeSampler().suggest(switchSpace, history, opts)).toEqual(
        randomSampler().suggest(switchSpace, history, opts),
      );
      expect(tpeSampler().suggest(braninSpace, history, opts)).toEqual(randomSampler().suggest(braninSpace, [], opts));
    }
    // The tenth finished trial (a pruned one counts) switches TPE on.
    history.push({ number: 20, params: { x1: 0, x2: 0 }, state: 'pruned', intermediate: [{ step: 1, value: 3 }] });
    const opts = { seed: 5, trialNumber: 21, direction: 'minimize' as const };
    expect(tpeSampler().suggest(braninSpace, history, opts)).not.toEqual(
      randomSampler().suggest(braninSpace, [], opts),
    );
  });

  it('is reproducible from (seed, trialNumber) whatever the order of the history', () => {
    const history: TrialRecord[] = Array.from({ length: 30 }, (_, n) => {
      const params = randomSampler().suggest(switchSpace, [], { seed: 9, trialNumber: n, direction: 'maximize' });
      return { number: n, params, state: 'complete', value: switchObjective(params) };
    });
    const opts = { seed: 9, trialNumber: 30, direction: 'maximize' as const };
    const a = tpeSampler().suggest(switchSpace, history, opts);
    expect(tpeSampler().suggest(switchSpace, [...history].reverse(), opts)).toEqual(a);
    expect(tpeSampler().suggest(switchSpace, [...history.slice(15), ...history.slice(0, 15)], opts)).toEqual(a);
    expect(tpeSampler().suggest(switchSpace, history, { ...opts, trialNumber: 31 })).not.toEqual(a);
  });

  it('keeps int, log-int and conditional suggestions valid', () => {
    const history: TrialRecord[] = [];
    for (let n = 0; n < 40; n++) {
      const params = tpeSampler().suggest(switchSpace, history, { seed: 2, trialNumber: n, direction: 'maximize' });
      expect(Number.isInteger(params.width)).toBe(true);
      expect('lr' in params).toBe(params.model !== 'c');
      expect('depth' in params).toBe(params.model !== 'a');
      if (params.depth !== undefined) expect(Number.isInteger(params.depth)).toBe(true);
      history.push({ number: n, params, state: 'complete', value: switchObjective(params) });
    }
  });
});

describe('splitTrials', () => {
  const t = (number: number, state: TrialRecord['state'], value?: number, last?: [number, number]): TrialRecord => ({
    number,
    params: {},
    state,
    ...(value === undefined ? {} : { value }),
    ...(last === undefined
      ? {}
      : {
          intermediate: [
            { step: 0, value: 99 },
            { step: last[0], value: last[1] },
          ],
        }),
  });

  it('ranks complete trials by value, then pruned ones by furthest step and value there', () => {
    const trials = [
      t(0, 'complete', 5),
      t(1, 'pruned', undefined, [3, 0.5]),
      t(2, 'complete', 1),
      t(3, 'pruned', undefined, [7, 9]),
      t(4, 'pruned'),
      t(5, 'pruned', undefined, [7, 2]),
    ];
    const numbers = (k: number, d: Direction) => splitTrials(trials, k, d).below.map((x) => x.number);
    expect(numbers(1, 'minimize')).toEqual([2]);
    expect(numbers(1, 'maximize')).toEqual([0]);
    // Both complete trials, then the pruned one that got furthest with the better value (5 over 3 when minimising).
    expect(numbers(3, 'minimize')).toEqual([0, 2, 5]);
    expect(numbers(3, 'maximize')).toEqual([0, 2, 3]);
    expect(numbers(5, 'minimize')).toEqual([0, 1, 2, 3, 5]);
    expect(splitTrials(trials, 5, 'minimize').above.map((x) => x.number)).toEqual([4]);
  });
});

describe('defaultWeights', () => {
  it('is flat up to 25 observations, then ramps the oldest from 1/n', () => {
    expect(defaultWeights(3)).toEqual([1, 1, 1]);
    const w = defaultWeights(30);
    expect(w).toHaveLength(30);
    expect(w[0]).toBeCloseTo(1 / 30, 12);
    expect(w[4]).toBeCloseTo(1, 12);
    expect(w.slice(5)).toEqual(new Array(25).fill(1));
    expect(w[2]).toBeCloseTo((1 / 30 + 1) / 2, 12);
  });
});
