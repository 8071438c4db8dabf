// The explain room's public surface; the package index re-exports it.
export { explainFrame, hasExactShap } from './explain-frame.js';
export { treeShap } from './tree-shap.js';
export { linearShap } from './linear-shap.js';
export { shapAt, type ShapValues } from './shap-values.js';
export type { PredictFunction, AsyncPredictFunction } from './predict-function.js';
export {
  permutationImportance,
  permutationImportanceAsync,
  type PermutationImportanceOptions,
  type PermutationImportanceSettings,
  type PermutationImportance,
  type FeatureImportance,
} from './permutation-importance.js';
export {
  partialDependence,
  partialDependenceAsync,
  type PartialDependenceOptions,
  type PartialDependenceSettings,
  type PartialDependence,
} from './partial-dependence.js';
export {
  globalExplanation,
  globalExplanationOf,
  explainedModelOf,
  type GlobalExplanationOptions,
  type GlobalExplanation,
  type ExplainedModel,
} from './global-explanation.js';
export { explainRecords, type RecordExplanation } from './explain-records.js';
