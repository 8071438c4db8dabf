// Wire schemas of retraining schedules and their history, checked against the client's types like drift-schemas.ts.

import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type * as Wire from '@modelyard/client';
import { AliasSchema, NameSchema } from './names.js';
import { RunTemplate } from './routes/alert-routes.js';
import { GateRule } from './wire-schemas.js';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Timestamp = Type.String({ format: 'date-time' });

export const NewRetrainSchedule = Type.Object(
  {
    schedule: Type.String({ minLength: 1, maxLength: 100 }),
    runTemplate: RunTemplate,
    registerAs: Type.Optional(NameSchema),
    promoteAlias: Type.Optional(AliasSchema),
  },
  { additionalProperties: false },
);

export const RetrainSchedule = Type.Object({
  id: Type.String(),
  projectId: Type.String(),
  modelId: Type.String(),
  schedule: Type.String(),
  // A CreateRun body or {run}; checked on input by NewRetrainSchedule.
  runTemplate: Type.Record(Type.String(), Type.Unknown()),
  registerAs: Type.String(),
  promoteAlias: Nullable(Type.String()),
  nextRunAt: Nullable(Timestamp),
  createdAt: Timestamp,
  createdBy: Type.String(),
});
export const RetrainScheduleList = Type.Object({ schedules: Type.Array(RetrainSchedule) });

export const RetrainScheduleRun = Type.Object({
  id: Type.String(),
  scheduleId: Type.String(),
  tickAt: Timestamp,
  startedAt: Timestamp,
  status: Type.Union([
    Type.Literal('training'),
    Type.Literal('failed'),
    Type.Literal('registered'),
    Type.Literal('promoted'),
    Type.Literal('gates_failed'),
  ]),
  runId: Nullable(Type.String()),
  model: Type.String(),
  modelVersion: Nullable(Type.Integer()),
  message: Nullable(Type.String()),
  failingGates: Type.Array(Type.Object({ gate: Type.String(), rule: GateRule, reason: Type.String() })),
  finishedAt: Nullable(Timestamp),
});
export const RetrainScheduleRunList = Type.Object({ runs: Type.Array(RetrainScheduleRun) });

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <T extends true>(): T | undefined => undefined;
// The template is a union the input schema checks; the rest must match the client exactly.
same<Same<Omit<Static<typeof RetrainSchedule>, 'runTemplate'>, Omit<Wire.RetrainSchedule, 'runTemplate'>>>();
same<Same<Static<typeof RetrainScheduleRun>, Wire.RetrainScheduleRun>>();
