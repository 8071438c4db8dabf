// Model cards: generated per version from what the platform holds (monitoring/model-card.ts) as JSON, Markdown or
// HTML; the written fields (intended use, limitations, …) are saved with the version, where the `model_card` gate
// reads them.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { ModelCard } from '@modelyard/client';
import { buildModelCard, readCardEdits } from '../../monitoring/model-card.js';
import { applyEdits, ModelCardBody } from '../../monitoring/model-card-fields.js';
import { modelCardHtml, modelCardMarkdown } from '../../monitoring/model-card-render.js';
import { versionAssetKey } from '../../registry/gates.js';
import type { Services } from '../../services.js';
import { routeSchema } from '../fastify-types.js';
import { IdSchema } from '../names.js';
import * as W from '../wire-schemas.js';
import { versionFor } from './version-access.js';

const VersionParams = Type.Object({ model: IdSchema, version: Type.Integer({ minimum: 1 }) });
const CardQuery = Type.Object(
  { format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('md'), Type.Literal('html')])) },
  { additionalProperties: false },
);

export function modelCardRoutes(app: FastifyInstance, services: Services): void {
  const { store, artifacts } = services;

  app.get<{ Params: Static<typeof VersionParams>; Querystring: Static<typeof CardQuery> }>(
    '/models/:model/versions/:version/model-card',
    {
      schema: routeSchema('models', {
        params: VersionParams,
        querystring: CardQuery,
        response: W.replies(200, W.ModelCard),
        description: 'The version’s model card: `ModelCard` JSON, or `format=md` (text/markdown), `format=html`.',
      }),
    },
    async (request, reply) => {
      const { model, version } = await versionFor(store, request.user, request.params, 'viewer');
      const card = await buildModelCard(store, artifacts, model, version);
      const format = request.query.format ?? 'json';
      if (format === 'json') return card;
      const text = format === 'md' ? modelCardMarkdown(card) : modelCardHtml(card);
      return reply
        .type(format === 'md' ? 'text/markdown; charset=utf-8' : 'text/html; charset=utf-8')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
        .send(text);
    },
  );

  app.put<{ Params: Static<typeof VersionParams>; Body: ModelCardBody }>(
    '/models/:model/versions/:version/model-card',
    {
      schema: routeSchema('models', {
        params: VersionParams,
        body: ModelCardBody,
        response: W.replies(200, W.ModelCard),
        description: 'Saves the written fields of the card (a field left out is kept, null clears it).',
      }),
    },
    async (request): Promise<ModelCard> => {
      const { model, version } = await versionFor(store, request.user, request.params, 'editor');
      const saved = await readCardEdits(artifacts, model, version.version);
      const user = request.user.name;
      const edits = applyEdits(saved, request.body, user, new Date().toISOString());
      await artifacts.putBytes(
        versionAssetKey(model.id, version.version, 'model_card'),
        new TextEncoder().encode(JSON.stringify(edits, null, 2)),
      );
      await store.appendAudit({
        actor: request.user.id,
        action: 'model.version.card',
        objectType: 'model',
        objectId: model.id,
        projectId: model.projectId,
        details: { version: version.version, fields: Object.keys(request.body) },
      });
      return buildModelCard(store, artifacts, model, version);
    },
  );
}
