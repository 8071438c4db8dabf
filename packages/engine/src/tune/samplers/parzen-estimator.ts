// One dimension's Parzen estimator for TPE: a weighted mixture of truncated Gaussians (numeric) or of smoothed
// categorical kernels, each with the prior as an extra component, following Optuna's univariate estimator.
import type { Random } from '../../validation/random.js';
import { logNormalDensity, logNormalMass, truncatedNormalDraw } from './normal.js';

export interface ParzenParameters {
  /** Weight of the prior component (the whole range, or uniform over the choices). Optuna's default is 1. */
  priorWeight: number;
  /** Floor each bandwidth at range / min(100, 1 + kernels) (Optuna's "magic clip"). */
  considerMagicClip: boolean;
  /** Let the outermost kernels' bandwidth reach to the bounds. Optuna's default is false. */
  considerEndpoints: boolean;
}

export interface Estimator {
  /** A draw in internal coordinates (log space for log dimensions, a grid index-free value for discrete ones). */
  sample(random: Random): number;
  logPdf(x: number): number;
}

/**
 * Observation weights (Optuna's default_weights): 1 each up to 25 observations; beyond, the 25 most recent keep 1
 * and older ones ramp linearly from 1/n. `n` observations are ordered by trial number.
 */
export function defaultWeights(n: number): number[] {
  if (n < 25) return new Array<number>(n).fill(1);
  const ramp = n - 25;
  const out: number[] = [];
  for (let i = 0; i < ramp; i++) out.push(ramp === 1 ? 1 / n : 1 / n + ((1 - 1 / n) * i) / (ramp - 1));
  for (let i = 0; i < 25; i++) out.push(1);
  return out;
}

/**
 * Numeric dimension on [low, high] in internal coordinates. With `step`, values live on low + k·step and each kernel
 * gives a value the mass of [x - step/2, x + step/2] (a discretised truncated Gaussian); without it, its density.
 */
export function numericEstimator(
  observations: number[],
  low: number,
  high: number,
  step: number | undefined,
  p: ParzenParameters,
): Estimator {
  const half = (step ?? 0) / 2;
  const lo = low - half;
  const hi = high + half;
  const range = hi - lo;
  const n = observations.length;
  const priorMu = 0.5 * (low + high);

  // Bandwidth: the larger gap to the sorted neighbours (the prior's centre included), ends bounded by the range.
  const withPrior = [...observations, priorMu];
  const order = withPrior.map((_, i) => i).sort((a, b) => withPrior[a]! - withPrior[b]! || a - b);
  const sorted = [lo, ...order.map((i) => withPrior[i]!), hi];
  const sortedSigmas = order.map((_, k) => Math.max(sorted[k + 1]! - sorted[k]!, sorted[k + 2]! - sorted[k + 1]!));
  if (!p.considerEndpoints && sorted.length >= 4) {
    sortedSigmas[0] = sorted[2]! - sorted[1]!;
    sortedSigmas[sortedSigmas.length - 1] = sorted[sorted.length - 2]! - sorted[sorted.length - 3]!;
  }
  const sigmas = new Array<number>(n + 1);
  order.forEach((i, k) => (sigmas[i] = sortedSigmas[k]!));
  const maxSigma = range;
  const minSigma = p.considerMagicClip ? range / Math.min(100, 1 + n + 1) : 1e-12;
  const mus = withPrior;
  for (let i = 0; i < n; i++) sigmas[i] = Math.min(maxSigma, Math.max(minSigma, sigmas[i]!));
  sigmas[n] = range; // the prior spans the whole range

  const weights = mixtureWeights(n, p.priorWeight);
  const logWeights = weights.map(Math.log);
  // Each kernel is truncated to [lo, hi]; log of its mass there normalises it.
  const logZ = mus.map((mu, i) => logNormalMass((lo - mu) / sigmas[i]!, (hi - mu) / sigmas[i]!));

  return {
    sample(random) {
      const k = pick(weights, random());
      const x = truncatedNormalDraw(mus[k]!, sigmas[k]!, lo, hi, random);
      if (step === undefined) return x;
      return Math.min(high, Math.max(low, low + Math.round((x - low) / step) * step));
    },
    logPdf(x) {
      const terms = mus.map((mu, i) => {
        const s = sigmas[i]!;
        const logP =
          step === undefined
            ? logNormalDensity((x - mu) / s) - Math.log(s)
            : logNormalMass((x - half - mu) / s, (x + half - mu) / s);
        return logWeights[i]! + logP - logZ[i]!;
      });
      return logSumExp(terms);
    },
  };
}

/**
 * Categorical dimension over `nChoices` (observations are choice indices): each observation's kernel puts 1 on its
 * choice plus priorWeight / kernels on every choice, normalised; the prior kernel is uniform.
 */
export function categoricalEstimator(observations: number[], nChoices: number, p: ParzenParameters): Estimator {
  const n = observations.length;
  const kernels = n + 1;
  const weights = mixtureWeights(n, p.priorWeight);
  const probs = new Array<number>(nChoices).fill(weights[n]! / nChoices);
  const base = p.priorWeight / kernels;
  const rowTotal = 1 + nChoices * base;
  observations.forEach((c, i) => {
    for (let j = 0; j < nChoices; j++) probs[j]! += (weights[i]! * (base + (j === c ? 1 : 0))) / rowTotal;
  });
  return {
    sample: (random) => pick(probs, random()),
    logPdf: (x) => Math.log(probs[x] ?? 0),
  };
}

/** Observation weights then the prior's, normalised to sum 1. */
function mixtureWeights(n: number, priorWeight: number): number[] {
  const w = [...defaultWeights(n), priorWeight];
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / total);
}

function pick(weights: number[], u: number): number {
  let acc = 0;
  for (let i = 0; i < weights.length; i++) {
    acc += weights[i]!;
    if (u < acc) return i;
  }
  return weights.length - 1;
}

function logSumExp(terms: number[]): number {
  const max = Math.max(...terms);
  if (!Number.isFinite(max)) return max;
  let sum = 0;
  for (const t of terms) sum += Math.exp(t - max);
  return max + Math.log(sum);
}
