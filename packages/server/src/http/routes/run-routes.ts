// Training runs: create (queued for the worker pool), list, show, and the trained model artifact.

import { isOnnxKey } from '../../serving/serving.js';
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { projectByName, requireRole } from '../../auth/access.js';
import { badRequest, conflict, notFound, unprocessable } from '../../errors.js';
import type { Services } from '../../services.js';
import { ALGORITHMS, ALGORITHM_NAMES, checkParams } from '../../tracking/algorithms.js';
import { routeSchema } from '../fastify-types.js';
import * as W from '../wire-schemas.js';
import { newId } from '../../store/ids.js';
import type { DatasetVersionRecord, ExperimentRecord, RunRecord, UserRecord } from '../../store/metadata-store.js';
import { encodeCursor, pageRequest, PageQuerySchema, type PageQuery } from '../cursor.js';
import { IdSchema, NameSchema } from '../names.js';
import { presentRun } from '../present.js';
import { datasetFor } from './dataset-routes.js';

const ProjectParams = Type.Object({ project: NameSchema });
const RunParams = Type.Object({ run: IdSchema });
const ParamValue = Type.Union([Type.Number(), Type.String({ maxLength: 200 }), Type.Boolean()]);
const CreateRun = Type.Object(
  {
    dataset: Type.String({ minLength: 1, maxLength: 100 }),
    version: Type.Optional(Type.String({ pattern: '^[0-9a-f]{4,64}$' })),
    target: Type.String({ minLength: 1, maxLength: 300 }),
    task: Type.Union([Type.Literal('classification'), Type.Literal('regression')]),
    algorithm: Type.Union(ALGORITHM_NAMES.map((name) => Type.Literal(name))),
    params: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), ParamValue)),
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    experiment: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    tags: Type.Optional(Type.Record(Type.String({ minLength: 1, maxLength: 250 }), Type.String({ maxLength: 8000 }))),
  },
  { additionalProperties: false },
);
type CreateRunBody = Static<typeof CreateRun>;

/** Rejects a target the snapshot's profile already shows cannot work, before any job is queued. */
export function checkTarget(
  body: Pick<CreateRunBody, 'target' | 'task' | 'algorithm'>,
  version: DatasetVersionRecord,
): void {
  const column = version.profile.columns.find((c) => c.name === body.target);
  if (!column) {
    throw badRequest('unknown_target', `The dataset has no column '${body.target}'.`, {
      target: body.target,
      columns: version.profile.columns.map((c) => c.name),
    });
  }
  const present = version.rows - column.nulls;
  if (body.task === 'classification') {
    if (present === 0 || column.distinct < 2) {
      throw unprocessable('single_class_target', `The target '${body.target}' has fewer than two classes.`, {
        target: body.target,
        distinct: column.distinct,
      });
    }
    const { label, maxClasses } = ALGORITHMS[body.algorithm];
    if (maxClasses !== null && column.distinct > maxClasses) {
      throw unprocessable(
        'too_many_classes',
        `${label} classification takes at most ${maxClasses} classes; '${body.target}' has ${column.distinct}.`,
        { target: body.target, distinct: column.distinct, maxClasses },
      );
    }
  } else if (column.type !== 'integer' && column.type !== 'float') {
    throw unprocessable(
      'target_not_numeric',
      `Regression needs a numeric target; '${body.target}' is ${column.dbType}.`,
      {
        target: body.target,
        type: column.dbType,
      },
    );
  }
}

export async function pickVersion(
  services: Services,
  datasetId: string,
  wanted: string | undefined,
): Promise<DatasetVersionRecord> {
  const { store } = services;
  if (wanted === undefined) {
    const latest = await store.latestDatasetVersion(datasetId);
    if (!latest) throw notFound('dataset_version', 'latest');
    return latest;
  }
  const matches = await store.findDatasetVersions(datasetId, wanted);
  if (matches.length === 0) throw notFound('dataset_version', wanted);
  if (matches.length > 1) throw badRequest('ambiguous_version', `Version prefix '${wanted}' matches several versions.`);
  return matches[0]!;
}

