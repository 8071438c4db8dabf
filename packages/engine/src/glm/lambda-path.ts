// glmnet/H2O-style lambda search: fits from lambda_max down a geometric sequence, each warm-started from the last,
// screening columns by the sequential strong rule, and keeps the fit with the lowest holdout deviance (the last one
// when there is no holdout).
import type { DesignMatrix } from '../preprocess/design-matrix.js';
import { fitGlm } from './fit-glm.js';
import type { GlmFit, GlmFitOptions } from './glm-fit.js';
import { lambdaMax } from './lambda-max.js';
import { meanDeviance } from './mean-deviance.js';
import { progressReporter } from './progress-reporter.js';
import { gradientSizes, strongSet, violations } from './strong-rules.js';
import { useCovariance } from './solve-weighted.js';
import { subDesign } from './sub-design.js';

export interface LambdaStep {
  lambda: number;
  /** Mean deviance per row (see mean-deviance.ts) on the training rows. */
  trainDeviance: number;
  /** The same on the holdout; absent without holdout rows. */
  holdoutDeviance?: number;
  /** Coefficients (over every class row) that are not zero. */
  nonZero: number;
}

export interface LambdaPathOptions extends Omit<GlmFitOptions, 'lambda' | 'start'> {
  nLambdas: number;
  /** The last lambda is lambda_max * lambdaMinRatio. */
  lambdaMinRatio: number;
  /**
   * Strong-rule screening (only with an l1 part, alpha > 0); the result is the same either way. By default only
   * where the solver sweeps rows: with covariance updates a sweep is already cheap and screening only adds the
   * optimality checks over every row (measured on ames: 0.3 s unscreened, 0.6-0.9 s screened).
   */
  screening?: boolean;
}

export interface LambdaPathResult {
  /** The chosen fit and its lambda. */
  fit: GlmFit;
  lambda: number;
  steps: LambdaStep[];
  /** Coordinate-descent sweeps over the whole path. */
  iterations: number;
}

/** The all-zero fit the path starts from (only its residuals matter, for the first screening). */
function nullFit(x: DesignMatrix, y: Float64Array, options: Omit<GlmFitOptions, 'lambda' | 'start'>): GlmFit {
  const { onProgress: _ignored, ...quiet } = options;
  return fitGlm(x, y, { ...quiet, lambda: Number.MAX_VALUE, alpha: 1 });
}

/** 1 for each column that is non-zero in some output of the fit. */
function nonZeroColumns(fit: GlmFit | undefined, width: number): Uint8Array {
  const out = new Uint8Array(width);
  for (const row of fit?.coefficients ?? []) row.forEach((b, j) => (out[j] = out[j]! | (b !== 0 ? 1 : 0)));
  return out;
}

/** The fit's coefficients on the given columns only. */
function restrict(fit: GlmFit, columns: Int32Array): GlmFit {
  return { ...fit, coefficients: fit.coefficients.map((row) => Float64Array.from(columns, (j) => row[j]!)) };
}

/** A sub-design fit in the full design's columns, zero where a column was left out. */
function expand(fit: GlmFit, columns: Int32Array, width: number): GlmFit {
  const coefficients = fit.coefficients.map((row) => {
    const full = new Float64Array(width);
    columns.forEach((j, k) => (full[j] = row[k]!));
    return full;
  });
  return { ...fit, coefficients };
}

/** The geometric sequence lambda_max * ratio^(s / (nLambdas - 1)), s = 0..nLambdas-1. */
export function lambdaSequence(top: number, nLambdas: number, ratio: number): number[] {
  if (nLambdas === 1) return [top * ratio];
  return Array.from({ length: nLambdas }, (_, s) => top * ratio ** (s / (nLambdas - 1)));
}

export function fitLambdaPath(
  x: DesignMatrix,
  y: Float64Array,
  options: LambdaPathOptions,
  holdout?: { x: DesignMatrix; y: Float64Array },
): LambdaPathResult {
  const { nLambdas, lambdaMinRatio, onProgress, screening = !useCovariance(x), ...fitOptions } = options;
  // A hair above lambda_max, so that round-off in the gradient cannot let a coefficient in at the first step. (A
  // design with no usable column gives lambda_max = 0, and the path degenerates to the intercept-only model.)
  const top = lambdaMax(x, y, options.family, options.alpha, options.nClasses) * (1 + 1e-9);
  const lambdas = lambdaSequence(top, nLambdas, lambdaMinRatio);
  const useHoldout = holdout !== undefined && holdout.y.length > 0;

  const steps: LambdaStep[] = [];
  let previous: GlmFit | undefined;
  let best: { fit: GlmFit; lambda: number; score: number } | undefined;
  let iterations = 0;
  const screen = screening && options.alpha > 0;
  let sizes = screen ? gradientSizes(x, y, options.family, nullFit(x, y, fitOptions)) : undefined;
  // Screening may refit at one lambda, whose progress would then restart: pass on only increasing fractions.
  const report = progressReporter(onProgress);
  let previousLambda = top;
  lambdas.forEach((lambda, s) => {
    const fitAt = (design: DesignMatrix, start: GlmFit | undefined): GlmFit =>
      fitGlm(design, y, {
        ...fitOptions,
        lambda,
        ...(start === undefined ? {} : { start }),
        onProgress: (f: number) => report((s + f) / nLambdas),
      });
    let fit: GlmFit;
    if (sizes === undefined) {
      fit = fitAt(x, previous);
    } else {
      // Fit on the columns the strong rule keeps; refit while a left-out column breaks its optimality condition.
      const keep = strongSet(sizes, nonZeroColumns(previous, x.width), lambda, previousLambda, options.alpha);
      let sweeps = 0;
      for (;;) {
        const sub = subDesign(x, keep);
        const restricted = fitAt(sub.design, previous === undefined ? undefined : restrict(previous, sub.columns));
        sweeps += restricted.iterations;
        fit = { ...expand(restricted, sub.columns, x.width), iterations: sweeps };
        sizes = gradientSizes(x, y, options.family, fit);
        const missed = violations(sizes, keep, lambda, options.alpha);
        if (missed.length === 0) break;
        for (const j of missed) keep[j] = 1;
      }
    }
    previousLambda = lambda;
    iterations += fit.iterations;
    previous = fit;
    const step: LambdaStep = {
      lambda,
      trainDeviance: meanDeviance(options.family, x, y, fit),
      nonZero: fit.coefficients.reduce((count, row) => count + row.filter((b) => b !== 0).length, 0),
    };
    if (useHoldout) step.holdoutDeviance = meanDeviance(options.family, holdout.x, holdout.y, fit);
    steps.push(step);
    // Later (smaller) lambdas win ties only without a holdout, so a flat holdout curve keeps the simpler model.
    const score = useHoldout ? step.holdoutDeviance! : -s;
    if (best === undefined || score < best.score) best = { fit, lambda, score };
    report((s + 1) / nLambdas - 1e-9);
  });
  const chosen = best!;
  return { fit: { ...chosen.fit, iterations }, lambda: chosen.lambda, steps, iterations };
}
