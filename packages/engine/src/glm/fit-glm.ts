// Fits an elastic-net GLM: gaussian by one coordinate-descent solve, binomial by IRLS around coordinate descent.
import { addProduct, type DesignMatrix } from '../preprocess/design-matrix.js';
import { coordinateDescent, type Coefficients } from './coordinate-descent.js';

export type GlmFamily = 'gaussian' | 'binomial';

export interface GlmFitOptions {
  family: GlmFamily;
  lambda: number;
  alpha: number;
  /** Cap on coordinate-descent sweeps per solve (binomial: per IRLS step). */
  maxIterations: number;
  /** Convergence threshold; gaussian scales it by the variance of y, as glmnet does by standardising y. */
  tolerance: number;
  onProgress?: (fraction: number) => void;
}

export interface GlmFit {
  intercept: number;
  coefficients: Float64Array;
  /** Total coordinate-descent sweeps. */
  iterations: number;
  converged: boolean;
}

/** Cap on IRLS (outer) steps for the binomial family. */
const MAX_IRLS_STEPS = 100;
/** glmnet's floor on IRLS weights, which keeps near-separated rows from dominating. */
const MIN_WEIGHT = 1e-5;

/** `onProgress` receives strictly increasing fractions in (0, 1). */
export function fitGlm(x: DesignMatrix, y: Float64Array, options: GlmFitOptions): GlmFit {
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
  const coef: Coefficients = { intercept: mean, beta: new Float64Array(x.width) };
  const progress = progressReporter(options.onProgress);
  const result = coordinateDescent(
    { x, z: y, w: new Float64Array(n).fill(1), lambda: options.lambda, alpha: options.alpha },
    coef,
    options.tolerance * (variance > 0 ? variance : 1),
    options.maxIterations,
    (sweep) => progress(sweep / (sweep + 20)),
  );
  return { intercept: coef.intercept, coefficients: coef.beta, iterations: result.sweeps, converged: result.converged };
}

function fitBinomial(x: DesignMatrix, y: Float64Array, options: GlmFitOptions): GlmFit {
  const n = x.nRows;
  const p = x.width;
  const { lambda, alpha, tolerance } = options;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i]!;
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, n > 0 ? positives / n : 0.5));
  const coef: Coefficients = { intercept: Math.log(rate / (1 - rate)), beta: new Float64Array(p) };
  const progress = progressReporter(options.onProgress);

  let eta = linearPredictor(x, coef);
  let objective = binomialObjective(y, eta, coef.beta, lambda, alpha);
  const w = new Float64Array(n);
  const z = new Float64Array(n);
  let sweeps = 0;
  let converged = false;
  for (let step = 1; step <= MAX_IRLS_STEPS; step++) {
    for (let i = 0; i < n; i++) {
      const prob = sigmoid(eta[i]!);
      const weight = Math.max(prob * (1 - prob), MIN_WEIGHT);
      w[i] = weight;
      z[i] = eta[i]! + (y[i]! - prob) / weight;
    }
    const previous: Coefficients = { intercept: coef.intercept, beta: Float64Array.from(coef.beta) };
    const inner = coordinateDescent({ x, z, w, lambda, alpha }, coef, tolerance, options.maxIterations);
    sweeps += inner.sweeps;

    let nextEta = linearPredictor(x, coef);
    let nextObjective = binomialObjective(y, nextEta, coef.beta, lambda, alpha);
    // Step halving: a full Newton step can overshoot far from the optimum.
    for (let halving = 0; halving < 30 && nextObjective > objective * (1 + 1e-12); halving++) {
      coef.intercept = (coef.intercept + previous.intercept) / 2;
      for (let j = 0; j < p; j++) coef.beta[j] = (coef.beta[j]! + previous.beta[j]!) / 2;
      nextEta = linearPredictor(x, coef);
      nextObjective = binomialObjective(y, nextEta, coef.beta, lambda, alpha);
    }

    // Weighted mean squared change of the linear predictor: the outer analogue of the inner stopping rule.
    let change = 0;
    for (let i = 0; i < n; i++) change += w[i]! * (nextEta[i]! - eta[i]!) ** 2;
    change = n > 0 ? change / n : 0;
    eta = nextEta;
    objective = nextObjective;
    progress(1 - 0.6 ** step);
    if (change < tolerance && inner.converged) {
      converged = true;
      break;
    }
  }
  return { intercept: coef.intercept, coefficients: coef.beta, iterations: sweeps, converged };
}

export function linearPredictor(x: DesignMatrix, coef: Coefficients): Float64Array {
  const eta = new Float64Array(x.nRows).fill(coef.intercept);
  addProduct(eta, x, coef.beta, 1);
  return eta;
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
  let l1 = 0;
  let l2 = 0;
  for (const b of beta) {
    l1 += Math.abs(b);
    l2 += b * b;
  }
  return (n > 0 ? loss / n : 0) + lambda * (alpha * l1 + ((1 - alpha) / 2) * l2);
}

/** Wraps a progress callback so it only ever sees strictly increasing fractions below 1. */
function progressReporter(onProgress?: (fraction: number) => void): (fraction: number) => void {
  let last = 0;
  return (fraction) => {
    if (onProgress === undefined || !(fraction > last) || fraction >= 1) return;
    last = fraction;
    onProgress(fraction);
  };
}
