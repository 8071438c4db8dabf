// Wire schemas of the accuracy series, checked against the client's types like drift-schemas.ts does.

import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type * as Wire from '@modelyard/client';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Timestamp = Type.String({ format: 'date-time' });
const TimeText = Type.String({ minLength: 1, maxLength: 40 });
const Duration = Type.String({ minLength: 2, maxLength: 10 });

export const LabelledMetricName = Type.Union([
  Type.Literal('accuracy'),
  Type.Literal('log_loss'),
  Type.Literal('auc'),
  Type.Literal('rmse'),
  Type.Literal('mae'),
  Type.Literal('r2'),
]);

export const AccuracyQuery = Type.Object(
  {
    from: Type.Optional(TimeText),
    to: Type.Optional(TimeText),
    bucket: Type.Optional(Duration),
    window: Type.Optional(Duration),
  },
  { additionalProperties: false },
);

const Metric = Type.Optional(Nullable(Type.Number()));
export const LabelledWindow = Type.Object({
  from: Timestamp,
  to: Timestamp,
  count: Type.Integer(),
  metrics: Type.Object({
    accuracy: Metric,
    log_loss: Metric,
    auc: Metric,
    rmse: Metric,
    mae: Metric,
    r2: Metric,
  }),
});

export const AccuracyBucket = Type.Composite([
  LabelledWindow,
  Type.Object({
    rolling: Nullable(LabelledWindow),
    routes: Type.Object({ primary: LabelledWindow, canary: LabelledWindow }),
  }),
]);

export const AccuracySeries = Type.Object({
  endpointId: Type.String(),
  from: Timestamp,
  to: Timestamp,
  bucket: Type.String(),
  window: Nullable(Type.String()),
  task: Nullable(Type.Union([Type.Literal('classification'), Type.Literal('regression')])),
  metrics: Type.Array(LabelledMetricName),
  buckets: Type.Array(AccuracyBucket),
  records: Type.Integer(),
  truncated: Type.Boolean(),
});

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <T extends true>(): T | undefined => undefined;
same<Same<Static<typeof AccuracySeries>, Wire.AccuracySeries>>();
same<Same<Static<typeof AccuracyQuery>, Wire.AccuracyQuery>>();
