// Tree-structured Parzen Estimator (Bergstra et al. 2011) with Optuna's defaults, one dimension at a time.
import { EngineError } from '../../errors.js';
import type { Random } from '../../validation/random.js';
import { isValidValue, type Dimension, type ParamValue, type Params, type SearchSpace } from '../space.js';
import { hasValue, sortedIntermediate, type Direction, type TrialRecord } from '../trial-record.js';
import { trialRandom } from '../trial-random.js';
import { categoricalEstimator, numericEstimator, type Estimator, type ParzenParameters } from './parzen-estimator.js';
import { clamp, sampleUniform, suggestEachActive } from './random-sampler.js';
import type { Sampler, SuggestOptions } from './sampler.js';

export interface TpeSamplerOptions extends Partial<ParzenParameters> {
  /** Complete + pruned trials needed before TPE takes over from random draws. Default 10. */
  nStartupTrials?: number;
  /** Candidates drawn from the good trials' estimator per dimension. Default 24. */
  nEiCandidates?: number;
  /** Size of the "good" group out of n finished trials. Default min(ceil(0.1 n), 25). Not JSON: set it in code. */
  gamma?: (n: number) => number;
}

/** Optuna's default_gamma. */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/**
 * Each suggestion splits the finished trials into a good group (the best gamma(n)) and the rest, models each
 * dimension's values in both groups with a Parzen estimator l(x) and g(x), draws nEiCandidates from l and keeps the
 * one with the largest l(x) / g(x) — the maximiser of expected improvement under TPE's model.
 *
 * - Trials counted: complete (finite value) and pruned; running and failed trials are ignored.
 * - Pruned trials, as in Optuna, rank after every complete trial, among themselves by the furthest step reached
 *   and then by the value there; they fill the good group only when too few trials completed.
 * - Conditional dimensions are modelled independently (Optuna's independent TPE): a dimension's estimators use only
 *   the trials in each group where it was active, and with none the estimator is the prior alone.
 * - Before nStartupTrials finished trials, the draw is exactly the random sampler's (same per-parameter streams).
 */
export function tpeSampler(options: TpeSamplerOptions = {}): Sampler {
  const nStartup = options.nStartupTrials ?? 10;
  const nCandidates = options.nEiCandidates ?? 24;
  const gamma = options.gamma ?? defaultGamma;
  const parzen: ParzenParameters = {
    priorWeight: options.priorWeight ?? 1,
    considerMagicClip: options.considerMagicClip ?? true,
    considerEndpoints: options.considerEndpoints ?? false,
  };
  check('nStartupTrials', nStartup, Number.isInteger(nStartup) && nStartup >= 0);
  check('nEiCandidates', nCandidates, Number.isInteger(nCandidates) && nCandidates >= 1);
  check('gamma', options.gamma, typeof gamma === 'function');
  check('priorWeight', parzen.priorWeight, Number.isFinite(parzen.priorWeight) && parzen.priorWeight > 0);

  return {
    kind: 'tpe',
    suggest(space: SearchSpace, history: readonly TrialRecord[], opts: SuggestOptions): Params {
      const finished = history.filter((t) => hasValue(t) || t.state === 'pruned');
      if (finished.length < nStartup) {
        return suggestEachActive(space, opts, (name, dim) =>
          sampleUniform(dim, trialRandom(opts.seed, opts.trialNumber, name)),
        );
      }
      const nBelow = Math.max(0, Math.min(finished.length, Math.floor(gamma(finished.length))));
      const { below, above } = splitTrials(finished, nBelow, opts.direction);
      return suggestEachActive(space, opts, (name, dim) => {
        const random = trialRandom(opts.seed, opts.trialNumber, name);
        return sampleDimension(name, dim, below, above, parzen, nCandidates, random);
      });
    },
  };
}

