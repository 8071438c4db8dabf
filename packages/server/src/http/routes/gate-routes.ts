// Readiness gates of a registered model (admins set them) and reviews of its versions (editors and admins approve or
// reject); the alias routes refuse a move that fails a gate (registry/move-alias.ts).

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Review } from '@modelyard/client';
import { requireRole } from '../../auth/access.js';
import { notFound } from '../../errors.js';
import { checkGates } from '../../registry/gates.js';
import type { Services } from '../../services.js';
import type { ModelRecord, UserRecord } from '../../store/metadata-store.js';
import type { ReviewRecord } from '../../store/gate-store.js';
import { routeSchema } from '../fastify-types.js';
import { AliasSchema, IdSchema } from '../names.js';
import * as W from '../wire-schemas.js';

const ModelParams = Type.Object({ model: IdSchema });
const GateParams = Type.Object({ model: IdSchema, gate: IdSchema });
const VersionParams = Type.Object({ model: IdSchema, version: Type.Integer({ minimum: 1 }) });
const CreateGate = Type.Object(
  { rule: W.GateRule, aliases: Type.Optional(Type.Array(AliasSchema, { maxItems: 20 })) },
  { additionalProperties: false },
);
const CheckQuery = Type.Object({ alias: Type.Optional(AliasSchema) });
const CreateReview = Type.Object(
  {
    decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
    comment: Type.Optional(Type.String({ maxLength: 4000 })),
  },
  { additionalProperties: false },
);

export function gateRoutes(app: FastifyInstance, services: Services): void {
  const { store, artifacts } = services;

  async function modelFor(user: UserRecord, id: string, min: 'viewer' | 'editor' | 'admin') {
    const model = await store.getModel(id);
    if (!model) throw notFound('model', id);
    const role = await requireRole(store, user, model.projectId, min, { type: 'model', id });
    return { model, role };
  }

  async function versionOf(model: ModelRecord, version: number) {
    const found = await store.getModelVersion(model.id, version);
    if (!found) throw notFound('model_version', `${model.name}@${version}`);
    return found;
  }

  async function presentReview(r: ReviewRecord): Promise<Review> {
    const { userId, ...rest } = r;
    return { ...rest, user: (await store.getUser(userId))?.name ?? userId };
  }

  app.get<{ Params: Static<typeof ModelParams> }>(
    '/models/:model/gates',
    {
      schema: routeSchema('models', {
        params: ModelParams,
        response: W.replies(200, Type.Object({ items: Type.Array(W.Gate) })),
      }),
    },
    async (request) => {
      const { model } = await modelFor(request.user, request.params.model, 'viewer');
      return { items: await store.listGates(model.id) };
    },
  );

  app.post<{ Params: Static<typeof ModelParams>; Body: Static<typeof CreateGate> }>(
    '/models/:model/gates',
    { schema: routeSchema('models', { params: ModelParams, body: CreateGate, response: W.replies(201, W.Gate) }) },
    async (request, reply) => {
      const { model } = await modelFor(request.user, request.params.model, 'admin');
      const gate = await store.createGate(model.id, request.body.rule, request.body.aliases ?? [], {
        actor: request.user.id,
        action: 'model.gate.create',
        projectId: model.projectId,
      });
      return reply.status(201).send(gate);
    },
  );

  app.delete<{ Params: Static<typeof GateParams> }>(
    '/models/:model/gates/:gate',
    { schema: routeSchema('models', { params: GateParams, response: W.replies(204) }) },
    async (request, reply) => {
      const { model } = await modelFor(request.user, request.params.model, 'admin');
      const removed = await store.deleteGate(model.id, request.params.gate, {
        actor: request.user.id,
        action: 'model.gate.delete',
        projectId: model.projectId,
      });
      if (!removed) throw notFound('gate', request.params.gate);
      return reply.status(204).send();
    },
  );

  app.get<{ Params: Static<typeof VersionParams>; Querystring: Static<typeof CheckQuery> }>(
    '/models/:model/versions/:version/gates',
    {
      schema: routeSchema('models', {
        params: VersionParams,
        querystring: CheckQuery,
        response: W.replies(200, W.GateCheck),
      }),
    },
    async (request) => {
      const { model } = await modelFor(request.user, request.params.model, 'viewer');
      const version = await versionOf(model, request.params.version);
      return checkGates(store, artifacts, model, version, request.query.alias ?? null);
    },
  );

  app.get<{ Params: Static<typeof VersionParams> }>(
    '/models/:model/versions/:version/reviews',
    {
      schema: routeSchema('models', {
        params: VersionParams,
        response: W.replies(200, Type.Object({ items: Type.Array(W.Review) })),
      }),
    },
    async (request) => {
      const { model } = await modelFor(request.user, request.params.model, 'viewer');
      await versionOf(model, request.params.version);
      const reviews = await store.listReviews(model.id, request.params.version);
      return { items: await Promise.all(reviews.map(presentReview)) };
    },
  );

  app.post<{ Params: Static<typeof VersionParams>; Body: Static<typeof CreateReview> }>(
    '/models/:model/versions/:version/reviews',
    {
      schema: routeSchema('models', { params: VersionParams, body: CreateReview, response: W.replies(201, W.Review) }),
    },
    async (request, reply) => {
      const { model, role } = await modelFor(request.user, request.params.model, 'editor');
      const version = await versionOf(model, request.params.version);
      const review = await store.saveReview(
        {
          modelId: model.id,
          version: version.version,
          userId: request.user.id,
          decision: request.body.decision,
          role,
          comment: request.body.comment ?? '',
        },
        { actor: request.user.id, action: `model.version.${request.body.decision}`, projectId: model.projectId },
      );
      return reply.status(201).send(await presentReview(review));
    },
  );
}
