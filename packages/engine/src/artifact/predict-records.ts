// Scores JSON records with an artifact: labels and class probabilities, or values. A stacked ensemble scores the
// records with every base, then its meta GLM on their outputs.
import { EngineError } from '../errors.js';
import { targetEncodeRows } from '../preprocess/apply-target-encoding.js';
import type { FeatureRecord } from './feature-record.js';
import { classProbabilities, pickLabel, softmaxRows } from './class-probabilities.js';
import { portableExp } from './portable-exp.js';
import { forestOutputs } from './forest-outputs.js';
import { isForestArtifact, isGbdtArtifact, isStackedArtifact } from './is-gbdt-artifact.js';
import { recordLinearPredictor, recordLinearPredictors } from './linear-scorer.js';
import type { ModelArtifact, SingleModelArtifact, StackedArtifact } from './model-artifact.js';
import { metaRecords, outputsPerRow } from './stacked-features.js';
import { modelView } from './model-view.js';
import { readRecordValue } from './record-values.js';
import { forestMargins, marginsPerRow, marginsToOutputs, recordTreeColumns } from './tree-scorer.js';
import { validateRecords } from './validate-records.js';

export type Prediction = { label: string; probabilities: Record<string, number> } | { value: number };

/** Throws `invalid_records` with `{ issues }` when `validateRecords` finds any. */
export function predictRecords(artifact: ModelArtifact, records: FeatureRecord[]): Prediction[] {
  const issues = validateRecords(artifact, records);
  if (issues.length > 0) {
    throw new EngineError('invalid_records', `${issues.length} problem(s) in the records`, { issues });
  }
  if (isStackedArtifact(artifact)) return scoreStacked(artifact, records);
  const read = records.map((record) =>
    artifact.features.map((spec) => {
      const value = readRecordValue(spec, record[spec.name]);
      return value.ok ? value.value : null;
    }),
  );
  const encoding = artifact.preprocessing.targetEncoding;
  const rows = encoding === undefined ? read : targetEncodeRows(encoding, artifact.features, read);
  return scoreModelRows(modelView(artifact), rows);
}

/** Rows in model-column order (target encoding already applied) scored by the model. */
function scoreModelRows(artifact: SingleModelArtifact, rows: (number | string | null)[][]): Prediction[] {
  // Trees score all records in one columnar pass (the same kernel as predictFrame, so both agree exactly).
  if (isForestArtifact(artifact)) {
    const k = marginsPerRow(artifact);
    const sums = forestMargins(artifact, recordTreeColumns(artifact, rows), rows.length);
    const outputs = forestOutputs(artifact.task, sums, k, artifact.model.trees.length);
    if (artifact.task === 'regression') return Array.from(outputs, (value) => ({ value }));
    const classes = artifact.classes ?? [];
    return rows.map((_, i) => {
      const row = k === 1 ? [1 - outputs[i]!, outputs[i]!] : Array.from(outputs.subarray(i * k, i * k + k));
      const probabilities: Record<string, number> = {};
      classes.forEach((name, c) => (probabilities[name] = row[c] ?? 0));
      return { label: classes[pickLabel(row)] ?? '', probabilities };
    });
  }
  if (isGbdtArtifact(artifact) && artifact.model.objective === 'softmax') {
    const k = marginsPerRow(artifact);
    const probs = marginsToOutputs(
      'softmax',
      forestMargins(artifact, recordTreeColumns(artifact, rows), rows.length),
      k,
    );
    const classes = artifact.classes ?? [];
    return rows.map((_, i) => {
      const row = Array.from(probs.subarray(i * k, i * k + k));
      const probabilities: Record<string, number> = {};
      classes.forEach((name, c) => (probabilities[name] = row[c] ?? 0));
      return { label: classes[pickLabel(row)] ?? '', probabilities };
    });
  }
  if (!isGbdtArtifact(artifact) && artifact.model.family === 'multinomial') {
    const classes = artifact.classes ?? [];
    return rows.map((values) => {
      const row = Array.from(softmaxRows(Float64Array.from(recordLinearPredictors(artifact, values)), classes.length));
      const probabilities: Record<string, number> = {};
      classes.forEach((name, c) => (probabilities[name] = row[c] ?? 0));
      return { label: classes[pickLabel(row)] ?? '', probabilities };
    });
  }
  const margins = isGbdtArtifact(artifact)
    ? forestMargins(artifact, recordTreeColumns(artifact, rows), rows.length)
    : Float64Array.from(rows, (values) => recordLinearPredictor(artifact, values));
  return Array.from(margins, (eta): Prediction => {
    if (artifact.task === 'regression') {
      return { value: isGbdtArtifact(artifact) && artifact.model.objective === 'poisson' ? portableExp(eta) : eta };
    }
    const classes = artifact.classes ?? [];
    const probs = classProbabilities(eta);
    const probabilities: Record<string, number> = {};
    classes.forEach((name, k) => (probabilities[name] = probs[k] ?? 0));
    return { label: classes[pickLabel(probs)] ?? '', probabilities };
  });
}

/**
 * Each base scores the records cut down to its own features (so another base's features are not `unexpected`); the
 * meta GLM then scores their outputs. Record and batch scoring of every model agree exactly, so this agrees with
 * predictFrame.
 */
function scoreStacked(artifact: StackedArtifact, records: FeatureRecord[]): Prediction[] {
  const { bases, meta } = artifact.model;
  const classes = artifact.classes;
  const w = outputsPerRow(classes);
  const outputs = bases.map((base) => {
    const subset = records.map((record) => Object.fromEntries(base.features.map((f) => [f.name, record[f.name]!])));
    const values = new Float64Array(records.length * w);
    predictRecords(base, subset).forEach((p, i) => {
      if ('value' in p) values[i] = p.value;
      else if (w === 1) values[i] = p.probabilities[classes?.[1] ?? '']!;
      else classes?.forEach((c, k) => (values[i * w + k] = p.probabilities[c]!));
    });
    return values;
  });
  return predictRecords(meta, metaRecords(outputs, records.length, classes));
}
