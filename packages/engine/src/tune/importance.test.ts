import { describe, expect, it } from 'vitest';
import type { EngineError } from '../errors.js';
import { paramImportances } from './importance.js';
import { randomSampler } from './samplers/random-sampler.js';
import type { Params, SearchSpace } from './space.js';
import type { TrialRecord } from './trial-record.js';

const space: SearchSpace = {
  lr: { kind: 'loguniform', low: 1e-4, high: 1 },
  noise: { kind: 'uniform', low: 0, high: 1 },
  booster: { kind: 'categorical', choices: ['gbtree', 'dart', 'linear'] },
  dropRate: { kind: 'uniform', low: 0, high: 0.5, when: { param: 'booster', in: ['dart'] } },
};

function history(f: (p: Params) => number, n = 120): TrialRecord[] {
  return Array.from({ length: n }, (_, number) => {
    const params = randomSampler().suggest(space, [], { seed: 4, trialNumber: number, direction: 'minimize' });
    return { number, params, state: 'complete', value: f(params) };
  });
}

describe('paramImportances', () => {
  it('ranks the parameter that drives the objective far above noise, and sums to 1', () => {
    const trials = history((p) => (Math.log10(p.lr as number) + 2) ** 2);
    const imp = paramImportances(space, trials, { seed: 1 });
    expect(Object.keys(imp)).toEqual(expect.arrayContaining(['lr', 'noise', 'booster', 'dropRate']));
    expect(Object.keys(imp)[0]).toBe('lr');
    expect(imp.lr).toBeGreaterThan(0.8);
    expect(imp.lr!).toBeGreaterThan(10 * imp.noise!);
    expect(Object.values(imp).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('credits a categorical parameter as one parameter', () => {
    const effect: Record<string, number> = { gbtree: 0, dart: 5, linear: 10 };
    const trials = history((p) => effect[p.booster as string]! + 0.1 * (p.noise as number));
    const imp = paramImportances(space, trials, { seed: 1 });
    expect(Object.keys(imp)[0]).toBe('booster');
    expect(imp.booster).toBeGreaterThan(0.8);
  });

  it('is deterministic for a seed and ignores trials that are not complete', () => {
    const trials = history((p) => (p.noise as number) + (p.lr as number));
    const a = paramImportances(space, trials, { seed: 3 });
    expect(paramImportances(space, trials, { seed: 3 })).toEqual(a);
    const extra: TrialRecord[] = [
      { number: 500, params: { lr: 1, noise: 0, booster: 'gbtree' }, state: 'pruned' },
      { number: 501, params: { lr: 1, noise: 0, booster: 'gbtree' }, state: 'running' },
    ];
    expect(paramImportances(space, [...trials, ...extra], { seed: 3 })).toEqual(a);
  });

  it('handles a conditional parameter active in some trials only', () => {
    const trials = history((p) => (p.booster === 'dart' ? 10 * (p.dropRate as number) : 2.5));
    const imp = paramImportances(space, trials, { seed: 1 });
    expect(imp.noise!).toBeLessThan(0.1);
    expect(imp.dropRate! + imp.booster!).toBeGreaterThan(0.8);
  });

  it('refuses too few trials or a constant objective', () => {
    const trials = history(() => 1, 5);
    const codeOf = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as EngineError).code;
      }
      return undefined;
    };
    expect(codeOf(() => paramImportances(space, trials.slice(0, 1)))).toBe('too_few_rows');
    expect(codeOf(() => paramImportances(space, trials))).toBe('constant_target');
    expect(codeOf(() => paramImportances(space, trials, { params: ['nope'] }))).toBe('invalid_param');
  });
});
