// Comparing runs side by side: the params that differ, each metric's latest value per run, and metric curves
// (downsampled) to overlay.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { MetricValue, RunComparison } from '@modelyard/client';
import { projectByName } from '../../auth/access.js';
import { notFound } from '../../errors.js';
import type { Services } from '../../services.js';
import type { MetadataStore, RunRecord } from '../../store/metadata-store.js';
import { metricValueOf } from '../../store/run-store.js';
import { routeSchema } from '../fastify-types.js';
import { IdSchema, NameSchema } from '../names.js';
import * as W from '../wire-schemas.js';

const CompareBody = Type.Object(
  {
    runs: Type.Array(IdSchema, { minItems: 1, maxItems: 100 }),
    /** Metrics whose whole curves to return, downsampled to at most `points` points per run. */
    curves: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 250 }), { maxItems: 20 })),
    points: Type.Optional(Type.Integer({ minimum: 2, maximum: 10_000, default: 500 })),
  },
  { additionalProperties: false },
);

/** At most `max` points, evenly spaced over the curve, always keeping the first and the last. */
export function downsample<T>(points: T[], max: number): T[] {
  if (points.length <= max) return points;
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(points[Math.round((i * (points.length - 1)) / (max - 1))]!);
  return out;
}

async function curveOf(store: MetadataStore, runId: string, key: string, max: number) {
  const steps: number[] = [];
  const values: MetricValue[] = [];
  let afterId: number | undefined;
  for (;;) {
    const page = await store.metricHistoryColumns(runId, key, {
      limit: 50_000,
      ...(afterId !== undefined && { afterId }),
    });
    for (let i = 0; i < page.values.length; i++) {
      steps.push(page.steps[i]!);
      values.push(metricValueOf(page.values[i]!));
    }
    if (page.lastId === null || page.values.length < 50_000) break;
    afterId = page.lastId;
  }
  const kept = downsample(
    steps.map((step, i) => ({ step, value: values[i]! })),
    max,
  );
  return { runId, points: kept, total: steps.length };
}

export function compareRoutes(app: FastifyInstance, services: Services): void {
  const { store } = services;

  app.post<{ Params: { project: string }; Body: Static<typeof CompareBody> }>(
    '/projects/:project/runs/compare',
    {
      schema: routeSchema('runs', {
        params: Type.Object({ project: NameSchema }),
        body: CompareBody,
        response: W.replies(200, W.RunComparison),
        description:
          'Params side by side (with which differ), the latest value of every metric per run, and the named ' +
          "metrics' curves downsampled to `points` per run.",
      }),
    },
    async (request) => {
      const { project } = await projectByName(store, request.user, request.params.project, 'viewer');
      const runs: RunRecord[] = [];
      for (const id of new Set(request.body.runs)) {
        const run = await store.getRun(id);
        // Another project's run is as unknown as a missing one.
        if (!run || run.projectId !== project.id) throw notFound('run', id);
        runs.push(run);
      }
      const table = (pick: (r: RunRecord) => Record<string, unknown>) => {
        const keys = [...new Set(runs.flatMap((r) => Object.keys(pick(r))))].sort();
        return keys.map((key) => {
          const values = Object.fromEntries(runs.map((r) => [r.id, pick(r)[key] ?? null]));
          const distinct = new Set(runs.map((r) => JSON.stringify(pick(r)[key] ?? null)));
          return { key, values, differs: distinct.size > 1 };
        });
      };
      const max = request.body.points ?? 500;
      const curves = [];
      for (const key of request.body.curves ?? []) {
        curves.push({ key, runs: await Promise.all(runs.map((r) => curveOf(store, r.id, key, max))) });
      }
      const comparison: RunComparison = {
        runs: runs.map((r) => ({ id: r.id, name: r.name, status: r.status, experimentId: r.experimentId })),
        params: table((r) => r.params) as RunComparison['params'],
        metrics: table((r) => r.metrics) as RunComparison['metrics'],
        curves,
      };
      return comparison;
    },
  );
}
