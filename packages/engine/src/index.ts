// The engine's public API: everything a caller may use is exported here, and nothing else is.
export { EngineError, type EngineErrorCode } from './errors.js';

export type { Column, NumericColumn, CategoryColumn } from './frame/column.js';
export { Frame } from './frame/frame.js';

export type { GlmParams } from './glm/glm-params.js';
export { trainGlmModel, type TrainOptions, type TrainResult } from './glm/train-glm-model.js';

export type {
  ModelArtifact,
  FeatureSpec,
  FeatureEncoding,
  NumericEncoding,
  CategoryEncoding,
  Preprocessing,
  GlmModel,
  ModelSpec,
  ModelMetadata,
  OriginalUnitTerm,
} from './artifact/model-artifact.js';
export type { FeatureValue, FeatureRecord } from './artifact/feature-record.js';
export { validateRecords, type RecordIssue } from './artifact/validate-records.js';
export { predictRecords, type Prediction } from './artifact/predict-records.js';
export { predictFrame } from './artifact/predict-frame.js';
export { parseArtifact } from './artifact/parse-artifact.js';

export { rocAuc } from './metrics/roc-auc.js';
export { prAuc } from './metrics/pr-auc.js';
export { logLoss } from './metrics/log-loss.js';
export { accuracy } from './metrics/accuracy.js';
export { rmse } from './metrics/rmse.js';
export { mae } from './metrics/mae.js';
export { r2 } from './metrics/r2.js';

export { holdoutSplit, type HoldoutOptions } from './validation/holdout-split.js';
