// Fits an elastic-net GLM: gaussian by one coordinate-descent solve, binomial by IRLS around coordinate descent,
// multinomial by per-class IRLS (fit-multinomial.ts).
import type { DesignMatrix } from '../preprocess/design-matrix.js';
import type { Coefficients } from './coordinate-descent.js';
import { elasticNetPenalty } from './elastic-net-penalty.js';
import { fitMultinomial } from './fit-multinomial.js';
import { MIN_WEIGHT, type GlmFit, type GlmFitOptions } from './glm-fit.js';
import { innerThreshold } from './inner-threshold.js';
import { linearPredictor } from './linear-predictor.js';
import { progressReporter } from './progress-reporter.js';
import { solveWeighted } from './solve-weighted.js';

export type { GlmFamily, GlmFit, GlmFitOptions } from './glm-fit.js';

/** Cap on IRLS (outer) steps for the binomial family. */
const MAX_IRLS_STEPS = 100;

/** `onProgress` receives strictly increasing fractions in (0, 1). */
export function fitGlm(x: DesignMatrix, y: Float64Array, options: GlmFitOptions): GlmFit {
  if (options.family === 'multinomial') return fitMultinomial(x, y, options);
  return options.family === 'gaussian' ? fitGaussian(x, y, options) : fitBinomial(x, y, options);
}

function fitGaussian(x: DesignMatrix, y: Float64Array, options: GlmFitOptions): GlmFit {
  const n = x.nRows;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i]!;
  mean = n > 0 ? mean / n : 0;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (y[i]! - mean) ** 2;
  variance = n > 0 ? variance / n : 0;
  const coef = startingPoint(x, mean, options);
  const progress = progressReporter(options.onProgress);
  const result = solveWeighted(
    { x, z: y, w: new Float64Array(n).fill(1), lambda: options.lambda, alpha: options.alpha },
    coef,
    options.tolerance * (variance > 0 ? variance : 1),
    options.maxIterations,
    { unitWeights: true, onSweep: (sweep) => progress(sweep / (sweep + 20)) },
  );
  return {
    intercepts: [coef.intercept],
    coefficients: [coef.beta],
    iterations: result.sweeps,
    converged: result.converged,
  };
}

function fitBinomial(x: DesignMatrix, y: Float64Array, options: GlmFitOptions): GlmFit {
  const n = x.nRows;
  const p = x.width;
  const { lambda, alpha, tolerance } = options;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i]!;
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, n > 0 ? positives / n : 0.5));
  const coef = startingPoint(x, Math.log(rate / (1 - rate)), options);
  const progress = progressReporter(options.onProgress);

  let eta = linearPredictor(x, coef.intercept, coef.beta);
  let objective = binomialObjective(y, eta, coef.beta, lambda, alpha);
  const w = new Float64Array(n);
  const z = new Float64Array(n);
  let sweeps = 0;
  let converged = false;
  let lastChange = Infinity;
  for (let step = 1; step <= MAX_IRLS_STEPS; step++) {
    for (let i = 0; i < n; i++) {
      const prob = sigmoid(eta[i]!);
      const weight = Math.max(prob * (1 - prob), MIN_WEIGHT);
      w[i] = weight;
      z[i] = eta[i]! + (y[i]! - prob) / weight;
    }
    const previous: Coefficients = { intercept: coef.intercept, beta: Float64Array.from(coef.beta) };
    const threshold = innerThreshold(tolerance, lastChange);
    const inner = solveWeighted({ x, z, w, lambda, alpha }, coef, threshold, options.maxIterations);
    sweeps += inner.sweeps;

    let nextEta = linearPredictor(x, coef.intercept, coef.beta);
    let nextObjective = binomialObjective(y, nextEta, coef.beta, lambda, alpha);
    // Step halving: a full Newton step can overshoot far from the optimum.
    for (let halving = 0; halving < 30 && nextObjective > objective * (1 + 1e-12); halving++) {
      coef.intercept = (coef.intercept + previous.intercept) / 2;
      for (let j = 0; j < p; j++) coef.beta[j] = (coef.beta[j]! + previous.beta[j]!) / 2;
      nextEta = linearPredictor(x, coef.intercept, coef.beta);
      nextObjective = binomialObjective(y, nextEta, coef.beta, lambda, alpha);
    }

    // Weighted mean squared change of the linear predictor: the outer analogue of the inner stopping rule.
    let change = 0;
    for (let i = 0; i < n; i++) change += w[i]! * (nextEta[i]! - eta[i]!) ** 2;
    change = n > 0 ? change / n : 0;
    eta = nextEta;
    objective = nextObjective;
    progress(1 - 0.6 ** step);
    lastChange = change;
    if (change < tolerance && inner.converged && threshold === tolerance) {
      converged = true;
      break;
    }
  }
  return { intercepts: [coef.intercept], coefficients: [coef.beta], iterations: sweeps, converged };
}

/** The warm start when one is given, else the intercept-only model. */
function startingPoint(x: DesignMatrix, intercept: number, options: GlmFitOptions): Coefficients {
  const start = options.start;
  if (start === undefined) return { intercept, beta: new Float64Array(x.width) };
  return { intercept: start.intercepts[0]!, beta: Float64Array.from(start.coefficients[0]!) };
}

export function sigmoid(eta: number): number {
  if (eta >= 0) return 1 / (1 + Math.exp(-eta));
  const e = Math.exp(eta);
  return e / (1 + e);
}

/** -(1/n) log-likelihood + penalty, the quantity the binomial fit minimises. */
function binomialObjective(
  y: Float64Array,
  eta: Float64Array,
  beta: Float64Array,
  lambda: number,
  alpha: number,
): number {
  const n = y.length;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const e = eta[i]!;
    // log(1 + exp(e)) without overflow.
    const softplus = e > 0 ? e + Math.log1p(Math.exp(-e)) : Math.log1p(Math.exp(e));
    loss += softplus - y[i]! * e;
  }
  return (n > 0 ? loss / n : 0) + elasticNetPenalty([beta], lambda, alpha);
}
