// The explain room's public surface; the package index re-exports it.
export { explainFrame, hasExactShap } from './explain-frame.js';
export { treeShap } from './tree-shap.js';
export { linearShap } from './linear-shap.js';
export { shapAt, type ShapValues } from './shap-values.js';
export type { PredictFunction } from './predict-function.js';
export {
  permutationImportance,
  type PermutationImportanceOptions,
  type PermutationImportance,
  type FeatureImportance,
} from './permutation-importance.js';
export { partialDependence, type PartialDependenceOptions, type PartialDependence } from './partial-dependence.js';
export { globalExplanation, type GlobalExplanationOptions, type GlobalExplanation } from './global-explanation.js';
export { explainRecords, type RecordExplanation } from './explain-records.js';
