// Experiments: named groups of runs in a project; create, list, read, rename, tag, delete and restore.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { projectByName, requireRole } from '../../auth/access.js';
import { conflict, notFound } from '../../errors.js';
import type { Services } from '../../services.js';
import type { ExperimentRecord, UserRecord } from '../../store/metadata-store.js';
import { isUniqueViolation } from '../../store/store-support.js';
import { decodeNumberCursor, encodeCursor } from '../cursor.js';
import { routeSchema } from '../fastify-types.js';
import { DescriptionSchema, IdSchema, NameSchema } from '../names.js';
import * as W from '../wire-schemas.js';

/** Experiment names: MLflow allows nearly anything; we keep them printable and of sane length. */
export const ExperimentName = Type.String({ minLength: 1, maxLength: 500, pattern: '^[^\\u0000-\\u001f]+$' });
export const TagKey = Type.String({ pattern: '^[A-Za-z0-9_.:/ -]{1,250}$' });
export const TagMap = Type.Record(TagKey, Type.String({ maxLength: 8000 }));

const ProjectParams = Type.Object({ project: NameSchema });
const ExperimentParams = Type.Object({ experiment: IdSchema });
const TagParams = Type.Object({ experiment: IdSchema, key: TagKey });
const CreateExperiment = Type.Object(
  { name: ExperimentName, description: Type.Optional(DescriptionSchema), tags: Type.Optional(TagMap) },
  { additionalProperties: false },
);
const UpdateExperiment = Type.Object(
  {
    name: Type.Optional(ExperimentName),
    description: Type.Optional(DescriptionSchema),
    lifecycleStage: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('deleted')])),
  },
  { additionalProperties: false },
);
const ListQuery = Type.Object({
  stage: Type.Optional(Type.Union([Type.Literal('active'), Type.Literal('deleted'), Type.Literal('all')])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
});

/** An experiment by id after checking the caller's role on its project; 404 for non-members. */
export async function experimentById(
  services: Services,
  user: UserRecord,
  id: string,
  min: 'viewer' | 'editor' | 'admin',
): Promise<ExperimentRecord> {
  const experiment = await services.store.getExperiment(id);
  if (!experiment) throw notFound('experiment', id);
  await requireRole(services.store, user, experiment.projectId, min, { type: 'experiment', id });
  return experiment;
}

const nameTaken = (name: string) => conflict('experiment_exists', `The project has an experiment named '${name}'.`);

export function experimentRoutes(app: FastifyInstance, services: Services): void {
  const { store } = services;

  app.post<{ Params: Static<typeof ProjectParams>; Body: Static<typeof CreateExperiment> }>(
    '/projects/:project/experiments',
    {
      schema: routeSchema('experiments', {
        params: ProjectParams,
        body: CreateExperiment,
        response: W.replies(201, W.Experiment),
      }),
    },
    async (request, reply) => {
      const { project } = await projectByName(store, request.user, request.params.project, 'editor');
      const { name, description, tags } = request.body;
      if (await store.getExperimentByName(project.id, name)) throw nameTaken(name);
      try {
        const experiment = await store.createExperiment(
          {
            projectId: project.id,
            name,
            description: description ?? '',
            createdBy: request.user.id,
            ...(tags && { tags }),
          },
          { actor: request.user.id, action: 'experiment.create' },
        );
        return reply.status(201).send(experiment);
      } catch (error) {
        if (isUniqueViolation(error)) throw nameTaken(name);
        throw error;
      }
    },
  );

  app.get<{ Params: Static<typeof ProjectParams>; Querystring: Static<typeof ListQuery> }>(
    '/projects/:project/experiments',
    {
      schema: routeSchema('experiments', {
        params: ProjectParams,
        querystring: ListQuery,
        response: W.replies(200, W.PageOf(W.Experiment)),
      }),
    },
    async (request) => {
      const { project } = await projectByName(store, request.user, request.params.project, 'viewer');
      const limit = request.query.limit ?? 100;
      const offset = decodeNumberCursor(request.query.cursor) ?? 0;
      const rows = await store.listExperiments([project.id], {
        stage: request.query.stage ?? 'active',
        limit: limit + 1,
        offset,
      });
      return { items: rows.slice(0, limit), nextCursor: rows.length > limit ? encodeCursor(offset + limit) : null };
    },
  );

  app.get<{ Params: Static<typeof ExperimentParams> }>(
    '/experiments/:experiment',
    { schema: routeSchema('experiments', { params: ExperimentParams, response: W.replies(200, W.Experiment) }) },
    async (request) => experimentById(services, request.user, request.params.experiment, 'viewer'),
  );

  app.patch<{ Params: Static<typeof ExperimentParams>; Body: Static<typeof UpdateExperiment> }>(
    '/experiments/:experiment',
    {
      schema: routeSchema('experiments', {
        params: ExperimentParams,
        body: UpdateExperiment,
        response: W.replies(200, W.Experiment),
        description: 'Rename, describe, delete (lifecycleStage: deleted) or restore (active) an experiment.',
      }),
    },
    async (request) => {
      const experiment = await experimentById(services, request.user, request.params.experiment, 'editor');
      const { name } = request.body;
      if (
        name !== undefined &&
        name !== experiment.name &&
        (await store.getExperimentByName(experiment.projectId, name))
      ) {
        throw nameTaken(name);
      }
      await store.updateExperiment(experiment.id, request.body, {
        actor: request.user.id,
        action: 'experiment.update',
        projectId: experiment.projectId,
      });
      return (await store.getExperiment(experiment.id))!;
    },
  );

  app.put<{ Params: Static<typeof TagParams>; Body: { value: string } }>(
    '/experiments/:experiment/tags/:key',
    {
      schema: routeSchema('experiments', {
        params: TagParams,
        body: Type.Object({ value: Type.String({ maxLength: 8000 }) }, { additionalProperties: false }),
        response: W.replies(200, W.Experiment),
      }),
    },
    async (request) => {
      const experiment = await experimentById(services, request.user, request.params.experiment, 'editor');
      await store.setExperimentTag(experiment.id, request.params.key, request.body.value, {
        actor: request.user.id,
        action: 'experiment.tag.set',
        projectId: experiment.projectId,
      });
      return (await store.getExperiment(experiment.id))!;
    },
  );

  app.delete<{ Params: Static<typeof TagParams> }>(
    '/experiments/:experiment/tags/:key',
    { schema: routeSchema('experiments', { params: TagParams, response: W.replies(204) }) },
    async (request, reply) => {
      const experiment = await experimentById(services, request.user, request.params.experiment, 'editor');
      if (!(request.params.key in experiment.tags)) throw notFound('experiment_tag', request.params.key);
      await store.setExperimentTag(experiment.id, request.params.key, null, {
        actor: request.user.id,
        action: 'experiment.tag.delete',
        projectId: experiment.projectId,
      });
      return reply.status(204).send();
    },
  );
}
