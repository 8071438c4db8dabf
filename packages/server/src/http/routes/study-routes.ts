// Hyperparameter search studies: start one over a dataset version, read its progress, trials and the importance of
// each hyperparameter, stop it.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Study, StudyTrial } from '@modelyard/client';
import {
  EngineError,
  bestTrial,
  createSampler,
  paramImportances,
  validateSpace,
  type SearchSpace,
} from '@modelyard/engine';
import { projectByName, requireRole } from '../../auth/access.js';
import { badRequest, conflict, notFound, unprocessable } from '../../errors.js';
import type { Services } from '../../services.js';
import type { StudyRecord, UserRecord } from '../../store/metadata-store.js';
import { ALGORITHM_NAMES, checkParams, type AlgorithmName } from '../../tracking/algorithms.js';
import { DEFAULT_METRIC, directionOf, startStudy } from '../../tuning/start-study.js';
import { studyHistory } from '../../tuning/study-runner.js';
import { encodeCursor, pageRequest, PageQuerySchema, type PageQuery } from '../cursor.js';
import { routeSchema } from '../fastify-types.js';
import { IdSchema, NameSchema } from '../names.js';
import * as W from '../wire-schemas.js';
import { datasetFor } from './dataset-routes.js';
import { checkTarget, experimentFor, pickVersion } from './run-routes.js';

const ParamValue = Type.Union([Type.Number(), Type.String({ maxLength: 200 }), Type.Boolean()]);
const CreateStudy = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    dataset: Type.String({ minLength: 1, maxLength: 100 }),
    version: Type.Optional(Type.String({ pattern: '^[0-9a-f]{4,64}$' })),
    target: Type.String({ minLength: 1, maxLength: 300 }),
    task: Type.Union([Type.Literal('classification'), Type.Literal('regression')]),
    algorithm: Type.Union(ALGORITHM_NAMES.map((name) => Type.Literal(name))),
    space: Type.Record(Type.String({ maxLength: 100 }), Type.Unknown()),
    params: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), ParamValue)),
    sampler: Type.Optional(
      Type.Object(
        {
          kind: Type.Union([Type.Literal('grid'), Type.Literal('random'), Type.Literal('tpe')]),
          seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 - 1 })),
        },
        { additionalProperties: false },
      ),
    ),
    pruner: Type.Optional(W.StudyPruner),
    metric: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    direction: Type.Optional(Type.Union([Type.Literal('minimize'), Type.Literal('maximize')])),
    parallelism: Type.Optional(Type.Integer({ minimum: 1, maximum: 8 })),
    maxTrials: Type.Integer({ minimum: 1, maximum: 10_000 }),
    timeBudgetSeconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 7 * 86_400 })),
    experiment: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false },
);
type CreateStudyBody = Static<typeof CreateStudy>;
const ProjectParams = Type.Object({ project: NameSchema });
const StudyParams = Type.Object({ study: IdSchema });

async function studyFor(services: Services, user: UserRecord, id: string, min: 'viewer' | 'editor') {
  const study = await services.store.getStudy(id);
  if (!study) throw notFound('study', id);
  await requireRole(services.store, user, study.projectId, min, { type: 'study', id });
  return study;
}

/** The space, checked by the engine, and a sample of it checked against the algorithm's params. */
function checkSpace(body: CreateStudyBody): SearchSpace {
  const space = body.space as SearchSpace;
  try {
    validateSpace(space);
    const sample = createSampler({ kind: 'random' }).suggest(space, [], {
      seed: 0,
      trialNumber: 0,
      direction: 'minimize',
    });
    checkParams(body.algorithm as AlgorithmName, { ...body.params, ...sample });
  } catch (error) {
    if (error instanceof EngineError) {
      throw badRequest('invalid_space', error.message, { ...(error.details ?? {}) });
    }
    throw error;
  }
  return space;
}

async function present(services: Services, study: StudyRecord): Promise<Study> {
  const { history, runs } = await studyHistory(services.store, study);
  const count = (state: string) => history.filter((t) => t.state === state).length;
  const best = bestTrial(history, study.direction);
  return {
    ...study,
    trials: {
      total: history.length,
      complete: count('complete'),
      running: count('running'),
      failed: count('failed'),
      pruned: count('pruned'),
    },
    bestRunId: study.bestRunId ?? (best === undefined ? null : (runs.get(best.number)?.id ?? null)),
    bestValue: best?.value ?? null,
  };
}

