// Early stopping of unpromising trials, decided from the trial and the study's history alone (no pruner state).
import { EngineError } from '../errors.js';
import { sortedIntermediate, type Direction, type IntermediateValue, type TrialRecord } from './trial-record.js';

export interface Pruner {
  readonly kind: 'median' | 'percentile' | 'successiveHalving' | 'none';
  /**
   * Whether `trial`, having just reported its value at `step` (in `trial.intermediate`), should stop. `history` is
   * the study's trials; the trial itself may be among them (matched by number and ignored).
   */
  shouldPrune(trial: TrialRecord, step: number, history: readonly TrialRecord[], direction: Direction): boolean;
}

export interface PercentilePrunerOptions {
  /** Completed trials needed before anything is pruned. Default 5. */
  nStartupTrials?: number;
  /** Steps of each trial never pruned (steps < nWarmupSteps). Default 0. */
  nWarmupSteps?: number;
  /** Decide only once per this many steps after the warmup. Default 1. */
  intervalSteps?: number;
  /** Completed trials that must have reported `step` for a comparison. Default 1. */
  nMinTrials?: number;
}

/**
 * Optuna's MedianPruner: after nStartupTrials complete trials and the warmup, prune when the trial's best
 * intermediate value so far (steps <= `step`) is worse than the median of the complete trials' values at `step`.
 */
export function medianPruner(options: PercentilePrunerOptions = {}): Pruner {
  return { ...percentilePruner({ ...options, percentile: 50 }), kind: 'median' };
}

/** Optuna's PercentilePruner: as the median pruner with the `percentile`-th best instead (0 = best, 100 = worst). */
export function percentilePruner(options: PercentilePrunerOptions & { percentile: number }): Pruner {
  const { percentile } = options;
  const nStartup = options.nStartupTrials ?? 5;
  const nWarmup = options.nWarmupSteps ?? 0;
  const interval = options.intervalSteps ?? 1;
  const nMin = options.nMinTrials ?? 1;
  check('percentile', percentile, Number.isFinite(percentile) && percentile >= 0 && percentile <= 100);
  check('nStartupTrials', nStartup, Number.isInteger(nStartup) && nStartup >= 0);
  check('nWarmupSteps', nWarmup, Number.isInteger(nWarmup) && nWarmup >= 0);
  check('intervalSteps', interval, Number.isInteger(interval) && interval >= 1);
  check('nMinTrials', nMin, Number.isInteger(nMin) && nMin >= 1);

  return {
    kind: 'percentile',
    shouldPrune(trial, step, history, direction) {
      const reported = sortedIntermediate(trial).filter((r) => r.step <= step);
      if (reported.length === 0 || step < nWarmup) return false;
      if (!firstInInterval(step, reported, nWarmup, interval)) return false;
      const complete = history.filter((t) => t.state === 'complete' && t.number !== trial.number);
      if (complete.length === 0 || complete.length < nStartup) return false;

      const own = reported.map((r) => r.value).filter((v) => !Number.isNaN(v));
      if (own.length === 0) return true; // only NaN reported: nothing to continue for
      const best = direction === 'minimize' ? Math.min(...own) : Math.max(...own);

      const atStep = complete.flatMap((t) =>
        (t.intermediate ?? []).filter((r) => r.step === step && !Number.isNaN(r.value)).map((r) => r.value),
      );
      if (atStep.length < nMin) return false;
      // Lower values are better when minimising, so the p-th best is the p-th percentile; mirrored when maximising.
      const threshold = percentileOf(atStep, direction === 'minimize' ? percentile : 100 - percentile);
      return direction === 'minimize' ? best > threshold : best < threshold;
    },
  };
}

/**
 * Optuna's rule for interval_steps: decide at `step` only if the trial's previous report came before the latest
 * pruning point at or below `step` (warmup + k·interval).
 */
function firstInInterval(step: number, reported: IntermediateValue[], nWarmup: number, interval: number): boolean {
  const nearestLower = Math.floor((step - nWarmup) / interval) * interval + nWarmup;
  let secondLast = -1;
  for (const r of reported) if (r.step !== step && r.step > secondLast) secondLast = r.step;
  return secondLast < nearestLower;
}