/** The good and the other finished trials, each in trial-number order (the order the weights ramp over). */
export function splitTrials(
  finished: readonly TrialRecord[],
  nBelow: number,
  direction: Direction,
): { below: TrialRecord[]; above: TrialRecord[] } {
  const sign = direction === 'minimize' ? 1 : -1;
  const complete = finished.filter(hasValue).sort((a, b) => sign * (a.value - b.value) || a.number - b.number);
  const pruned = finished
    .filter((t) => t.state === 'pruned')
    .map((t) => ({ trial: t, key: prunedKey(t, sign) }))
    .sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.trial.number - b.trial.number)
    .map((p) => p.trial);
  const ranked = [...complete, ...pruned];
  const byNumber = (a: TrialRecord, b: TrialRecord) => a.number - b.number;
  return { below: ranked.slice(0, nBelow).sort(byNumber), above: ranked.slice(nBelow).sort(byNumber) };
}

/** Optuna's pruned-trial score: further steps first, then the better last value; none reported ranks last. */
function prunedKey(trial: TrialRecord, sign: number): [number, number] {
  const steps = sortedIntermediate(trial);
  const last = steps[steps.length - 1];
  if (last === undefined) return [1, 0];
  return [-last.step, Number.isNaN(last.value) ? Infinity : sign * last.value];
}

function sampleDimension(
  name: string,
  dim: Dimension,
  below: TrialRecord[],
  above: TrialRecord[],
  parzen: ParzenParameters,
  nCandidates: number,
  random: Random,
): ParamValue {
  const coder = internalCoder(dim);
  const observe = (trials: TrialRecord[]) =>
    trials.flatMap((t) => {
      const v = t.params[name];
      // Inactive here, or a value the (edited) space no longer allows: not an observation of this dimension.
      return v !== undefined && isValidValue(dim, v) ? [coder.encode(v)] : [];
    });
  const good = coder.estimator(observe(below), parzen);
  const bad = coder.estimator(observe(above), parzen);
  let best: ParamValue | undefined;
  let bestScore = -Infinity;
  for (let i = 0; i < nCandidates; i++) {
    // Scored where it lands: a rounded log int is scored at log of the integer, as Optuna does.
    const value = coder.decode(good.sample(random));
    const x = coder.encode(value);
    const score = good.logPdf(x) - bad.logPdf(x);
    if (best === undefined || score > bestScore) {
      best = value;
      bestScore = score;
    }
  }
  return best!;
}

/** How a dimension maps to the estimators' internal coordinates and back. */
interface InternalCoder {
  encode(v: ParamValue): number;
  decode(x: number): ParamValue;
  estimator(observations: number[], p: ParzenParameters): Estimator;
}

function internalCoder(dim: Dimension): InternalCoder {
  switch (dim.kind) {
    case 'uniform':
      return {
        encode: (v) => v as number,
        decode: (x) => clamp(x, dim.low, dim.high),
        estimator: (obs, p) => numericEstimator(obs, dim.low, dim.high, undefined, p),
      };
    case 'loguniform':
      return {
        encode: (v) => Math.log(v as number),
        decode: (x) => clamp(Math.exp(x), dim.low, dim.high),
        estimator: (obs, p) => numericEstimator(obs, Math.log(dim.low), Math.log(dim.high), undefined, p),
      };
    case 'int': {
      if (dim.log === true) {
        // Continuous in log space over [log(low - 0.5), log(high + 0.5)] and rounded, as Optuna treats log ints.
        return {
          encode: (v) => Math.log(v as number),
          decode: (x) => clamp(Math.round(Math.exp(x)), dim.low, dim.high),
          estimator: (obs, p) => numericEstimator(obs, Math.log(dim.low - 0.5), Math.log(dim.high + 0.5), undefined, p),
        };
      }
      const step = dim.step ?? 1;
      return {
        encode: (v) => v as number,
        decode: (x) => clamp(dim.low + Math.round((x - dim.low) / step) * step, dim.low, dim.high),
        estimator: (obs, p) => numericEstimator(obs, dim.low, dim.high, step, p),
      };
    }
    case 'categorical':
      return {
        encode: (v) => dim.choices.findIndex((c) => c === v),
        decode: (x) => dim.choices[x]!,
        estimator: (obs, p) => categoricalEstimator(obs, dim.choices.length, p),
      };
  }
}

function check(name: string, value: unknown, ok: boolean): void {
  if (!ok)
    throw new EngineError('invalid_param', `Invalid TPE option ${name}: ${String(value)}`, { param: name, value });
}
