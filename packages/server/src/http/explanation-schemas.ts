// Wire schema of a version's global explanation, checked against the client's type like wire-schemas.ts does.

import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type * as Wire from '@modelyard/client';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const VersionExplanation = Type.Object({
  version: Type.Literal(1),
  model: Type.String(),
  features: Type.Array(Type.String()),
  rows: Type.Integer(),
  shap: Nullable(
    Type.Object({
      space: Type.Union([Type.Literal('margin'), Type.Literal('mean')]),
      outputs: Type.Array(Type.String()),
      expected: Type.Array(Type.Number()),
      meanAbs: Type.Array(
        Type.Object({ feature: Type.String(), values: Type.Array(Type.Number()), total: Type.Number() }),
      ),
    }),
  ),
  permutation: Nullable(
    Type.Object({
      metric: Type.Union([Type.Literal('log_loss'), Type.Literal('multiclass_log_loss'), Type.Literal('rmse')]),
      greaterIsBetter: Type.Literal(false),
      baseline: Type.Number(),
      repeats: Type.Integer(),
      importances: Type.Array(Type.Object({ feature: Type.String(), mean: Type.Number(), std: Type.Number() })),
    }),
  ),
  partialDependence: Type.Array(
    Type.Object({
      feature: Type.String(),
      kind: Type.Union([Type.Literal('number'), Type.Literal('category')]),
      grid: Type.Union([Type.Array(Type.Number()), Type.Array(Type.String())]),
      outputs: Type.Integer(),
      mean: Type.Array(Type.Array(Type.Number())),
      ice: Type.Array(Type.Object({ row: Type.Integer(), values: Type.Array(Type.Array(Type.Number())) })),
      rows: Type.Integer(),
    }),
  ),
  computedAt: Type.String({ format: 'date-time' }),
  runId: Type.String(),
  datasetVersion: Type.String(),
});

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <T extends true>(): T | undefined => undefined;
same<Same<Static<typeof VersionExplanation>, Wire.VersionExplanation>>();

const Name = Type.String({ minLength: 1, maxLength: 300 });
export const NewVersionExplanation = Type.Object(
  {
    dataset: Type.Optional(Name),
    version: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    target: Type.Optional(Name),
  },
  { additionalProperties: false },
);
same<Same<Static<typeof NewVersionExplanation>, Wire.NewVersionExplanation>>();
