// GBDT hyperparameters, their defaults and their valid ranges.
import { EngineError } from '../errors.js';
import type { GbdtObjective } from '../artifact/model-artifact.js';

export interface GbdtParams {
  /**
   * Loss. Classification: `logistic` (default for two classes) or `softmax` (default for more). Regression:
   * `squared_error` (default), `absolute_error` or `poisson`.
   */
  objective?: GbdtObjective;
  /** Boosting rounds (trees; softmax grows one tree per class and round). Default 100. */
  nTrees?: number;
  /** Depth limit; 0 means none and is allowed only with `growPolicy: 'lossguide'`. Default 6. */
  maxDepth?: number;
  /** Shrinkage applied to every leaf value. Default 0.1. */
  learningRate?: number;
  /** Histogram bins per feature including the missing-value bin, in [2, 256]. Default 256. */
  maxBins?: number;
  /** L2 penalty on leaf values. Default 1. */
  lambda?: number;
  /** L1 penalty on leaf values. Default 0. */
  alpha?: number;
  /** Smallest hessian sum a child may have. Default 1. */
  minChildWeight?: number;
  /** Smallest number of training rows a child may have. Default 1. */
  minSamplesLeaf?: number;
  /** Share of training rows each tree sees, in (0, 1]. Default 1. */
  subsample?: number;
  /** Share of features each tree may split on, in (0, 1]. Default 1. */
  colsampleByTree?: number;
  /** Seed of the holdout split and of the row and column sampling. Default 42. */
  seed?: number;
  /** Holdout share in [0, 1). Default 0.2. */
  testFraction?: number;
  /** Stop when the holdout loss has not improved for this many trees and keep the best prefix; 0 = off. */
  earlyStoppingRounds?: number;
  /** `depthwise` splits level by level (XGBoost's default); `lossguide` splits the best leaf first (LightGBM). */
  growPolicy?: 'depthwise' | 'lossguide';
  /** Leaf limit of a `lossguide` tree. Default 31. */
  maxLeaves?: number;
}

export type ResolvedGbdtParams = Required<GbdtParams>;

export function resolveGbdtParams(task: 'classification' | 'regression', params: GbdtParams = {}): ResolvedGbdtParams {
  const r: ResolvedGbdtParams = {
    objective: params.objective ?? (task === 'classification' ? 'logistic' : 'squared_error'),
    nTrees: params.nTrees ?? 100,
    maxDepth: params.maxDepth ?? 6,
    learningRate: params.learningRate ?? 0.1,
    maxBins: params.maxBins ?? 256,
    lambda: params.lambda ?? 1,
    alpha: params.alpha ?? 0,
    minChildWeight: params.minChildWeight ?? 1,
    minSamplesLeaf: params.minSamplesLeaf ?? 1,
    subsample: params.subsample ?? 1,
    colsampleByTree: params.colsampleByTree ?? 1,
    seed: params.seed ?? 42,
    testFraction: params.testFraction ?? 0.2,
    earlyStoppingRounds: params.earlyStoppingRounds ?? 0,
    growPolicy: params.growPolicy ?? 'depthwise',
    maxLeaves: params.maxLeaves ?? 31,
  };
  const objectives =
    task === 'classification' ? ['logistic', 'softmax'] : ['squared_error', 'absolute_error', 'poisson'];
  check('objective', r.objective, objectives.includes(r.objective));
  const int = (v: number, min: number, max = Number.MAX_SAFE_INTEGER) => Number.isInteger(v) && v >= min && v <= max;
  const finite = (v: number) => Number.isFinite(v);
  check('nTrees', r.nTrees, int(r.nTrees, 1));
  check('growPolicy', r.growPolicy, r.growPolicy === 'depthwise' || r.growPolicy === 'lossguide');
  check('maxDepth', r.maxDepth, int(r.maxDepth, r.growPolicy === 'lossguide' ? 0 : 1, 64));
  check('maxLeaves', r.maxLeaves, int(r.maxLeaves, 2));
  check('learningRate', r.learningRate, finite(r.learningRate) && r.learningRate > 0);
  check('maxBins', r.maxBins, int(r.maxBins, 2, 256));
  check('lambda', r.lambda, finite(r.lambda) && r.lambda >= 0);
  check('alpha', r.alpha, finite(r.alpha) && r.alpha >= 0);
  check('minChildWeight', r.minChildWeight, finite(r.minChildWeight) && r.minChildWeight >= 0);
  check('minSamplesLeaf', r.minSamplesLeaf, int(r.minSamplesLeaf, 1));
  check('subsample', r.subsample, r.subsample > 0 && r.subsample <= 1);
  check('colsampleByTree', r.colsampleByTree, r.colsampleByTree > 0 && r.colsampleByTree <= 1);
  check('seed', r.seed, finite(r.seed));
  check('testFraction', r.testFraction, r.testFraction >= 0 && r.testFraction < 1);
  check('earlyStoppingRounds', r.earlyStoppingRounds, int(r.earlyStoppingRounds, 0));
  return r;
}

function check(name: string, value: unknown, ok: boolean): void {
  if (!ok) throw new EngineError('invalid_param', `Invalid ${name}: ${String(value)}`, { param: name, value });
}
