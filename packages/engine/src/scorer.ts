// The scoring-only entry: load an artifact and score records or frames, with no training code (the browser bundle).
export { EngineError, type EngineErrorCode } from './errors.js';

export type { Column, NumericColumn, CategoryColumn } from './frame/column.js';
export { Frame } from './frame/frame.js';

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
  SingleModelArtifact,
  StackedArtifact,
  StackedModel,
  StackedMetadata,
  ModelSpec,
  ModelMetadata,
  GbdtMetadata,
  GlmArtifact,
  GbdtArtifact,
  OriginalUnitTerm,
} from './artifact/model-artifact.js';
export type { FeatureValue, FeatureRecord } from './artifact/feature-record.js';
export { parseArtifact } from './artifact/parse-artifact.js';
export { validateRecords, type RecordIssue } from './artifact/validate-records.js';
export { predictRecords, type Prediction } from './artifact/predict-records.js';
export { predictFrame } from './artifact/predict-frame.js';