/** numpy's default (linear) percentile. */
export function percentileOf(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const pos = ((sorted.length - 1) * p) / 100;
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export interface SuccessiveHalvingOptions {
  /**
   * Steps before the first rung; rung k sits at minResource · η^(minEarlyStoppingRate + k). 'auto' (default, as
   * Optuna): max(1, floor(largest last step of the complete trials / 100)), and no pruning until a trial completed.
   * Optuna fixes the estimate once; here it is recomputed from the history on every call, so pass a number when
   * trials complete with different lengths.
   */
  minResource?: number | 'auto';
  /** η: at each rung only the top 1/η of the trials that reached it continue. Default 3. */
  reductionFactor?: number;
  /** s: shifts every rung up by η^s. Default 0. */
  minEarlyStoppingRate?: number;
  /** Trials that must reach a rung before any is promoted past it (those before are pruned). Default 0. */
  bootstrapCount?: number;
}

/**
 * Asynchronous successive halving (ASHA, Li et al. 2018) with Optuna's promotion rule. When a trial's reported step
 * reaches a rung it has not passed yet, its value there is compared with the value every other trial recorded at
 * that rung, and it goes on only if it ranks within the top floor(n / η) of those n values (always the best one).
 *
 * The rungs other trials recorded are recovered from their reports: a trial recorded rung k with its value at its
 * first reported step >= the rung's step (Optuna records it when the trial reports that step). A trial that jumps
 * past several rungs at once counts at each of them with the same value.
 */
export function successiveHalvingPruner(options: SuccessiveHalvingOptions = {}): Pruner {
  const minResource = options.minResource ?? 'auto';
  const eta = options.reductionFactor ?? 3;
  const rate = options.minEarlyStoppingRate ?? 0;
  const bootstrap = options.bootstrapCount ?? 0;
  check('minResource', minResource, minResource === 'auto' || (Number.isInteger(minResource) && minResource >= 1));
  check('reductionFactor', eta, Number.isInteger(eta) && eta >= 2);
  check('minEarlyStoppingRate', rate, Number.isInteger(rate) && rate >= 0);
  check('bootstrapCount', bootstrap, Number.isInteger(bootstrap) && bootstrap >= 0);

  return {
    kind: 'successiveHalving',
    shouldPrune(trial, step, history, direction) {
      const reported = sortedIntermediate(trial);
      const current = reported.find((r) => r.step === step);
      if (current === undefined) return false;
      const resource = minResource === 'auto' ? estimateMinResource(history) : minResource;
      if (resource === undefined) return false;
      const rungStep = (k: number) => resource * eta ** (rate + k);

      // Rungs passed at earlier reports were decided then: resume from the first rung above the previous report.
      const previous = reported.filter((r) => r.step < step).pop()?.step;
      let rung = 0;
      if (previous !== undefined) while (rungStep(rung) <= previous) rung++;
      const others = history.filter((t) => t.number !== trial.number).map(sortedIntermediate);

      while (step >= rungStep(rung)) {
        if (Number.isNaN(current.value)) return true;
        const at = rungStep(rung);
        const competing = [current.value];
        for (const steps of others) {
          const first = steps.find((r) => r.step >= at);
          if (first !== undefined && !Number.isNaN(first.value)) competing.push(first.value);
        }
        if (bootstrap > 0 && competing.length <= bootstrap) return true;
        if (!promotable(current.value, competing, eta, direction)) return true;
        rung++;
      }
      return false;
    },
  };
}

/** In the top floor(n / η) of the rung's values (at least the best one), ties included. */
function promotable(value: number, competing: number[], eta: number, direction: Direction): boolean {
  const k = Math.max(0, Math.floor(competing.length / eta) - 1);
  const sorted = [...competing].sort((a, b) => a - b);
  return direction === 'minimize' ? value <= sorted[k]! : value >= sorted[sorted.length - 1 - k]!;
}

function estimateMinResource(history: readonly TrialRecord[]): number | undefined {
  let last: number | undefined;
  for (const t of history) {
    if (t.state !== 'complete') continue;
    for (const r of t.intermediate ?? []) if (last === undefined || r.step > last) last = r.step;
  }
  return last === undefined ? undefined : Math.max(Math.floor(last / 100), 1);
}

/** Never prunes: the explicit "no pruning" choice of a study. */
export function nopPruner(): Pruner {
  return { kind: 'none', shouldPrune: () => false };
}

export type PrunerConfig =
  | { kind: 'none' }
  | ({ kind: 'median' } & PercentilePrunerOptions)
  | ({ kind: 'percentile'; percentile: number } & PercentilePrunerOptions)
  | ({ kind: 'successiveHalving' } & SuccessiveHalvingOptions);

/** A pruner from its JSON configuration, as a study stores it. */
export function createPruner(config: PrunerConfig): Pruner {
  switch (config.kind) {
    case 'none':
      return nopPruner();
    case 'median':
      return medianPruner(config);
    case 'percentile':
      return percentilePruner(config);
    case 'successiveHalving':
      return successiveHalvingPruner(config);
    default:
      throw new EngineError('invalid_param', `Unknown pruner ${JSON.stringify((config as { kind?: unknown }).kind)}`, {
        param: 'pruner',
      });
  }
}

function check(name: string, value: unknown, ok: boolean): void {
  if (!ok)
    throw new EngineError('invalid_param', `Invalid pruner option ${name}: ${String(value)}`, { param: name, value });
}
