// The contract every sampler meets: a pure function of the space, the past trials and (seed, trial number).
import type { Params, SearchSpace } from '../space.js';
import type { Direction, TrialRecord } from '../trial-record.js';

export interface SuggestOptions {
  /** The study's seed. */
  seed: number;
  /** The number of the trial being suggested; its random streams derive from (seed, trialNumber). */
  trialNumber: number;
  direction: Direction;
}

export interface Sampler {
  readonly kind: 'random' | 'grid' | 'tpe';
  /** The params of trial `opts.trialNumber`: the active dimensions only. Throws `invalid_param` on a bad space. */
  suggest(space: SearchSpace, history: readonly TrialRecord[], opts: SuggestOptions): Params;
}
