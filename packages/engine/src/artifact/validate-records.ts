// Checks JSON records against an artifact's feature schema before scoring.
import type { ModelArtifact } from './model-artifact.js';
import { isPlainObject, readRecordValue } from './record-values.js';

export interface RecordIssue {
  row: number;
  /** The offending key; '' when the record itself is not a plain object. */
  field: string;
  problem: 'missing' | 'unexpected' | 'wrong_type';
  expected?: 'number' | 'string';
}

/**
 * Every feature must be present (null = missing value); keys other than the features, the target and columns the
 * model dropped at training are `unexpected`. Issues come per record: features in schema order, then extra keys.
 */
export function validateRecords(artifact: ModelArtifact, records: unknown[]): RecordIssue[] {
  const known = new Set<string>([
    ...artifact.features.map((f) => f.name),
    artifact.target,
    ...artifact.metadata.droppedColumns.map((d) => d.name),
  ]);
  const issues: RecordIssue[] = [];
  records.forEach((record, row) => {
    if (!isPlainObject(record)) {
      issues.push({ row, field: '', problem: 'wrong_type' });
      return;
    }
    for (const spec of artifact.features) {
      if (!Object.hasOwn(record, spec.name)) {
        issues.push({ row, field: spec.name, problem: 'missing' });
        continue;
      }
      const read = readRecordValue(spec, record[spec.name]);
      if (!read.ok) issues.push({ row, field: spec.name, problem: 'wrong_type', expected: read.expected });
    }
    for (const key of Object.keys(record)) {
      if (!known.has(key)) issues.push({ row, field: key, problem: 'unexpected' });
    }
  });
  return issues;
}
