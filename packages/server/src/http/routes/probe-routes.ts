// Ground-truth probes: a registered model's probe set (editors write it), runs against a version, live runs against
// an endpoint's routes, and the stored runs (monitoring/probe-runner.ts).

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { ProbeRun, ProbeSet } from '@modelyard/client';
import { requireRole } from '../../auth/access.js';
import { notFound } from '../../errors.js';
import { checkProbeSet, MAX_PROBES } from '../../monitoring/probe-check.js';
import type { Services } from '../../services.js';
import type { UserRecord } from '../../store/metadata-store.js';
import type { ProbeSetRecord } from '../../store/probe-store.js';
import { routeSchema } from '../fastify-types.js';
import { IdSchema } from '../names.js';
import * as W from '../wire-schemas.js';

const ModelParams = Type.Object({ model: IdSchema });
const VersionParams = Type.Object({ model: IdSchema, version: Type.Integer({ minimum: 1 }) });
const EndpointParams = Type.Object({ endpoint: IdSchema });
const PutProbes = Type.Object(
  {
    probes: Type.Array(W.Probe, { minItems: 1, maxItems: MAX_PROBES }),
    schedule: Type.Optional(Type.Union([W.ProbeSchedule, Type.Null()])),
  },
  { additionalProperties: false },
);
const RunsQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })) });
const RunList = Type.Object({ items: Type.Array(W.ProbeRun) });

const present = ({ projectId: _, ...set }: ProbeSetRecord): ProbeSet => set;

export function probeRoutes(app: FastifyInstance, services: Services): void {
  const { store } = services;

  async function modelFor(user: UserRecord, id: string, min: 'viewer' | 'editor') {
    const model = await store.getModel(id);
    if (!model) throw notFound('model', id);
    await requireRole(store, user, model.projectId, min, { type: 'model', id });
    return model;
  }

  app.put<{ Params: Static<typeof ModelParams>; Body: Static<typeof PutProbes> }>(
    '/models/:model/probes',
    {
      schema: routeSchema('models', {
        params: ModelParams,
        body: PutProbes,
        response: W.replies(200, W.ProbeSet),
        description: 'Replaces the model’s probe set: records with expected outputs, and an optional live schedule.',
      }),
    },
    async (request): Promise<ProbeSet> => {
      const model = await modelFor(request.user, request.params.model, 'editor');
      const { probes, schedule } = request.body;
      checkProbeSet(probes);
      const saved = await store.saveProbeSet(
        { modelId: model.id, projectId: model.projectId, probes, everyMinutes: schedule?.everyMinutes ?? null },
        { actor: request.user.id, action: 'model.probes.set', projectId: model.projectId },
      );
      return present(saved);
    },
  );

  app.get<{ Params: Static<typeof ModelParams> }>(
    '/models/:model/probes',
    { schema: routeSchema('models', { params: ModelParams, response: W.replies(200, W.ProbeSet) }) },
    async (request): Promise<ProbeSet> => {
      const model = await modelFor(request.user, request.params.model, 'viewer');
      return present(await services.probes.probeSetOf(model));
    },
  );

  app.post<{ Params: Static<typeof VersionParams> }>(
    '/models/:model/versions/:version/probes/run',
    {
      schema: routeSchema('models', {
        params: VersionParams,
        response: W.replies(200, W.ProbeRun),
        description: 'Runs the model’s probes on the version (loaded as endpoints load it) and stores the run.',
      }),
    },
    async (request): Promise<ProbeRun> => {
      const model = await modelFor(request.user, request.params.model, 'editor');
      const version = await store.getModelVersion(model.id, request.params.version);
      if (!version) throw notFound('model_version', `${model.name}@${request.params.version}`);
      return services.probes.runVersion(model, version, 'manual', request.user.id);
    },
  );

  app.get<{ Params: Static<typeof ModelParams>; Querystring: Static<typeof RunsQuery> }>(
    '/models/:model/probe-runs',
    {
      schema: routeSchema('models', { params: ModelParams, querystring: RunsQuery, response: W.replies(200, RunList) }),
    },
    async (request) => {
      const model = await modelFor(request.user, request.params.model, 'viewer');
      return { items: await store.listModelProbeRuns(model.id, request.query.limit ?? 50) };
    },
  );

  async function endpointFor(user: UserRecord, id: string, min: 'viewer' | 'editor') {
    const endpoint = await store.getEndpoint(id);
    if (!endpoint) throw notFound('endpoint', id);
    await requireRole(store, user, endpoint.projectId, min, { type: 'endpoint', id });
    return endpoint;
  }

  app.post<{ Params: Static<typeof EndpointParams> }>(
    '/endpoints/:endpoint/probes/run',
    {
      schema: routeSchema('endpoints', {
        params: EndpointParams,
        response: W.replies(200, RunList),
        description: 'Probes the endpoint now, as the schedule does: one run per route whose model has probes.',
      }),
    },
    async (request) => {
      const endpoint = await endpointFor(request.user, request.params.endpoint, 'editor');
      return { items: await services.probes.probeEndpoint(endpoint, 'manual', request.user.id) };
    },
  );

  app.get<{ Params: Static<typeof EndpointParams>; Querystring: Static<typeof RunsQuery> }>(
    '/endpoints/:endpoint/probe-runs',
    {
      schema: routeSchema('endpoints', {
        params: EndpointParams,
        querystring: RunsQuery,
        response: W.replies(200, RunList),
      }),
    },
    async (request) => {
      const endpoint = await endpointFor(request.user, request.params.endpoint, 'viewer');
      return { items: await store.listEndpointProbeRuns(endpoint.id, request.query.limit ?? 50) };
    },
  );
}
