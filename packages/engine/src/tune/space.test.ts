import { describe, expect, it } from 'vitest';
import { EngineError } from '../errors.js';
import { randomSampler } from './samplers/random-sampler.js';
import { isActive, parseSpace, validateSpace, type SearchSpace } from './space.js';

const svm: SearchSpace = {
  C: { kind: 'loguniform', low: 1e-3, high: 1e3 },
  kernel: { kind: 'categorical', choices: ['linear', 'rbf', 'poly'] },
  gamma: { kind: 'loguniform', low: 1e-4, high: 1, when: { param: 'kernel', in: ['rbf', 'poly'] } },
  degree: { kind: 'int', low: 2, high: 5, when: { param: 'kernel', in: ['poly'] } },
  coef0: { kind: 'uniform', low: 0, high: 1, when: { param: 'degree', in: [3, 4] } },
};

function errorOf(space: unknown): EngineError {
  try {
    validateSpace(space as SearchSpace);
  } catch (e) {
    if (e instanceof EngineError) return e;
    throw e;
  }
  throw new Error('expected validateSpace to throw');
}

describe('validateSpace', () => {
  it('orders parents before children', () => {
    const space: SearchSpace = {
      child: { kind: 'uniform', low: 0, high: 1, when: { param: 'parent', in: ['a'] } },
      parent: { kind: 'categorical', choices: ['a', 'b'] },
    };
    expect(validateSpace(space)).toEqual(['parent', 'child']);
    expect(validateSpace(svm)).toEqual(['C', 'kernel', 'gamma', 'degree', 'coef0']);
  });

  it.each([
    [{ x: { kind: 'uniform', low: 2, high: 1 } }, /low 2 above high 1/],
    [{ x: { kind: 'uniform', low: 0, high: Infinity } }, /finite numeric low and high/],
    [{ x: { kind: 'loguniform', low: 0, high: 1 } }, /low must be > 0/],
    [{ x: { kind: 'int', low: 0.5, high: 3 } }, /must be integers/],
    [{ x: { kind: 'int', low: 0, high: 10, step: 3 } }, /not a multiple of step 3/],
    [{ x: { kind: 'int', low: 0, high: 10, log: true } }, /low must be >= 1/],
    [{ x: { kind: 'categorical', choices: [] } }, /has no choices/],
    [{ x: { kind: 'categorical', choices: ['a', 'a'] } }, /twice/],
    [{ x: { kind: 'gaussian', low: 0, high: 1 } }, /unknown kind "gaussian"/],
    [{ x: { kind: 'uniform', low: 0, high: 1, gridPoints: 1 } }, /gridPoints must be an integer >= 2/],
    [{ x: { kind: 'uniform', low: 0, high: 1, gridPoints: [0.5, 2] } }, /grid point 2 is not a value/],
    [{ x: { kind: 'uniform', low: 0, high: 1, when: { param: 'nope', in: ['a'] } } }, /unknown parameter "nope"/],
    [
      {
        a: { kind: 'uniform', low: 0, high: 1 },
        x: { kind: 'uniform', low: 0, high: 1, when: { param: 'a', in: [0.5] } },
      },
      /neither categorical nor int/,
    ],
    [
      {
        k: { kind: 'categorical', choices: ['a', 'b'] },
        x: { kind: 'uniform', low: 0, high: 1, when: { param: 'k', in: ['c'] } },
      },
      /"c" is not a value of "k"/,
    ],
    [
      {
        a: { kind: 'categorical', choices: [1, 2], when: { param: 'b', in: [1] } },
        b: { kind: 'int', low: 1, high: 2, when: { param: 'a', in: [1] } },
      },
      /cycle: a → b → a/,
    ],
    [{}, /no parameters/],
  ])('refuses %j', (space, message) => {
    const error = errorOf(space);
    expect(error.code).toBe('invalid_param');
    expect(error.message).toMatch(message);
  });

  it('names the parameter at fault in the details', () => {
    expect(
      errorOf({ ok: { kind: 'uniform', low: 0, high: 1 }, bad: { kind: 'categorical', choices: [] } }).details,
    ).toEqual({ param: 'bad' });
  });
});

describe('conditional parameters', () => {
  it('are present exactly when their parent chain selects them', () => {
    const sampler = randomSampler();
    const seen = new Set<string>();
    for (let n = 0; n < 300; n++) {
      const p = sampler.suggest(svm, [], { seed: 7, trialNumber: n, direction: 'minimize' });
      seen.add(p.kernel as string);
      expect('gamma' in p).toBe(p.kernel === 'rbf' || p.kernel === 'poly');
      expect('degree' in p).toBe(p.kernel === 'poly');
      expect('coef0' in p).toBe(p.kernel === 'poly' && (p.degree === 3 || p.degree === 4));
      for (const name of Object.keys(p)) expect(isActive(svm, name, p)).toBe(true);
    }
    expect(seen).toEqual(new Set(['linear', 'rbf', 'poly']));
  });
});

describe('JSON', () => {
  it('round-trips a space, text or parsed, and suggestions stay the same', () => {
    const text = JSON.stringify(svm);
    const back = parseSpace(text);
    expect(back).toEqual(svm);
    expect(parseSpace(JSON.parse(text))).toEqual(svm);
    const opts = { seed: 3, trialNumber: 11, direction: 'minimize' as const };
    expect(randomSampler().suggest(back, [], opts)).toEqual(randomSampler().suggest(svm, [], opts));
  });

  it('refuses text that is not JSON or not a valid space', () => {
    expect(() => parseSpace('{nope')).toThrow(/not valid JSON/);
    expect(() => parseSpace('{"x":{"kind":"int","low":3,"high":1}}')).toThrow(/above high/);
  });
});
