// AutoML: start a job on a dataset version with a time budget, read its stage and leaderboard.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { AutomlJob } from '@modelyard/client';
import { projectByName, requireRole } from '../../auth/access.js';
import { notFound } from '../../errors.js';
import type { Services } from '../../services.js';
import { newId } from '../../store/ids.js';
import { NOT_TRAINED, type UserRecord } from '../../store/metadata-store.js';
import { DEFAULT_METRIC, directionOf } from '../../tuning/start-study.js';
import { encodeCursor, pageRequest, PageQuerySchema, type PageQuery } from '../cursor.js';
import { routeSchema } from '../fastify-types.js';
import { AliasSchema, IdSchema, NameSchema } from '../names.js';
import * as W from '../wire-schemas.js';
import { datasetFor } from './dataset-routes.js';
import { checkTarget, experimentFor, pickVersion } from './run-routes.js';

const CreateAutoml = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    dataset: Type.String({ minLength: 1, maxLength: 100 }),
    version: Type.Optional(Type.String({ pattern: '^[0-9a-f]{4,64}$' })),
    target: Type.String({ minLength: 1, maxLength: 300 }),
    task: Type.Union([Type.Literal('classification'), Type.Literal('regression')]),
    timeBudgetSeconds: Type.Number({ minimum: 10, maximum: 7 * 86_400 }),
    metric: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    folds: Type.Optional(Type.Integer({ minimum: 2, maximum: 10 })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 })),
    register: Type.Optional(
      Type.Object({ model: NameSchema, alias: Type.Optional(AliasSchema) }, { additionalProperties: false }),
    ),
    experiment: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false },
);
const JobParams = Type.Object({ job: IdSchema });

async function jobFor(services: Services, user: UserRecord, id: string): Promise<AutomlJob> {
  const job = await services.store.getAutomlJob(id);
  if (!job) throw notFound('automl_job', id);
  await requireRole(services.store, user, job.projectId, 'viewer', { type: 'automl_job', id });
  return job;
}

export function automlRoutes(app: FastifyInstance, services: Services): void {
  const { store } = services;

  app.post<{ Params: { project: string }; Body: Static<typeof CreateAutoml> }>(
    '/projects/:project/automl',
    {
      schema: routeSchema('automl', {
        params: Type.Object({ project: NameSchema }),
        body: CreateAutoml,
        response: W.replies(201, W.AutomlJob),
        description:
          'Train and rank candidates within a time budget: cross-validated GLM (elastic-net path), random forest, ' +
          'extremely randomized trees and GBDT, a GBDT tuned by TPE, and a stacked ensemble of the best; ' +
          'optionally register the leader.',
      }),
    },
    async (request, reply) => {
      const { project } = await projectByName(store, request.user, request.params.project, 'editor');
      const body = request.body;
      const ref = body.dataset.startsWith('ds_') ? { id: body.dataset } : { projectId: project.id, name: body.dataset };
      const dataset = await datasetFor(services, request.user, ref, 'viewer');
      if (dataset.projectId !== project.id) throw notFound('dataset', body.dataset);
      const version = await pickVersion(services, dataset.id, body.version);
      checkTarget({ target: body.target, task: body.task, algorithm: 'gbdt' }, version);
      const experiment = await experimentFor(services, request.user, project.id, body.experiment);
      const metric = body.metric ?? DEFAULT_METRIC[body.task];
      const name = body.name ?? `automl-${dataset.name}`;
      const runId = newId('run');
      await store.createRun(
        {
          id: runId,
          projectId: project.id,
          experimentId: experiment.id,
          parentRunId: null,
          name,
          kind: 'tracked',
          status: 'running',
          startedAt: new Date().toISOString(),
          ...NOT_TRAINED,
          tags: { 'modelyard.automl.metric': metric },
          createdBy: request.user.id,
        },
        { actor: request.user.id, action: 'run.create', details: { automl: true } },
      );
      const job = await store.createAutomlJob(
        {
          projectId: project.id,
          experimentId: experiment.id,
          runId,
          name,
          datasetId: dataset.id,
          datasetVersion: version.version,
          target: body.target,
          task: body.task,
          metric,
          direction: directionOf(metric),
          timeBudgetSeconds: body.timeBudgetSeconds,
          folds: body.folds ?? 5,
          seed: body.seed ?? 0,
          register: body.register ? { model: body.register.model, alias: body.register.alias ?? null } : null,
          createdBy: request.user.id,
        },
        { actor: request.user.id, action: 'automl.create' },
      );
      await store.logRunData(runId, { tags: [{ key: 'modelyard.automl', value: job.id }] });
      await services.automl.advance(job.id);
      return reply.status(201).send((await store.getAutomlJob(job.id))!);
    },
  );

  app.get<{ Params: { project: string }; Querystring: PageQuery }>(
    '/projects/:project/automl',
    {
      schema: routeSchema('automl', {
        params: Type.Object({ project: NameSchema }),
        querystring: PageQuerySchema,
        response: W.replies(200, W.PageOf(W.AutomlJob)),
      }),
    },
    async (request) => {
      const { project } = await projectByName(store, request.user, request.params.project, 'viewer');
      const page = await store.listAutomlJobs(project.id, pageRequest(request.query));
      return { items: page.items, nextCursor: page.next === null ? null : encodeCursor(page.next) };
    },
  );

  app.get<{ Params: Static<typeof JobParams> }>(
    '/automl/:job',
    { schema: routeSchema('automl', { params: JobParams, response: W.replies(200, W.AutomlJob) }) },
    async (request) => jobFor(services, request.user, request.params.job),
  );

  app.get<{ Params: Static<typeof JobParams> }>(
    '/automl/:job/leaderboard',
    {
      schema: routeSchema('automl', {
        params: JobParams,
        response: W.replies(200, Type.Object({ items: Type.Array(W.AutomlLeaderboardRow) })),
        description: 'Candidates ranked by their cross-validated metric (mean over folds), with its std.',
      }),
    },
    async (request) => {
      const job = await jobFor(services, request.user, request.params.job);
      return { items: await services.automl.leaderboard(job) };
    },
  );
}
