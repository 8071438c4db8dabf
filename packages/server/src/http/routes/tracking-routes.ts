// Tracking: runs logged from outside (SDK, notebooks, jobs) — create, log params/metrics/tags in batches, end, delete
// and restore, metric history (paged, or streamed as NDJSON), and run search with the filter language.

import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { MetricPoint, Run, RunInput } from '@modelyard/client';
import { projectByName } from '../../auth/access.js';
import { badRequest, conflict, notFound } from '../../errors.js';
import type { Services } from '../../services.js';
import { newId } from '../../store/ids.js';
import { NOT_TRAINED, ParamConflictError, type RunRecord, type StoredMetricPoint } from '../../store/metadata-store.js';
import { metricValueOf } from '../../store/run-store.js';
import { FilterSyntaxError, parseOrderBy, parseRunFilter } from '../../tracking/run-filter.js';
import { decodeNumberCursor, encodeCursor } from '../cursor.js';
import { routeSchema } from '../fastify-types.js';
import { IdSchema, NameSchema } from '../names.js';
import { presentRun } from '../present.js';
import * as W from '../wire-schemas.js';
import { experimentById, TagKey, TagMap } from './experiment-routes.js';
import { datasetFor } from './dataset-routes.js';
import { pickVersion, runFor } from './run-routes.js';

/** MLflow's limits for one batch, so a batch accepted here is accepted there and back. */
export const BATCH_LIMITS = { metrics: 1000, params: 100, tags: 100 } as const;
const PARAM_VALUE_MAX = 6000;

const MetricKey = Type.String({ pattern: '^[A-Za-z0-9_.:/ -]{1,250}$' });
const MetricValueIn = Type.Union([
  Type.Number(),
  Type.Literal('NaN'),
  Type.Literal('Infinity'),
  Type.Literal('-Infinity'),
]);
const RunParams = Type.Object({ run: IdSchema });
const TagParams = Type.Object({ run: IdSchema, key: TagKey });
const ExperimentParams = Type.Object({ experiment: IdSchema });
const ProjectParams = Type.Object({ project: NameSchema });
const CreateTrackedRun = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 250 })),
    parentRunId: Type.Optional(IdSchema),
    tags: Type.Optional(TagMap),
    /** Milliseconds since the epoch; now when left out. */
    startTime: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
const LogBatch = Type.Object(
  {
    params: Type.Optional(Type.Record(MetricKey, Type.String({ maxLength: PARAM_VALUE_MAX }))),
    metrics: Type.Optional(
      Type.Array(
        Type.Object(
          {
            key: MetricKey,
            value: MetricValueIn,
            step: Type.Optional(Type.Integer()),
            timestamp: Type.Optional(Type.Integer({ minimum: 0 })),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    tags: Type.Optional(TagMap),
  },
  { additionalProperties: false },
);
const LogInputs = Type.Object(
  {
    inputs: Type.Array(
      Type.Object(
        {
          /** Dataset name or id in the run's project. */
          dataset: Type.String({ minLength: 1, maxLength: 100 }),
          /** Version hash or a unique prefix; the latest when left out. */
          version: Type.Optional(Type.String({ pattern: '^[0-9a-f]{4,64}$' })),
          context: Type.Optional(Type.String({ maxLength: 100 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: 100 },
    ),
  },
  { additionalProperties: false },
);
const UpdateRun = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 250 })),
    status: Type.Optional(
      Type.Union([Type.Literal('running'), Type.Literal('succeeded'), Type.Literal('failed'), Type.Literal('killed')]),
    ),
    /** Milliseconds since the epoch; when the status ends the run and this is left out, now. */
    endTime: Type.Optional(Type.Integer({ minimum: 0 })),
    lifecycleStage: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('deleted')])),
  },
  { additionalProperties: false },
);
const HistoryQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 25_000, default: 10_000 })),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
  /** `ndjson` streams every point, one JSON object per line, without paging. */
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('ndjson')])),
});
const SearchBody = Type.Object(
  {
    /** Experiment ids or names in the project; all of the project's experiments when left out. */
    experiments: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 500 }), { maxItems: 100 })),
    filter: Type.Optional(Type.String({ maxLength: 20_000 })),
    orderBy: Type.Optional(Type.Array(Type.String({ maxLength: 500 }), { maxItems: 10 })),
    stage: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('deleted'), Type.Literal('all')])),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
  },
  { additionalProperties: false },
);

const ENDED = new Set(['succeeded', 'failed', 'killed']);

