// The model registry: models, versions created from runs, and aliases such as `champion`.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { projectByName, requireRole } from '../../auth/access.js';
import { badRequest, conflict, notFound } from '../../errors.js';
import type { Services } from '../../services.js';
import { routeSchema } from '../fastify-types.js';
import * as W from '../wire-schemas.js';
import type { ModelRecord, UserRecord } from '../../store/metadata-store.js';
import { decodeNumberCursor, encodeCursor, pageRequest, PageQuerySchema, type PageQuery } from '../cursor.js';
import { AliasSchema, DescriptionSchema, IdSchema, NameSchema } from '../names.js';
import { presentModel, presentModelVersion } from '../present.js';
import { runFor } from './run-routes.js';
import { moveAlias, removeAlias } from '../../registry/move-alias.js';

const ProjectParams = Type.Object({ project: NameSchema });
const ModelParams = Type.Object({ model: IdSchema });
const AliasParams = Type.Object({ model: IdSchema, alias: AliasSchema });
const CreateModel = Type.Object(
  { name: NameSchema, description: Type.Optional(DescriptionSchema) },
  { additionalProperties: false },
);
const CreateVersion = Type.Object({ run: IdSchema }, { additionalProperties: false });
const VersionParams = Type.Object({ model: IdSchema, version: Type.Integer({ minimum: 1 }) });
const UpdateVersion = Type.Object(
  {
    description: Type.Optional(DescriptionSchema),
    /** Tags to set; null removes one. */
    tags: Type.Optional(
      Type.Record(
        Type.String({ minLength: 1, maxLength: 250 }),
        Type.Union([Type.String({ maxLength: 8000 }), Type.Null()]),
        {
          maxProperties: 100,
        },
      ),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);
const SetAlias = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    /** Admins only: move even though gates fail (audited as forced). */
    force: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

async function modelFor(
  services: Services,
  user: UserRecord,
  id: string,
  min: 'viewer' | 'editor',
): Promise<ModelRecord> {
  const model = await services.store.getModel(id);
  if (!model) throw notFound('model', id);
  await requireRole(services.store, user, model.projectId, min, { type: 'model', id });
  return model;
}

export function modelRoutes(app: FastifyInstance, services: Services): void {
  const { store } = services;

  app.post<{ Params: Static<typeof ProjectParams>; Body: Static<typeof CreateModel> }>(
    '/projects/:project/models',
    { schema: routeSchema('models', { params: ProjectParams, body: CreateModel, response: W.replies(201, W.Model) }) },
    async (request, reply) => {
      const { project } = await projectByName(store, request.user, request.params.project, 'editor');
      if (await store.getModelByName(project.id, request.body.name)) {
        throw conflict('model_exists', `A model named '${request.body.name}' exists in this project.`);
      }
      const model = await store.createModel(
        {
          projectId: project.id,
          name: request.body.name,
          description: request.body.description ?? '',
          createdBy: request.user.id,
        },
        { actor: request.user.id, action: 'model.create' },
      );
      return reply.status(201).send(presentModel(model));
    },
  );

  app.get<{ Params: Static<typeof ProjectParams>; Querystring: PageQuery }>(
    '/projects/:project/models',
    {
      schema: routeSchema('models', {
        params: ProjectParams,
        querystring: PageQuerySchema,
        response: W.replies(200, W.PageOf(W.Model)),
      }),
    },
    async (request) => {
      const { project } = await projectByName(store, request.user, request.params.project, 'viewer');
      const page = await store.listModels(project.id, pageRequest(request.query));
      return { items: page.items.map(presentModel), nextCursor: page.next === null ? null : encodeCursor(page.next) };
    },
  );

  app.get<{ Params: Static<typeof ModelParams> }>(
    '/models/:model',
    { schema: routeSchema('models', { params: ModelParams, response: W.replies(200, W.Model) }) },
    async (request) => presentModel(await modelFor(services, request.user, request.params.model, 'viewer')),
  );

  app.post<{ Params: Static<typeof ModelParams>; Body: Static<typeof CreateVersion> }>(
    '/models/:model/versions',
    {
      schema: routeSchema('models', {
        params: ModelParams,
        body: CreateVersion,
        response: W.replies(201, W.ModelVersion),
      }),
    },
    async (request, reply) => {
      const model = await modelFor(services, request.user, request.params.model, 'editor');
      const run = await runFor(services, request.user, request.body.run, 'viewer');
      if (run.projectId !== model.projectId) {
        throw badRequest('cross_project', 'A model version must come from a run in the same project.');
      }
      if (run.status !== 'succeeded') {
        throw conflict(
          'run_not_succeeded',
          `Run '${run.id}' is ${run.status}; only a succeeded run can be registered.`,
        );
      }
      const version = await store.addModelVersion(model.id, run.id, request.user.id, {
        actor: request.user.id,
        action: 'model.version.create',
        projectId: model.projectId,
      });
      return reply.status(201).send(presentModelVersion(version, run));
    },
  );

  app.get<{ Params: Static<typeof ModelParams>; Querystring: PageQuery }>(
    '/models/:model/versions',
    {
      schema: routeSchema('models', {
        params: ModelParams,
        querystring: PageQuerySchema,
        response: W.replies(200, W.PageOf(W.ModelVersion)),
      }),
    },
    async (request) => {
      const model = await modelFor(services, request.user, request.params.model, 'viewer');
      const limit = request.query.limit ?? 50;
      const rows = await store.listModelVersions(model.id, {
        limit: limit + 1,
        below: decodeNumberCursor(request.query.cursor),
      });
      const items = rows.slice(0, limit);
      const presented = await Promise.all(
        items.map(async (v) => {
          const run = await store.getRun(v.runId);
          if (!run) throw notFound('run', v.runId);
          return presentModelVersion((await store.getRegistryVersion(model.id, v.version)) ?? v, run);
        }),
      );
      const last = items[items.length - 1];
      return { items: presented, nextCursor: rows.length > limit && last ? encodeCursor(last.version) : null };
    },
  );

  async function presentVersion(modelId: string, number: number, name: string) {
    const version = await store.getRegistryVersion(modelId, number);
    if (!version) throw notFound('model_version', `${name}@${number}`);
    const run = await store.getRun(version.runId);
    if (!run) throw notFound('run', version.runId);
    return presentModelVersion(version, run);
  }

  app.get<{ Params: Static<typeof VersionParams> }>(
    '/models/:model/versions/:version',
    { schema: routeSchema('models', { params: VersionParams, response: W.replies(200, W.ModelVersion) }) },
    async (request) => {
      const model = await modelFor(services, request.user, request.params.model, 'viewer');
      return presentVersion(model.id, request.params.version, model.name);
    },
  );

  app.patch<{ Params: Static<typeof VersionParams>; Body: Static<typeof UpdateVersion> }>(
    '/models/:model/versions/:version',
    {
      schema: routeSchema('models', {
        params: VersionParams,
        body: UpdateVersion,
        response: W.replies(200, W.ModelVersion),
      }),
    },
    async (request) => {
      const model = await modelFor(services, request.user, request.params.model, 'editor');
      const number = request.params.version;
      await presentVersion(model.id, number, model.name);
      const by = { actor: request.user.id, projectId: model.projectId };
      const { description, tags } = request.body;
      if (description !== undefined) {
        await store.updateRegistryVersion(model.id, number, { description }, { ...by, action: 'model.version.update' });
      }
      for (const [key, value] of Object.entries(tags ?? {})) {
        await store.setRegistryVersionTag(model.id, number, key, value, {
          ...by,
          action: value === null ? 'model.version.untag' : 'model.version.tag',
        });
      }
      return presentVersion(model.id, number, model.name);
    },
  );

  app.put<{ Params: Static<typeof AliasParams>; Body: Static<typeof SetAlias> }>(
    '/models/:model/aliases/:alias',
    { schema: routeSchema('models', { params: AliasParams, body: SetAlias, response: W.replies(200, W.Model) }) },
    async (request) => {
      const model = await modelFor(services, request.user, request.params.model, 'editor');
      if (request.body.force) {
        await requireRole(store, request.user, model.projectId, 'admin', { type: 'model', id: model.id });
      }
      await moveAlias(
        services,
        model,
        request.params.alias,
        request.body.version,
        { actor: request.user.id, action: 'model.alias.set', projectId: model.projectId },
        { force: request.body.force === true },
      );
      return presentModel((await store.getModel(model.id))!);
    },
  );

  app.delete<{ Params: Static<typeof AliasParams> }>(
    '/models/:model/aliases/:alias',
    { schema: routeSchema('models', { params: AliasParams, response: W.replies(200, W.Model) }) },
    async (request) => {
      const model = await modelFor(services, request.user, request.params.model, 'editor');
      const removed = await removeAlias(services, model, request.params.alias, {
        actor: request.user.id,
        action: 'model.alias.delete',
        projectId: model.projectId,
      });
      if (!removed) throw notFound('alias', `${model.name}@${request.params.alias}`);
      return presentModel((await store.getModel(model.id))!);
    },
  );
}
