// Hyperparameter search building blocks: spaces, samplers, pruners, importance. Pure functions of a trial history.
export {
  validateSpace,
  parseSpace,
  isActive,
  type ParamValue,
  type Params,
  type Condition,
  type GridPoints,
  type UniformDimension,
  type LogUniformDimension,
  type IntDimension,
  type CategoricalDimension,
  type Dimension,
  type SearchSpace,
} from './space.js';
export type { Direction, TrialState, IntermediateValue, TrialRecord } from './trial-record.js';
export { bestTrial } from './best-trial.js';
export type { Sampler, SuggestOptions } from './samplers/sampler.js';
export { randomSampler } from './samplers/random-sampler.js';
export {
  gridSampler,
  gridSize,
  enumerateGrid,
  MAX_GRID_POINTS,
  type GridSamplerOptions,
} from './samplers/grid-sampler.js';
export { tpeSampler, defaultGamma, type TpeSamplerOptions } from './samplers/tpe-sampler.js';
export { createSampler, type SamplerConfig } from './samplers/create-sampler.js';
export {
  medianPruner,
  percentilePruner,
  successiveHalvingPruner,
  nopPruner,
  createPruner,
  type Pruner,
  type PrunerConfig,
  type PercentilePrunerOptions,
  type SuccessiveHalvingOptions,
} from './pruners.js';
export { paramImportances, type ImportanceOptions } from './importance.js';