export function studyRoutes(app: FastifyInstance, services: Services): void {
  const { store } = services;

  app.post<{ Params: Static<typeof ProjectParams>; Body: CreateStudyBody }>(
    '/projects/:project/studies',
    {
      schema: routeSchema('studies', {
        params: ProjectParams,
        body: CreateStudy,
        response: W.replies(201, W.Study),
        description:
          'Start a hyperparameter search: every trial is a child training run; `parallelism` trials train at once ' +
          'until `maxTrials` or `timeBudgetSeconds` is spent. Samplers: grid, random, tpe.',
      }),
    },
    async (request, reply) => {
      const { project } = await projectByName(store, request.user, request.params.project, 'editor');
      const body = request.body;
      checkParams(body.algorithm, body.params ?? {});
      const space = checkSpace(body);
      const ref = body.dataset.startsWith('ds_') ? { id: body.dataset } : { projectId: project.id, name: body.dataset };
      const dataset = await datasetFor(services, request.user, ref, 'viewer');
      if (dataset.projectId !== project.id) throw notFound('dataset', body.dataset);
      const version = await pickVersion(services, dataset.id, body.version);
      checkTarget(body, version);
      if (body.pruner !== undefined && body.pruner.kind !== 'none' && body.algorithm !== 'gbdt') {
        throw badRequest('pruner_unsupported', 'Pruning needs intermediate values, which only GBDT trials report.');
      }
      const experiment = await experimentFor(services, request.user, project.id, body.experiment);
      const metric = body.metric ?? DEFAULT_METRIC[body.task];
      const sampler = { kind: body.sampler?.kind ?? 'tpe', seed: body.sampler?.seed ?? 0 };
      const study = await startStudy(services, {
        parentRunId: null,
        projectId: project.id,
        experimentId: experiment.id,
        name: body.name ?? `${body.algorithm}-${sampler.kind}-study`,
        datasetId: dataset.id,
        datasetVersion: version.version,
        target: body.target,
        task: body.task,
        algorithm: body.algorithm,
        space: space as Study['space'],
        params: body.params ?? {},
        sampler,
        pruner: body.pruner ?? { kind: 'none' },
        metric,
        direction: body.direction ?? directionOf(metric),
        parallelism: body.parallelism ?? 1,
        maxTrials: body.maxTrials,
        timeBudgetSeconds: body.timeBudgetSeconds ?? null,
        createdBy: request.user.id,
      });
      return reply.status(201).send(await present(services, study));
    },
  );

  app.get<{ Params: Static<typeof ProjectParams>; Querystring: PageQuery }>(
    '/projects/:project/studies',
    {
      schema: routeSchema('studies', {
        params: ProjectParams,
        querystring: PageQuerySchema,
        response: W.replies(200, W.PageOf(W.Study)),
      }),
    },
    async (request) => {
      const { project } = await projectByName(store, request.user, request.params.project, 'viewer');
      const page = await store.listStudies(project.id, pageRequest(request.query));
      const items = await Promise.all(page.items.map((s) => present(services, s)));
      return { items, nextCursor: page.next === null ? null : encodeCursor(page.next) };
    },
  );

  app.get<{ Params: Static<typeof StudyParams> }>(
    '/studies/:study',
    { schema: routeSchema('studies', { params: StudyParams, response: W.replies(200, W.Study) }) },
    async (request) => present(services, await studyFor(services, request.user, request.params.study, 'viewer')),
  );

  app.get<{ Params: Static<typeof StudyParams> }>(
    '/studies/:study/trials',
    {
      schema: routeSchema('studies', {
        params: StudyParams,
        response: W.replies(200, Type.Object({ items: Type.Array(W.StudyTrial) })),
      }),
    },
    async (request) => {
      const study = await studyFor(services, request.user, request.params.study, 'viewer');
      const { history, runs } = await studyHistory(store, study);
      const items: StudyTrial[] = history.map((t) => {
        const run = runs.get(t.number);
        return {
          number: t.number,
          runId: run?.id ?? '',
          status: run?.status ?? 'queued',
          params: t.params,
          value: t.value ?? null,
        };
      });
      return { items };
    },
  );

  app.get<{ Params: Static<typeof StudyParams> }>(
    '/studies/:study/importance',
    {
      schema: routeSchema('studies', {
        params: StudyParams,
        response: W.replies(200, Type.Record(Type.String(), Type.Number())),
        description:
          "Each hyperparameter's share of the objective's variation across finished trials (a random forest's " +
          'impurity importance over the trials; shares sum to 1).',
      }),
    },
    async (request) => {
      const study = await studyFor(services, request.user, request.params.study, 'viewer');
      const { history } = await studyHistory(store, study);
      try {
        return paramImportances(study.space as SearchSpace, history, { seed: study.sampler.seed });
      } catch (error) {
        if (error instanceof EngineError) {
          throw unprocessable('not_enough_trials', `No importance yet: ${error.message}`, {
            complete: history.filter((t) => t.state === 'complete').length,
          });
        }
        throw error;
      }
    },
  );

  app.post<{ Params: Static<typeof StudyParams> }>(
    '/studies/:study/stop',
    {
      schema: routeSchema('studies', {
        params: StudyParams,
        response: W.replies(200, W.Study),
        description: 'Start no more trials; trials already training finish, then the study ends as stopped.',
      }),
    },
    async (request) => {
      const study = await studyFor(services, request.user, request.params.study, 'editor');
      if (study.finishedAt !== null) throw conflict('study_finished', `Study '${study.name}' has finished.`);
      await services.studies.stop(study.id);
      return present(services, (await store.getStudy(study.id))!);
    },
  );
}