const toNumber = (v: number | 'NaN' | 'Infinity' | '-Infinity'): number =>
  typeof v === 'number' ? v : v === 'NaN' ? NaN : v === 'Infinity' ? Infinity : -Infinity;

const wirePoint = (p: StoredMetricPoint): MetricPoint => ({
  key: p.key,
  value: metricValueOf(p.value),
  timestamp: p.timestamp,
  step: p.step,
});

/** A run that takes logging: not deleted, in an experiment that is not deleted. */
async function writableRun(services: Services, run: RunRecord): Promise<void> {
  if (run.lifecycleStage === 'deleted') {
    throw badRequest('run_deleted', `Run '${run.id}' is deleted; restore it before logging to it.`);
  }
  const experiment = await services.store.getExperiment(run.experimentId);
  if (experiment?.lifecycleStage === 'deleted') {
    throw badRequest('experiment_deleted', `The experiment of run '${run.id}' is deleted; restore it first.`);
  }
}

/** MLflow's rule for metric, param and tag names: letters, digits and `_ - . : / ` and space, up to 250. */
const KEY_PATTERN = /^[A-Za-z0-9_.:/ -]{1,250}$/;

function checkKeys(kind: string, keys: string[]): void {
  const bad = keys.find((key) => !KEY_PATTERN.test(key));
  if (bad !== undefined) {
    throw badRequest(
      'invalid_key',
      `Invalid ${kind} name '${bad}': use letters, digits, underscores, dashes, periods, colons, slashes and spaces ` +
        '(at most 250 characters).',
      { kind, key: bad },
    );
  }
}

function checkBatch(body: Static<typeof LogBatch>): void {
  checkKeys('param', Object.keys(body.params ?? {}));
  checkKeys('tag', Object.keys(body.tags ?? {}));
  const counts = {
    metrics: body.metrics?.length ?? 0,
    params: Object.keys(body.params ?? {}).length,
    tags: Object.keys(body.tags ?? {}).length,
  };
  for (const kind of ['metrics', 'params', 'tags'] as const) {
    if (counts[kind] > BATCH_LIMITS[kind]) {
      throw badRequest(
        'batch_too_large',
        `A batch can hold at most ${BATCH_LIMITS[kind]} ${kind}; got ${counts[kind]}. Split it across requests.`,
        { kind, limit: BATCH_LIMITS[kind], count: counts[kind] },
      );
    }
  }
}

