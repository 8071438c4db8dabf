// Wire schemas of fairness slices (per version and per endpoint), checked against the client's types like
// wire-schemas.ts does.

import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type * as Wire from '@modelyard/client';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Timestamp = Type.String({ format: 'date-time' });
const ColumnName = Type.String({ minLength: 1, maxLength: 300 });

const groupFields = {
  count: Type.Integer(),
  share: Type.Number(),
  positives: Nullable(Type.Integer()),
  selectionRate: Nullable(Type.Number()),
  truePositiveRate: Nullable(Type.Number()),
  falsePositiveRate: Nullable(Type.Number()),
  accuracy: Nullable(Type.Number()),
  auc: Nullable(Type.Number()),
  rmse: Nullable(Type.Number()),
  mae: Nullable(Type.Number()),
};
export const FairnessGroupMetrics = Type.Object(groupFields);
export const FairnessGroup = Type.Object({ ...groupFields, values: Type.Array(Type.String()), small: Type.Boolean() });
export const FairnessDisparity = Type.Object({
  groups: Type.Integer(),
  demographicParityRatio: Nullable(Type.Number()),
  demographicParityDifference: Nullable(Type.Number()),
  equalOpportunityRatio: Nullable(Type.Number()),
  equalOpportunityDifference: Nullable(Type.Number()),
  equalizedOddsDifference: Nullable(Type.Number()),
});
export const FairnessTable = Type.Object({
  columns: Type.Array(Type.String()),
  groups: Type.Array(FairnessGroup),
  disparity: FairnessDisparity,
});
const sliceFields = {
  task: Type.Union([Type.Literal('classification'), Type.Literal('regression')]),
  positiveClass: Nullable(Type.String()),
  minGroupSize: Type.Integer(),
  overall: FairnessGroupMetrics,
  bins: Type.Array(Type.Object({ column: Type.String(), edges: Type.Array(Type.Number()) })),
  tables: Type.Array(FairnessTable),
};
export const FairnessSlices = Type.Object(sliceFields);

export const NewVersionFairness = Type.Object(
  {
    columns: Type.Array(ColumnName, { minItems: 1, maxItems: 2 }),
    positiveClass: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    minGroupSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  },
  { additionalProperties: false },
);
export const VersionFairness = Type.Object({
  ...sliceFields,
  rows: Type.Union([Type.Literal('all'), Type.Literal('holdout')]),
  computedAt: Timestamp,
  runId: Type.String(),
  datasetVersion: Type.String(),
});

export const EndpointFairnessQuery = Type.Object({
  column: ColumnName,
  from: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  to: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  positiveClass: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
  minGroupSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
});
export const EndpointFairness = Type.Object({
  ...sliceFields,
  endpointId: Type.String(),
  from: Timestamp,
  to: Timestamp,
  records: Type.Integer(),
});

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <T extends true>(): T | undefined => undefined;
same<Same<Static<typeof FairnessSlices>, Wire.FairnessSlices>>();
same<Same<Static<typeof NewVersionFairness>, Wire.NewVersionFairness>>();
same<Same<Static<typeof VersionFairness>, Wire.VersionFairness>>();
same<Same<Static<typeof EndpointFairnessQuery>, Wire.EndpointFairnessQuery>>();
same<Same<Static<typeof EndpointFairness>, Wire.EndpointFairness>>();
