// Wire schemas of drift reports and monitors, checked against the client's types like wire-schemas.ts does.

import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type * as Wire from '@modelyard/client';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Timestamp = Type.String({ format: 'date-time' });
const TimeText = Type.String({ minLength: 1, maxLength: 40 });

export const DriftTestName = Type.Union([
  Type.Literal('ks'),
  Type.Literal('chisquare'),
  Type.Literal('z'),
  Type.Literal('wasserstein'),
  Type.Literal('jensenshannon'),
  Type.Literal('psi'),
]);
export const DriftColumnOptions = Type.Object(
  { test: Type.Optional(DriftTestName), threshold: Type.Optional(Type.Number({ exclusiveMinimum: 0 })) },
  { additionalProperties: false },
);
const ColumnOptionsMap = Type.Record(Type.String({ minLength: 1, maxLength: 200 }), DriftColumnOptions);
const Share = Type.Number({ exclusiveMinimum: 0, maximum: 1 });
const TrainingReference = Type.Object({ kind: Type.Literal('training') }, { additionalProperties: false });
const WindowReference = Type.Object(
  { kind: Type.Literal('window'), from: TimeText, to: TimeText },
  { additionalProperties: false },
);
const PreviousWindow = Type.Object({ kind: Type.Literal('previous_window') }, { additionalProperties: false });

export const NewDriftRun = Type.Object(
  {
    from: Type.Optional(TimeText),
    to: Type.Optional(TimeText),
    reference: Type.Optional(Type.Union([TrainingReference, WindowReference])),
    columns: Type.Optional(ColumnOptionsMap),
    share: Type.Optional(Share),
  },
  { additionalProperties: false },
);

export const DriftMonitorSettings = Type.Object(
  {
    schedule: Nullable(Type.String({ minLength: 1, maxLength: 100 })),
    window: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,4}(m|h|d)$' })),
    reference: Type.Optional(Type.Union([TrainingReference, PreviousWindow])),
    columns: Type.Optional(ColumnOptionsMap),
    share: Type.Optional(Share),
  },
  { additionalProperties: false },
);

export const DriftColumnResult = Type.Object({
  column: Type.String(),
  kind: Type.Union([Type.Literal('number'), Type.Literal('category')]),
  test: DriftTestName,
  statistic: Type.Number(),
  pValue: Nullable(Type.Number()),
  score: Type.Number(),
  threshold: Type.Number(),
  drifted: Type.Boolean(),
  referenceSize: Type.Integer(),
  currentSize: Type.Integer(),
});

export const DriftReport = Type.Object({
  id: Type.String(),
  endpointId: Type.String(),
  createdAt: Timestamp,
  trigger: Type.Union([Type.Literal('manual'), Type.Literal('schedule')]),
  window: Type.Object({ from: Timestamp, to: Timestamp }),
  reference: Type.Union([
    Type.Object({ kind: Type.Literal('training') }),
    Type.Object({ kind: Type.Literal('window'), from: Timestamp, to: Timestamp }),
  ]),
  modelRef: Nullable(Type.String()),
  currentRows: Type.Integer(),
  referenceRows: Type.Integer(),
  columns: Type.Array(DriftColumnResult),
  prediction: Nullable(DriftColumnResult),
  skipped: Type.Array(Type.Object({ column: Type.String(), reason: Type.String() })),
  driftedColumns: Type.Integer(),
  testedColumns: Type.Integer(),
  share: Type.Number(),
  datasetDrift: Type.Boolean(),
});
export const DriftReportList = Type.Object({ reports: Type.Array(DriftReport) });

export const DriftMonitor = Type.Object({
  endpointId: Type.String(),
  schedule: Nullable(Type.String()),
  window: Type.String(),
  reference: Type.Union([
    Type.Object({ kind: Type.Literal('training') }),
    Type.Object({ kind: Type.Literal('previous_window') }),
  ]),
  columns: Type.Record(
    Type.String(),
    Type.Object({ test: Type.Optional(DriftTestName), threshold: Type.Optional(Type.Number()) }),
  ),
  share: Type.Number(),
  nextRunAt: Nullable(Timestamp),
  updatedAt: Timestamp,
  updatedBy: Type.String(),
});

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <T extends true>(): T | undefined => undefined;
same<Same<Static<typeof DriftReport>, Wire.DriftReport>>();
same<Same<Static<typeof DriftMonitor>, Wire.DriftMonitor>>();
same<Same<Static<typeof NewDriftRun>, Wire.NewDriftRun>>();
same<Same<Static<typeof DriftMonitorSettings>, Wire.DriftMonitorSettings>>();