export function trackingRoutes(app: FastifyInstance, services: Services): void {
  const { store } = services;

  app.post<{ Params: Static<typeof ExperimentParams>; Body: Static<typeof CreateTrackedRun> }>(
    '/experiments/:experiment/runs',
    {
      schema: routeSchema('runs', {
        params: ExperimentParams,
        body: CreateTrackedRun,
        response: W.replies(201, W.Run),
        description: 'Start a tracked run (status running) to log params, metrics and tags to.',
      }),
    },
    async (request, reply) => {
      const experiment = await experimentById(services, request.user, request.params.experiment, 'editor');
      if (experiment.lifecycleStage === 'deleted') {
        throw badRequest('experiment_deleted', `Experiment '${experiment.name}' is deleted; restore it first.`);
      }
      const { parentRunId } = request.body;
      checkKeys('tag', Object.keys(request.body.tags ?? {}));
      if (parentRunId !== undefined) {
        const parent = await store.getRun(parentRunId);
        if (!parent || parent.projectId !== experiment.projectId) throw notFound('run', parentRunId);
      }
      const id = newId('run');
      const run = await store.createRun(
        {
          id,
          projectId: experiment.projectId,
          experimentId: experiment.id,
          parentRunId: parentRunId ?? null,
          name: request.body.name ?? `run-${id.slice(-6)}`,
          kind: 'tracked',
          status: 'running',
          startedAt: new Date(request.body.startTime ?? Date.now()).toISOString(),
          ...NOT_TRAINED,
          tags: request.body.tags ?? {},
          createdBy: request.user.id,
        },
        { actor: request.user.id, action: 'run.create', details: { experiment: experiment.id } },
      );
      return reply.status(201).send(presentRun(run));
    },
  );

  app.post<{ Params: Static<typeof RunParams>; Body: Static<typeof LogBatch> }>(
    '/runs/:run/log',
    {
      schema: routeSchema('runs', {
        params: RunParams,
        body: LogBatch,
        response: W.replies(204),
        description:
          'Log params, metrics and tags in one call (all or nothing): at most 1000 metrics, 100 params and 100 ' +
          'tags. A param keeps its first value: logging another value answers 409 param_changed.',
      }),
    },
    async (request, reply) => {
      const run = await runFor(services, request.user, request.params.run, 'editor');
      await writableRun(services, run);
      const body = request.body;
      checkBatch(body);
      const now = Date.now();
      try {
        await store.logRunData(run.id, {
          params: Object.entries(body.params ?? {}).map(([key, value]) => ({ key, value })),
          tags: Object.entries(body.tags ?? {}).map(([key, value]) => ({ key, value })),
          metrics: (body.metrics ?? []).map((m) => ({
            key: m.key,
            value: toNumber(m.value),
            step: m.step ?? 0,
            timestamp: m.timestamp ?? now,
          })),
        });
      } catch (error) {
        if (error instanceof ParamConflictError) {
          throw conflict('param_changed', error.message, {
            key: error.key,
            oldValue: error.oldValue,
            newValue: error.newValue,
          });
        }
        throw error;
      }
      return reply.status(204).send();
    },
  );

  app.post<{ Params: Static<typeof RunParams>; Body: Static<typeof LogInputs> }>(
    '/runs/:run/inputs',
    {
      schema: routeSchema('runs', {
        params: RunParams,
        body: LogInputs,
        response: W.replies(200, Type.Object({ items: Type.Array(W.RunInput) })),
        description:
          "Record the dataset versions a run read (the dataset's latest version unless one is named); lineage then " +
          'links them to the run.',
      }),
    },
    async (request) => {
      const run = await runFor(services, request.user, request.params.run, 'editor');
      const inputs = [];
      for (const input of request.body.inputs) {
        const ref = input.dataset.startsWith('ds_')
          ? { id: input.dataset }
          : { projectId: run.projectId, name: input.dataset };
        const dataset = await datasetFor(services, request.user, ref, 'viewer');
        if (dataset.projectId !== run.projectId) throw notFound('dataset', input.dataset);
        const version = await pickVersion(services, dataset.id, input.version);
        inputs.push({ datasetId: dataset.id, version: version.version, context: input.context ?? '' });
      }
      await store.addRunInputs(run.id, inputs);
      return { items: await runInputsOf(services, run.id) };
    },
  );

  app.get<{ Params: Static<typeof RunParams> }>(
    '/runs/:run/inputs',
    {
      schema: routeSchema('runs', {
        params: RunParams,
        response: W.replies(200, Type.Object({ items: Type.Array(W.RunInput) })),
      }),
    },
    async (request) => {
      const run = await runFor(services, request.user, request.params.run, 'viewer');
      return { items: await runInputsOf(services, run.id) };
    },
  );

  app.patch<{ Params: Static<typeof RunParams>; Body: Static<typeof UpdateRun> }>(
    '/runs/:run',
    {
      schema: routeSchema('runs', {
        params: RunParams,
        body: UpdateRun,
        response: W.replies(200, W.Run),
        description: 'Rename, end (succeeded, failed, killed), delete or restore a run.',
      }),
    },
    async (request) => {
      const run = await runFor(services, request.user, request.params.run, 'editor');
      const { name, status, endTime, lifecycleStage } = request.body;
      if (status !== undefined && run.kind === 'training') {
        throw badRequest('training_run_status', 'A training run’s status is set by its training.');
      }
      const ends = status !== undefined && ENDED.has(status);
      const finishedAt = ends ? new Date(endTime ?? Date.now()).toISOString() : undefined;
      await store.updateRun(run.id, {
        ...(name !== undefined && { name }),
        ...(status !== undefined && { status }),
        ...(lifecycleStage !== undefined && { lifecycleStage }),
        ...(finishedAt !== undefined && {
          finishedAt,
          durationMs: Math.max(0, Date.parse(finishedAt) - Date.parse(run.startedAt ?? run.createdAt)),
        }),
      });
      return presentRun((await store.getRun(run.id))!);
    },
  );

  app.delete<{ Params: Static<typeof TagParams> }>(
    '/runs/:run/tags/:key',
    { schema: routeSchema('runs', { params: TagParams, response: W.replies(204) }) },
    async (request, reply) => {
      const run = await runFor(services, request.user, request.params.run, 'editor');
      if (!(await store.deleteRunTag(run.id, request.params.key))) throw notFound('run_tag', request.params.key);
      return reply.status(204).send();
    },
  );

  app.get<{ Params: Static<typeof RunParams> & { key: string }; Querystring: Static<typeof HistoryQuery> }>(
    '/runs/:run/metrics/:key',
    {
      schema: routeSchema('runs', {
        params: Type.Object({ run: IdSchema, key: MetricKey }),
        querystring: HistoryQuery,
        response: { ...W.replies(200, W.PageOf(W.MetricPoint)) },
        description: 'Every logged point of one metric in logging order; `format=ndjson` streams them all.',
      }),
    },
    async (request, reply) => {
      const run = await runFor(services, request.user, request.params.run, 'viewer');
      const key = request.params.key;
      if (request.query.format === 'ndjson') {
        return reply.header('content-type', 'application/x-ndjson').send(Readable.from(streamHistory(run.id, key)));
      }
      const page = await store.metricHistory(run.id, key, {
        limit: request.query.limit ?? 10_000,
        afterId: decodeNumberCursor(request.query.cursor),
      });
      const full = page.points.length === (request.query.limit ?? 10_000);
      return {
        items: page.points.map(wirePoint),
        nextCursor: full && page.lastId !== null ? encodeCursor(page.lastId) : null,
      };
    },
  );

  async function* streamHistory(runId: string, key: string): AsyncGenerator<string> {
    // Lines are written by hand from columns: a million objects and JSON.stringify calls cost more than the query.
    const head = `{"key":${JSON.stringify(key)},"value":`;
    const PAGE = 10_000;
    let afterId: number | undefined;
    for (;;) {
      const page = await store.metricHistoryColumns(runId, key, {
        limit: PAGE,
        ...(afterId !== undefined && { afterId }),
      });
      let text = '';
      for (let i = 0; i < page.values.length; i++) {
        const v = page.values[i]!;
        const value = Number.isFinite(v) ? String(v) : `"${String(metricValueOf(v))}"`;
        text += `${head}${value},"timestamp":${page.timestamps[i]},"step":${page.steps[i]}}\n`;
      }
      if (text !== '') yield text;
      if (page.lastId === null || page.values.length < PAGE) return;
      afterId = page.lastId;
    }
  }

  app.post<{ Params: Static<typeof ProjectParams>; Body: Static<typeof SearchBody> }>(
    '/projects/:project/runs/search',
    {
      schema: routeSchema('runs', {
        params: ProjectParams,
        body: SearchBody,
        response: W.replies(200, W.PageOf(W.Run)),
        description:
          "Runs matching a filter such as `metrics.auc > 0.8 and params.depth = '6' and tags.team = 'risk' and " +
          "attributes.status = 'FINISHED'` (MLflow's language), ordered by `orderBy` (e.g. `metrics.auc DESC`); " +
          'a filter that does not parse answers 400 invalid_filter with details.position.',
      }),
    },
    async (request) => {
      const { project } = await projectByName(store, request.user, request.params.project, 'viewer');
      const body = request.body;
      let filter, orderBy;
      try {
        filter = parseRunFilter(body.filter);
        orderBy = parseOrderBy(body.orderBy);
      } catch (error) {
        if (error instanceof FilterSyntaxError) {
          throw badRequest('invalid_filter', error.message, {
            ...(error.position !== undefined && { position: error.position }),
          });
        }
        throw error;
      }
      const experimentIds = await experimentIdsOf(services, project.id, body.experiments);
      const limit = body.limit ?? 100;
      const offset = decodeNumberCursor(body.cursor) ?? 0;
      const found = await store.findRuns({
        experimentIds,
        filter,
        orderBy,
        stage: body.stage ?? 'active',
        limit,
        offset,
      });
      return {
        items: found.runs.map((r): Run => presentRun(r)),
        nextCursor: found.more ? encodeCursor(offset + limit) : null,
      };
    },
  );
}

/** A run's inputs with their datasets' names (an input whose dataset was deleted is left out). */
async function runInputsOf(services: Services, runId: string): Promise<RunInput[]> {
  const out: RunInput[] = [];
  for (const input of await services.store.listRunInputs(runId)) {
    const dataset = await services.store.getDataset(input.datasetId);
    if (dataset) out.push({ ...input, datasetName: dataset.name });
  }
  return out;
}

/** Ids of the named (or id-given) experiments of the project; all of them when none are named. */
async function experimentIdsOf(services: Services, projectId: string, refs: string[] | undefined): Promise<string[]> {
  if (refs === undefined || refs.length === 0) {
    const all = await services.store.listExperiments([projectId], { stage: 'all', limit: 100_000, offset: 0 });
    return all.map((e) => e.id);
  }
  const ids: string[] = [];
  for (const ref of refs) {
    const byId = await services.store.getExperiment(ref);
    const experiment = byId?.projectId === projectId ? byId : await services.store.getExperimentByName(projectId, ref);
    if (!experiment) throw notFound('experiment', ref);
    ids.push(experiment.id);
  }
  return ids;
}
