// The predict request as every endpoint takes it (the platform's and `modelyard serve`): records or columns, checked
// against the model's schema with a reason per field.

import { Type, type Static } from '@sinclair/typebox';
import { badRequest, type ModelyardError } from '../errors.js';
import type { LoadedModel } from './loaded-model.js';

const MAX_ROWS = 10_000;
export const Predict = Type.Object(
  {
    records: Type.Optional(
      Type.Array(Type.Object({}, { additionalProperties: true }), { minItems: 1, maxItems: MAX_ROWS }),
    ),
    /** Columnar: one array per feature, all of the same length. */
    columns: Type.Optional(Type.Record(Type.String(), Type.Array(Type.Unknown(), { maxItems: MAX_ROWS }))),
  },
  { additionalProperties: false },
);
/** Predict bodies above this are refused with 413 before they are parsed. */
export const PREDICT_BODY_LIMIT = 8 * 1024 * 1024;

/** Columnar payloads become records; every column must have the same length. */
export function recordsOf(body: Static<typeof Predict>): unknown[] {
  if (body.records !== undefined && body.columns !== undefined) {
    throw badRequest('invalid_request', 'Send either records or columns, not both.');
  }
  if (body.records !== undefined) return body.records;
  const columns = Object.entries(body.columns ?? {});
  const length = columns[0]?.[1].length ?? 0;
  if (length === 0) throw badRequest('invalid_request', 'Send records (a non-empty array) or non-empty columns.');
  const uneven = columns.find(([, values]) => values.length !== length);
  if (uneven) {
    throw badRequest(
      'invalid_request',
      `Column '${uneven[0]}' has ${uneven[1].length} values; '${columns[0]![0]}' has ${length}.`,
    );
  }
  return Array.from({ length }, (_, i) => {
    const record: Record<string, unknown> = {};
    for (const [name, values] of columns) record[name] = values[i];
    return record;
  });
}

export function invalidRecords(issues: ReturnType<LoadedModel['validate']>, model: LoadedModel): ModelyardError {
  const first = issues[0]!;
  return badRequest(
    'invalid_records',
    `Record ${first.row}: field '${first.field}' is ${first.problem.replace('_', ' ')}` +
      (first.expected ? ` (expected ${first.expected})` : '') +
      (issues.length > 1 ? `, and ${issues.length - 1} more issue(s).` : '.'),
    { issues: issues.slice(0, 100), features: model.features },
  );
}
