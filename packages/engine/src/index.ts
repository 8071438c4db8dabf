// The engine's public API: everything a caller may use is exported here, and nothing else is.
// Loading and scoring models: the same API the browser bundle has (scorer.ts).
export * from './scorer.js';

export type { EncodingParams, CategoricalEncoding } from './preprocess/encoding-params.js';
export type { GlmParams } from './glm/glm-params.js';
export { trainGlmModel, type TrainOptions, type TrainResult } from './glm/train-glm-model.js';

export type { GbdtParams } from './gbdt/gbdt-params.js';
export { trainGbdtModel } from './gbdt/train-gbdt-model.js';
export type { TreeTrainOptions } from './gbdt/training-memory.js';
export {
  LONG_SPINS,
  serveHistograms,
  type HelperThreads,
  type HistogramHelperMessage,
} from './gbdt/shared-histograms.js';

export type { ForestParams } from './forest/forest-params.js';
export { trainForestModel } from './forest/train-forest-model.js';

export * from './metrics/index.js';
export * from './validation/index.js';
export * from './tune/index.js';

export * from './automl/index.js';

// Explanations: exact SHAP (trees, GLMs), permutation importance, partial dependence, the stored global explanation.
export * from './explain/index.js';

export * from './drift/index.js';

// Fairness slices: metrics per segment, disparity between segments; the holdout rows of a trained run.
export * from './fairness/index.js';
export { holdoutRows } from './training/holdout-rows.js';

// Exports of trained models to other runtimes (held to the engine's predictions by parity tests).
export { exportOnnx, type OnnxExportOptions } from './export/onnx-export.js';
export { exportJavaScript } from './export/javascript-export.js';
export { exportJava, type JavaExportOptions } from './export/java-export.js';
export { exportSql, sqlScoreColumns, type SqlExportOptions } from './export/sql-export.js';

// What a model saw in training, and per-record flags against it.
export {
  buildTrainingProfile,
  sampleFrame,
  predictionColumn,
  PROFILE_SAMPLE_ROWS,
  type TrainingProfile,
  type FeatureProfile,
  type NumberProfile,
  type CategoryProfile,
} from './profile/training-profile.js';
export { profileChecker, type ProfileFlag, type ProfileProblem } from './profile/out-of-profile.js';
