// GLM hyperparameters, their defaults and their valid ranges.
import { EngineError } from '../errors.js';

export interface GlmParams {
  /** Penalty strength, glmnet scaling: loss/n + lambda * (alpha*|b|_1 + (1-alpha)/2*|b|^2). Default 1e-4. */
  lambda?: number;
  /** Elastic-net mix in [0, 1]: 0 = ridge, 1 = lasso. Default 0. */
  alpha?: number;
  /** Holdout share in [0, 1). Default 0.2. */
  testFraction?: number;
  /** Seed of the holdout split. Default 42. */
  seed?: number;
  /** Cap on coordinate-descent sweeps per solve (binomial: per IRLS step). Default 10000. */
  maxIterations?: number;
  /** Convergence threshold on the weighted squared coefficient change per sweep. Default 1e-9. */
  tolerance?: number;
  /**
   * Search a lambda path instead of fitting `lambda` alone: from lambda_max (every coefficient zero; for alpha = 0
   * glmnet's convention, computed as if alpha were 1e-3) down to lambda_max * lambdaMinRatio, warm-starting each fit
   * from the previous one, keeping the lowest holdout deviance (the last lambda without a holdout). Default false.
   */
  lambdaSearch?: boolean;
  /** Lambdas on the path. Default 50. */
  nLambdas?: number;
  /** The path's last lambda over its first, in (0, 1). Default 1e-4. */
  lambdaMinRatio?: number;
}

export type ResolvedGlmParams = Required<GlmParams>;

export function resolveGlmParams(params: GlmParams = {}): ResolvedGlmParams {
  const resolved: ResolvedGlmParams = {
    lambda: params.lambda ?? 1e-4,
    alpha: params.alpha ?? 0,
    testFraction: params.testFraction ?? 0.2,
    seed: params.seed ?? 42,
    maxIterations: params.maxIterations ?? 10_000,
    tolerance: params.tolerance ?? 1e-9,
    lambdaSearch: params.lambdaSearch ?? false,
    nLambdas: params.nLambdas ?? 50,
    lambdaMinRatio: params.lambdaMinRatio ?? 1e-4,
  };
  check('lambda', resolved.lambda, resolved.lambda >= 0 && Number.isFinite(resolved.lambda));
  check('alpha', resolved.alpha, resolved.alpha >= 0 && resolved.alpha <= 1);
  check('testFraction', resolved.testFraction, resolved.testFraction >= 0 && resolved.testFraction < 1);
  check('seed', resolved.seed, Number.isFinite(resolved.seed));
  check(
    'maxIterations',
    resolved.maxIterations,
    Number.isInteger(resolved.maxIterations) && resolved.maxIterations > 0,
  );
  check('tolerance', resolved.tolerance, resolved.tolerance > 0 && Number.isFinite(resolved.tolerance));
  if (typeof resolved.lambdaSearch !== 'boolean') {
    throw new EngineError('invalid_param', `Invalid lambdaSearch: ${String(resolved.lambdaSearch)}`, {
      param: 'lambdaSearch',
      value: resolved.lambdaSearch,
    });
  }
  check('nLambdas', resolved.nLambdas, Number.isInteger(resolved.nLambdas) && resolved.nLambdas >= 1);
  check('lambdaMinRatio', resolved.lambdaMinRatio, resolved.lambdaMinRatio > 0 && resolved.lambdaMinRatio < 1);
  return resolved;
}

function check(name: string, value: number, ok: boolean): void {
  if (!ok) throw new EngineError('invalid_param', `Invalid ${name}: ${value}`, { param: name, value });
}
