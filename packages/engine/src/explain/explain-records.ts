// Per-prediction explanations of JSON records (what an endpoint's `explain=true` returns): exact SHAP values per
// feature and output, the records read exactly as predictRecords reads them.

import { EngineError } from '../errors.js';
import type { Column } from '../frame/column.js';
import { Frame } from '../frame/frame.js';
import type { FeatureRecord } from '../artifact/feature-record.js';
import type { ModelArtifact } from '../artifact/model-artifact.js';
import { readRecordValue } from '../artifact/record-values.js';
import { validateRecords } from '../artifact/validate-records.js';
import { explainFrame } from './explain-frame.js';

export interface RecordExplanation {
  /** 'margin' (GBDT raw score, GLM linear predictor) or 'mean' (a forest's average of its trees). */
  space: 'margin' | 'mean';
  /** What each value explains: the target, the positive class, or each class. */
  outputs: string[];
  /** The baseline per output; baseline + the contributions = the model's raw output for the record. */
  expected: number[];
  /** Per feature, its contribution to each output. */
  contributions: Record<string, number[]>;
}

/** The records as a frame of the artifact's features (categories over the training ones, unseen ones past them). */
function recordFrame(artifact: ModelArtifact, records: readonly FeatureRecord[]): Frame {
  return Frame.fromColumns(
    artifact.features.map((spec): Column => {
      const values = records.map((record) => {
        const read = readRecordValue(spec, record[spec.name]);
        return read.ok ? read.value : null;
      });
      if (spec.type === 'number') {
        return { kind: 'number', name: spec.name, values: Float64Array.from(values, (v) => (v ?? NaN) as number) };
      }
      const dictionary = [...spec.categories];
      const index = new Map(dictionary.map((c, i) => [c, i]));
      const codes = Int32Array.from(values, (v) => {
        if (v === null) return -1;
        const text = String(v);
        let code = index.get(text);
        if (code === undefined) {
          code = dictionary.length;
          dictionary.push(text);
          index.set(text, code);
        }
        return code;
      });
      return { kind: 'category', name: spec.name, codes, dictionary };
    }),
  );
}

/** One explanation per record; throws `invalid_records` like predictRecords, `invalid_input` for stacked models. */
export function explainRecords(artifact: ModelArtifact, records: readonly FeatureRecord[]): RecordExplanation[] {
  const issues = validateRecords(artifact, records as FeatureRecord[]);
  if (issues.length > 0) {
    throw new EngineError('invalid_records', `${issues.length} problem(s) in the records`, { issues });
  }
  const values = explainFrame(artifact, recordFrame(artifact, records));
  const f = values.features.length;
  const k = values.outputs.length;
  return Array.from({ length: values.nRows }, (_, i) => {
    const contributions: Record<string, number[]> = {};
    values.features.forEach((feature, j) => {
      contributions[feature] = Array.from({ length: k }, (_, c) => values.contributions[(i * f + j) * k + c]!);
    });
    return { space: values.space, outputs: values.outputs, expected: values.expected, contributions };
  });
}
