// Scores JSON records with an artifact: labels and class probabilities, or values.
import { EngineError } from '../errors.js';
import type { FeatureRecord } from './feature-record.js';
import { classProbabilities, pickLabel } from './class-probabilities.js';
import { recordLinearPredictor } from './linear-scorer.js';
import type { ModelArtifact } from './model-artifact.js';
import { readRecordValue } from './record-values.js';
import { validateRecords } from './validate-records.js';

export type Prediction = { label: string; probabilities: Record<string, number> } | { value: number };

/** Throws `invalid_records` with `{ issues }` when `validateRecords` finds any. */
export function predictRecords(artifact: ModelArtifact, records: FeatureRecord[]): Prediction[] {
  const issues = validateRecords(artifact, records);
  if (issues.length > 0) {
    throw new EngineError('invalid_records', `${issues.length} problem(s) in the records`, { issues });
  }
  return records.map((record) => {
    const values = artifact.features.map((spec) => {
      const read = readRecordValue(spec, record[spec.name]);
      return read.ok ? read.value : null;
    });
    const eta = recordLinearPredictor(artifact, values);
    if (artifact.task === 'regression') return { value: eta };
    const classes = artifact.classes ?? [];
    const probs = classProbabilities(eta);
    const probabilities: Record<string, number> = {};
    classes.forEach((name, k) => (probabilities[name] = probs[k] ?? 0));
    return { label: classes[pickLabel(probs)] ?? '', probabilities };
  });
}
