// Fairness slices: a version's, computed on demand (editors) from its run's held-out rows and stored with the
// version; an endpoint's, over a window of its labelled records.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { EndpointFairness, VersionFairness } from '@modelyard/client';
import { badRequest, notFound } from '../../errors.js';
import { endpointFairness } from '../../monitoring/endpoint-fairness.js';
import { computeVersionFairness, readVersionFairness } from '../../monitoring/version-fairness.js';
import type { Services } from '../../services.js';
import * as F from '../fairness-schemas.js';
import { routeSchema } from '../fastify-types.js';
import { IdSchema } from '../names.js';
import * as W from '../wire-schemas.js';
import { endpointFor } from './endpoint-access.js';
import { versionFor } from './version-access.js';
import { queryTimestamp } from '../query-time.js';

const VersionParams = Type.Object({ model: IdSchema, version: Type.Integer({ minimum: 1 }) });
const EndpointParams = Type.Object({ endpoint: IdSchema });
const DAY_MS = 24 * 60 * 60 * 1000;

export function fairnessRoutes(app: FastifyInstance, services: Services): void {
  const { store } = services;

  app.get<{ Params: Static<typeof VersionParams> }>(
    '/models/:model/versions/:version/fairness',
    { schema: routeSchema('models', { params: VersionParams, response: W.replies(200, F.VersionFairness) }) },
    async (request): Promise<VersionFairness> => {
      const { model, version } = await versionFor(store, request.user, request.params, 'viewer');
      const stored = await readVersionFairness(services, model.id, version.version);
      if (!stored) throw notFound('fairness', `${model.name}@${version.version}`);
      return stored;
    },
  );

  app.post<{ Params: Static<typeof VersionParams>; Body: Static<typeof F.NewVersionFairness> }>(
    '/models/:model/versions/:version/fairness',
    {
      schema: routeSchema('models', {
        params: VersionParams,
        body: F.NewVersionFairness,
        response: W.replies(200, F.VersionFairness),
        description:
          'Computes metrics per segment of 1–2 columns of the run’s data (its held-out rows) and stores them.',
      }),
    },
    async (request): Promise<VersionFairness> => {
      const { model, version } = await versionFor(store, request.user, request.params, 'editor');
      const fairness = await computeVersionFairness(services, model.id, version, request.body);
      await store.appendAudit({
        actor: request.user.id,
        action: 'model.version.fairness',
        objectType: 'model',
        objectId: model.id,
        projectId: model.projectId,
        details: { version: version.version, columns: request.body.columns },
      });
      return fairness;
    },
  );

  app.get<{ Params: Static<typeof EndpointParams>; Querystring: Static<typeof F.EndpointFairnessQuery> }>(
    '/endpoints/:endpoint/fairness',
    {
      schema: routeSchema('endpoints', {
        params: EndpointParams,
        querystring: F.EndpointFairnessQuery,
        response: W.replies(200, F.EndpointFairness),
        description:
          'Metrics per segment of a feature over the endpoint’s labelled records in a window (default 24 h).',
      }),
    },
    async (request): Promise<EndpointFairness> => {
      const endpoint = await endpointFor(services, request.user, request.params.endpoint, 'viewer');
      const { column, positiveClass, minGroupSize } = request.query;
      const to = request.query.to === undefined ? new Date().toISOString() : queryTimestamp(request.query.to, 'to');
      const from =
        request.query.from === undefined
          ? new Date(Date.parse(to) - DAY_MS).toISOString()
          : queryTimestamp(request.query.from, 'from');
      if (from >= to) throw badRequest('invalid_window', 'The window must end after it starts.', { from, to });
      return endpointFairness(services, endpoint, { column, from, to, positiveClass, minGroupSize });
    },
  );
}
