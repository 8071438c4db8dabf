// Independent uniform draws per dimension (log-uniform for log dimensions), the baseline every study starts from.
import { EngineError } from '../../errors.js';
import type { Random } from '../../validation/random.js';
import {
  intValues,
  isActive,
  validateSpace,
  type Dimension,
  type ParamValue,
  type Params,
  type SearchSpace,
} from '../space.js';
import type { TrialRecord } from '../trial-record.js';
import { trialRandom } from '../trial-random.js';
import type { Sampler, SuggestOptions } from './sampler.js';

export function randomSampler(): Sampler {
  return {
    kind: 'random',
    suggest(space: SearchSpace, _history: readonly TrialRecord[], opts: SuggestOptions): Params {
      return suggestEachActive(space, opts, (name, dim) =>
        sampleUniform(dim, trialRandom(opts.seed, opts.trialNumber, name)),
      );
    },
  };
}

/** Walks the dimensions parents first and asks `pick` for each active one. */
export function suggestEachActive(
  space: SearchSpace,
  opts: SuggestOptions,
  pick: (name: string, dim: Dimension, params: Params) => ParamValue,
): Params {
  checkOptions(opts);
  const params: Params = {};
  for (const name of validateSpace(space)) {
    if (isActive(space, name, params)) params[name] = pick(name, space[name]!, params);
  }
  return params;
}

/** One draw from the dimension's prior: uniform, log-uniform, uniform over the int grid (in log space for log ints). */
export function sampleUniform(dim: Dimension, random: Random): ParamValue {
  const u = random();
  switch (dim.kind) {
    case 'uniform':
      return Math.min(dim.high, dim.low + u * (dim.high - dim.low));
    case 'loguniform': {
      const lo = Math.log(dim.low);
      return clamp(Math.exp(lo + u * (Math.log(dim.high) - lo)), dim.low, dim.high);
    }
    case 'int': {
      if (dim.log === true) {
        // As Optuna: uniform on [log(low - 0.5), log(high + 0.5)], so each integer owns the interval that rounds to it.
        const lo = Math.log(dim.low - 0.5);
        const v = Math.round(Math.exp(lo + u * (Math.log(dim.high + 0.5) - lo)));
        return clamp(v, dim.low, dim.high);
      }
      const values = intValues(dim);
      return values[Math.min(values.length - 1, Math.floor(u * values.length))]!;
    }
    case 'categorical':
      return dim.choices[Math.min(dim.choices.length - 1, Math.floor(u * dim.choices.length))]!;
  }
}

export function clamp(v: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, v));
}

function checkOptions(opts: SuggestOptions): void {
  if (!Number.isFinite(opts.seed))
    throw new EngineError('invalid_param', `seed must be a finite number`, { seed: opts.seed });
  if (!Number.isInteger(opts.trialNumber) || opts.trialNumber < 0) {
    throw new EngineError('invalid_param', `trialNumber must be a non-negative integer`, {
      trialNumber: opts.trialNumber,
    });
  }
  if (opts.direction !== 'minimize' && opts.direction !== 'maximize') {
    throw new EngineError('invalid_param', `direction must be minimize or maximize`, { direction: opts.direction });
  }
}
