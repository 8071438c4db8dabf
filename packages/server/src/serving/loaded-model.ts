// A model version ready to score: the engine's artifact behind one interface that imported ONNX models share.

import {
  explainRecords,
  hasExactShap,
  predictRecords,
  profileChecker,
  type TrainingProfile,
  validateRecords,
  type FeatureRecord,
  type ModelArtifact,
  type Prediction,
  type RecordExplanation,
  type RecordIssue,
} from '@modelyard/engine';
import type { PredictWarning } from '@modelyard/client';

export interface ScoredBatch {
  predictions: Prediction[];
  warnings: PredictWarning[];
}

export interface LoadedModel {
  /** `native` for the engine's artifacts, `onnx` for imported files. */
  kind: 'native' | 'onnx';
  features: { name: string; type: 'number' | 'category' }[];
  /** Problems that make records unscorable (missing, unexpected or wrong-typed fields). */
  validate(records: unknown[]): RecordIssue[];
  /** Scores validated records. */
  score(records: FeatureRecord[]): Promise<ScoredBatch> | ScoredBatch;
  /** Exact SHAP values of validated records; absent where the model has none (imported ONNX, stacked ensembles). */
  explain?: (records: FeatureRecord[]) => RecordExplanation[];
  /** An imported classifier's labels in output order (once it has scored, if its file does not name them). */
  classes?: () => readonly string[] | undefined;
}

/**
 * The engine's model; with a training profile each scored record is also checked against it (out of range, unseen
 * category, unexpected missing), otherwise only categories the model does not know are flagged.
 */
export function nativeModel(artifact: ModelArtifact, profile?: TrainingProfile | null): LoadedModel {
  const flag = profile ? profileChecker(profile) : unseenCategories(artifact);
  return {
    kind: 'native',
    features: artifact.features.map((f) => ({ name: f.name, type: f.type })),
    validate: (records) => validateRecords(artifact, records),
    score: (records) => ({ predictions: predictRecords(artifact, records), warnings: flag(records) }),
    ...(hasExactShap(artifact) && { explain: (records: FeatureRecord[]) => explainRecords(artifact, records) }),
  };
}

function unseenCategories(artifact: ModelArtifact): (records: readonly FeatureRecord[]) => PredictWarning[] {
  const categories = artifact.features.flatMap((spec) =>
    spec.type === 'category' ? [{ name: spec.name, known: new Set(spec.categories) }] : [],
  );
  return (records) => {
    const warnings: PredictWarning[] = [];
    records.forEach((record, row) => {
      for (const { name, known } of categories) {
        const value = record[name];
        if (typeof value === 'string' && !known.has(value)) {
          warnings.push({ row, field: name, problem: 'unseen_category', value });
        }
      }
    });
    return warnings;
  };
}

/** An imported ONNX model behind the same interface (records are validated by the route before scoring). */
export function onnxModel(scorer: {
  features: { name: string; type: 'number' | 'category' }[];
  validate(records: unknown[]): RecordIssue[];
  score(records: FeatureRecord[]): Promise<Prediction[]>;
  readonly classes?: readonly string[] | undefined;
}): LoadedModel {
  return {
    kind: 'onnx',
    features: scorer.features.map((f) => ({ name: f.name, type: f.type })),
    validate: (records) => scorer.validate(records),
    score: async (records) => ({ predictions: await scorer.score(records), warnings: [] }),
    classes: () => scorer.classes,
  };
}
