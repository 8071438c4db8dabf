// Random-forest and extra-trees hyperparameters, their defaults and their valid ranges.
import { EngineError } from '../errors.js';

export interface ForestParams {
  /** Trees (a multiclass forest grows one tree per class for each of them). Default 100. */
  nTrees?: number;
  /** Depth limit in [0, 64]; 0 means none (scikit-learn's `max_depth=None`). Default 0. */
  maxDepth?: number;
  /** Smallest number of distinct training rows a leaf may hold. Default 1. */
  minSamplesLeaf?: number;
  /**
   * Features examined per node: `sqrt` (default for classification), `log2`, `third` (of the features), or a share
   * in (0, 1] (default 1 for regression, scikit-learn's `max_features=1.0`). Constant features do not count.
   */
  maxFeatures?: 'sqrt' | 'log2' | 'third' | number;
  /** Draw each tree's rows with replacement. Default true for random forests, false for extra trees. */
  bootstrap?: boolean;
  /** Rows drawn per tree as a share of the training rows, in (0, 1] (without bootstrap: drawn without replacement). */
  sampleFraction?: number;
  /** Extremely randomized trees: one random threshold (or category set) per examined feature. Default false. */
  extraTrees?: boolean;
  /** Histogram bins per feature including the missing-value bin, in [2, 256]. Default 256. */
  maxBins?: number;
  /** Seed of the holdout split, the row draws and the feature draws. Default 42. */
  seed?: number;
  /** Holdout share in [0, 1). Default 0.2. */
  testFraction?: number;
}

export interface ResolvedForestParams {
  nTrees: number;
  maxDepth: number;
  minSamplesLeaf: number;
  maxFeatures: 'sqrt' | 'log2' | 'third' | number;
  bootstrap: boolean;
  sampleFraction: number;
  extraTrees: boolean;
  maxBins: number;
  seed: number;
  testFraction: number;
}

export function resolveForestParams(
  task: 'classification' | 'regression',
  params: ForestParams = {},
): ResolvedForestParams {
  const extraTrees = params.extraTrees ?? false;
  const r: ResolvedForestParams = {
    nTrees: params.nTrees ?? 100,
    maxDepth: params.maxDepth ?? 0,
    minSamplesLeaf: params.minSamplesLeaf ?? 1,
    maxFeatures: params.maxFeatures ?? (task === 'classification' ? 'sqrt' : 1),
    bootstrap: params.bootstrap ?? !extraTrees,
    sampleFraction: params.sampleFraction ?? 1,
    extraTrees,
    maxBins: params.maxBins ?? 256,
    seed: params.seed ?? 42,
    testFraction: params.testFraction ?? 0.2,
  };
  const int = (v: number, min: number, max = Number.MAX_SAFE_INTEGER) => Number.isInteger(v) && v >= min && v <= max;
  check('nTrees', r.nTrees, int(r.nTrees, 1));
  check('maxDepth', r.maxDepth, int(r.maxDepth, 0, 64));
  check('minSamplesLeaf', r.minSamplesLeaf, int(r.minSamplesLeaf, 1));
  const m = r.maxFeatures;
  check('maxFeatures', m, m === 'sqrt' || m === 'log2' || m === 'third' || (typeof m === 'number' && m > 0 && m <= 1));
  check('bootstrap', r.bootstrap, typeof r.bootstrap === 'boolean');
  check('sampleFraction', r.sampleFraction, r.sampleFraction > 0 && r.sampleFraction <= 1);
  check('extraTrees', r.extraTrees, typeof r.extraTrees === 'boolean');
  check('maxBins', r.maxBins, int(r.maxBins, 2, 256));
  check('seed', r.seed, Number.isFinite(r.seed));
  check('testFraction', r.testFraction, r.testFraction >= 0 && r.testFraction < 1);
  return r;
}

/** Features examined per node out of `n` (at least one), as scikit-learn counts them. */
export function featuresPerNode(maxFeatures: ResolvedForestParams['maxFeatures'], n: number): number {
  const m =
    maxFeatures === 'sqrt'
      ? Math.floor(Math.sqrt(n))
      : maxFeatures === 'log2'
        ? Math.floor(Math.log2(n))
        : maxFeatures === 'third'
          ? Math.floor(n / 3)
          : Math.floor(maxFeatures * n);
  return Math.max(1, Math.min(n, m));
}

function check(name: string, value: unknown, ok: boolean): void {
  if (!ok) throw new EngineError('invalid_param', `Invalid ${name}: ${String(value)}`, { param: name, value });
}
