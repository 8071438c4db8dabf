// The engine's public API: everything a caller may use is exported here, and nothing else is.
export { EngineError, type EngineErrorCode } from './errors.js';

export type { Column, NumericColumn, CategoryColumn } from './frame/column.js';
export { Frame } from './frame/frame.js';

export type { EncodingParams, CategoricalEncoding } from './preprocess/encoding-params.js';
export type { GlmParams } from './glm/glm-params.js';
export { trainGlmModel, type TrainOptions, type TrainResult } from './glm/train-glm-model.js';

export type { GbdtParams } from './gbdt/gbdt-params.js';
export { trainGbdtModel } from './gbdt/train-gbdt-model.js';
export type { TreeTrainOptions } from './gbdt/training-memory.js';
export { serveHistograms, type HelperThreads, type HistogramHelperMessage } from './gbdt/shared-histograms.js';

export type { ForestParams } from './forest/forest-params.js';
export { trainForestModel } from './forest/train-forest-model.js';

export type {
  ModelArtifact,
  FeatureSpec,
  FeatureEncoding,
  NumericEncoding,
  CategoryEncoding,
  Preprocessing,
  TargetEncoding,
  TargetEncodedColumn,
  TargetEncodedOutput,
  GlmModel,
  GbdtModel,
  GbdtObjective,
  GbdtTree,
  ForestModel,
  ForestMetadata,
  ForestArtifact,
  ModelSpec,
  ModelMetadata,
  GbdtMetadata,
  GlmArtifact,
  GbdtArtifact,
  OriginalUnitTerm,
} from './artifact/model-artifact.js';
export type { FeatureValue, FeatureRecord } from './artifact/feature-record.js';
export { validateRecords, type RecordIssue } from './artifact/validate-records.js';
export { predictRecords, type Prediction } from './artifact/predict-records.js';
export { predictFrame } from './artifact/predict-frame.js';
export { parseArtifact } from './artifact/parse-artifact.js';

export * from './metrics/index.js';
export * from './validation/index.js';
