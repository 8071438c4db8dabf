// The training algorithms a run may name, with the parameters each accepts; checked before a run is queued.

import { badRequest } from '../errors.js';

export interface ParamSpec {
  kind: 'number' | 'integer' | 'choice' | 'boolean';
  min?: number;
  max?: number;
  /** Named values; on a number parameter they are accepted besides numbers in range. */
  choices?: string[];
}

export interface AlgorithmSpec {
  label: string;
  /** Most classes a classification target may have; null for no limit. */
  maxClasses: number | null;
  params: Record<string, ParamSpec>;
}

const SPLIT_PARAMS: Record<string, ParamSpec> = {
  testFraction: { kind: 'number', min: 0.05, max: 0.9 },
  /** Cross-validate with k folds (metrics are fold means with `_std`), then train the model on every row. */
  cvFolds: { kind: 'integer', min: 2, max: 20 },
  seed: { kind: 'integer', min: 0, max: 2 ** 31 - 1 },
};

/** How category features are encoded; the same choice for every algorithm (the engine's encoding-params.ts). */
const ENCODING_PARAMS: Record<string, ParamSpec> = {
  categoricalEncoding: { kind: 'choice', choices: ['auto', 'native', 'target'] },
  targetSmoothing: { kind: 'number', min: 0, max: 1e6, choices: ['auto'] },
  targetFolds: { kind: 'integer', min: 2, max: 20 },
};

export const ALGORITHMS = {
  glm: {
    label: 'GLM',
    // Binomial over two classes, multinomial over more.
    maxClasses: null,
    params: {
      ...SPLIT_PARAMS,
      ...ENCODING_PARAMS,
      lambda: { kind: 'number', min: 0, max: 1e6 },
      alpha: { kind: 'number', min: 0, max: 1 },
      maxIterations: { kind: 'integer', min: 1, max: 100_000 },
      tolerance: { kind: 'number', min: 1e-12, max: 1 },
      lambdaSearch: { kind: 'boolean' },
      nLambdas: { kind: 'integer', min: 1, max: 1000 },
      lambdaMinRatio: { kind: 'number', min: 1e-8, max: 0.99 },
    },
  },
  gbdt: {
    label: 'GBDT',
    maxClasses: null,
    params: {
      ...SPLIT_PARAMS,
      ...ENCODING_PARAMS,
      objective: { kind: 'choice', choices: ['logistic', 'softmax', 'squared_error', 'absolute_error', 'poisson'] },
      nTrees: { kind: 'integer', min: 1, max: 10_000 },
      maxDepth: { kind: 'integer', min: 0, max: 32 },
      learningRate: { kind: 'number', min: 1e-6, max: 1 },
      maxBins: { kind: 'integer', min: 2, max: 256 },
      lambda: { kind: 'number', min: 0, max: 1e6 },
      alpha: { kind: 'number', min: 0, max: 1e6 },
      minChildWeight: { kind: 'number', min: 0, max: 1e6 },
      minSamplesLeaf: { kind: 'integer', min: 1, max: 10_000_000 },
      subsample: { kind: 'number', min: 0.01, max: 1 },
      colsampleByTree: { kind: 'number', min: 0.01, max: 1 },
      earlyStoppingRounds: { kind: 'integer', min: 0, max: 10_000 },
      growPolicy: { kind: 'choice', choices: ['depthwise', 'lossguide'] },
      maxLeaves: { kind: 'integer', min: 2, max: 65_536 },
    },
  },
  forest: {
    label: 'Random forest',
    maxClasses: null,
    params: {
      ...SPLIT_PARAMS,
      ...ENCODING_PARAMS,
      nTrees: { kind: 'integer', min: 1, max: 10_000 },
      maxDepth: { kind: 'integer', min: 0, max: 64 },
      minSamplesLeaf: { kind: 'integer', min: 1, max: 10_000_000 },
      maxFeatures: { kind: 'number', min: 1e-6, max: 1, choices: ['sqrt', 'log2', 'third'] },
      bootstrap: { kind: 'boolean' },
      sampleFraction: { kind: 'number', min: 0.01, max: 1 },
      extraTrees: { kind: 'boolean' },
      maxBins: { kind: 'integer', min: 2, max: 256 },
    },
  },
} satisfies Record<string, AlgorithmSpec>;

export type AlgorithmName = keyof typeof ALGORITHMS;
export const ALGORITHM_NAMES = Object.keys(ALGORITHMS) as AlgorithmName[];

export type ParamValues = Record<string, number | string | boolean>;

/** Throws `unknown_param` or `invalid_param` for the first parameter the algorithm cannot take. */
export function checkParams(algorithm: AlgorithmName, params: ParamValues): void {
  const spec: AlgorithmSpec = ALGORITHMS[algorithm];
  for (const [key, value] of Object.entries(params)) {
    const param = spec.params[key];
    if (!param) {
      throw badRequest('unknown_param', `${spec.label} has no parameter '${key}'.`, {
        param: key,
        known: Object.keys(spec.params),
      });
    }
    if (!fits(param, value)) {
      throw badRequest('invalid_param', `Parameter '${key}' must be ${describe(param)}.`, { param: key, value });
    }
  }
}

function fits(param: ParamSpec, value: number | string | boolean): boolean {
  if (param.kind === 'boolean') return typeof value === 'boolean';
  if (typeof value === 'string') return (param.choices ?? []).includes(value);
  if (param.kind === 'choice') return false;
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (param.kind === 'integer' && !Number.isInteger(value)) return false;
  return value >= (param.min ?? -Infinity) && value <= (param.max ?? Infinity);
}

function describe(param: ParamSpec): string {
  if (param.kind === 'boolean') return 'true or false';
  if (param.kind === 'choice') return `one of ${(param.choices ?? []).join(', ')}`;
  const range = `${param.kind === 'integer' ? 'an integer' : 'a number'} in [${param.min}, ${param.max}]`;
  return param.choices ? `${range} or one of ${param.choices.join(', ')}` : range;
}