export async function runFor(
  services: Services,
  user: UserRecord,
  id: string,
  min: 'viewer' | 'editor',
): Promise<RunRecord> {
  const run = await services.store.getRun(id);
  if (!run) throw notFound('run', id);
  await requireRole(services.store, user, run.projectId, min, { type: 'run', id });
  return run;
}

/** The named experiment of the project (404 when missing or deleted), or its Default experiment. */
export async function experimentFor(
  services: Services,
  user: UserRecord,
  projectId: string,
  name: string | undefined,
): Promise<ExperimentRecord> {
  if (name === undefined) return services.store.defaultExperiment(projectId, user.id);
  const experiment = await services.store.getExperimentByName(projectId, name);
  if (!experiment || experiment.lifecycleStage !== 'active') throw notFound('experiment', name);
  return experiment;
}

export function runRoutes(app: FastifyInstance, services: Services): void {
  const { store } = services;

  app.post<{ Params: Static<typeof ProjectParams>; Body: CreateRunBody }>(
    '/projects/:project/runs',
    { schema: routeSchema('runs', { params: ProjectParams, body: CreateRun, response: W.replies(201, W.Run) }) },
    async (request, reply) => {
      const { project } = await projectByName(store, request.user, request.params.project, 'editor');
      const body = request.body;
      const params = body.params ?? {};
      checkParams(body.algorithm, params);
      const ref = body.dataset.startsWith('ds_') ? { id: body.dataset } : { projectId: project.id, name: body.dataset };
      const dataset = await datasetFor(services, request.user, ref, 'viewer');
      if (dataset.projectId !== project.id) throw notFound('dataset', body.dataset);
      const version = await pickVersion(services, dataset.id, body.version);
      checkTarget(body, version);
      const id = newId('run');
      const experiment = await experimentFor(services, request.user, project.id, body.experiment);
      const run = await store.createRun(
        {
          id,
          projectId: project.id,
          experimentId: experiment.id,
          parentRunId: null,
          kind: 'training',
          ...(body.tags && { tags: body.tags }),
          name: body.name ?? `${body.algorithm}-${body.target}-${id.slice(-6)}`,
          task: body.task,
          algorithm: body.algorithm,
          target: body.target,
          datasetId: dataset.id,
          datasetVersion: version.version,
          params,
          createdBy: request.user.id,
        },
        { actor: request.user.id, action: 'run.create', details: { dataset: dataset.id, version: version.version } },
      );
      services.training.enqueue(run.id);
      return reply.status(201).send(presentRun(run));
    },
  );

  app.get<{ Params: Static<typeof ProjectParams>; Querystring: PageQuery }>(
    '/projects/:project/runs',
    {
      schema: routeSchema('runs', {
        params: ProjectParams,
        querystring: PageQuerySchema,
        response: W.replies(200, W.PageOf(W.Run)),
      }),
    },
    async (request) => {
      const { project } = await projectByName(store, request.user, request.params.project, 'viewer');
      const page = await store.listRuns(project.id, pageRequest(request.query));
      return { items: page.items.map(presentRun), nextCursor: page.next === null ? null : encodeCursor(page.next) };
    },
  );

  app.get<{ Params: Static<typeof RunParams> }>(
    '/runs/:run',
    { schema: routeSchema('runs', { params: RunParams, response: W.replies(200, W.Run) }) },
    async (request) => presentRun(await runFor(services, request.user, request.params.run, 'viewer')),
  );

  app.get<{ Params: Static<typeof RunParams> }>(
    '/runs/:run/artifact',
    { schema: routeSchema('runs', { params: RunParams, response: W.replies(200, W.ModelArtifact) }) },
    async (request, reply) => {
      const run = await runFor(services, request.user, request.params.run, 'viewer');
      if (run.status !== 'succeeded' || !run.artifactKey) {
        throw conflict('run_not_succeeded', `Run '${run.id}' is ${run.status}; only a succeeded run has a model.`);
      }
      const bytes = await services.artifacts.getBytes(run.artifactKey);
      // An imported model's file is ONNX, not our JSON.
      const type = isOnnxKey(run.artifactKey) ? 'application/octet-stream' : 'application/json';
      return reply.header('content-type', type).send(Buffer.from(bytes));
    },
  );
}
