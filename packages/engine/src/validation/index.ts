// The validation room's public surface; the package index re-exports it.
export { holdoutSplit, type HoldoutOptions } from './holdout-split.js';
export type { Fold } from './fold.js';
export { kFold, type KFoldOptions } from './k-fold.js';
export { stratifiedKFold, type StratifiedKFoldOptions } from './stratified-k-fold.js';
export { groupKFold, type GroupKFoldOptions } from './group-k-fold.js';
export { timeSeriesSplit, type TimeSeriesSplitOptions } from './time-series-split.js';
