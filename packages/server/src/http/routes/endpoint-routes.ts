// Real-time endpoints: a name serving `model@alias`; predict resolves the alias per request, so moves go live at once.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { predictRecords, validateRecords, type FeatureRecord } from '@modelyard/engine';
import { projectByName, requireRole } from '../../auth/access.js';
import { badRequest, conflict, notFound } from '../../errors.js';
import { resolveModelRef, type ResolvedModel } from '../../registry/model-ref.js';
import type { Services } from '../../services.js';
import { routeSchema } from '../fastify-types.js';
import * as W from '../wire-schemas.js';
import type { EndpointRecord, UserRecord } from '../../store/metadata-store.js';
import { encodeCursor, pageRequest, PageQuerySchema, type PageQuery } from '../cursor.js';
import { IdSchema, NameSchema } from '../names.js';
import { presentEndpoint } from '../present.js';

const ProjectParams = Type.Object({ project: NameSchema });
const EndpointParams = Type.Object({ endpoint: IdSchema });
const CreateEndpoint = Type.Object(
  { name: NameSchema, model: Type.String({ minLength: 3, maxLength: 200 }) },
  { additionalProperties: false },
);
const Predict = Type.Object(
  { records: Type.Array(Type.Object({}, { additionalProperties: true }), { minItems: 1, maxItems: 10_000 }) },
  { additionalProperties: false },
);

async function endpointFor(
  services: Services,
  user: UserRecord,
  id: string,
  min: 'viewer' | 'editor',
): Promise<EndpointRecord> {
  const endpoint = await services.store.getEndpoint(id);
  if (!endpoint) throw notFound('endpoint', id);
  await requireRole(services.store, user, endpoint.projectId, min, { type: 'endpoint', id });
  return endpoint;
}

async function resolveServing(services: Services, endpoint: EndpointRecord): Promise<ResolvedModel | undefined> {
  try {
    return await resolveModelRef(services.store, endpoint.projectId, endpoint.modelRef);
  } catch {
    return undefined;
  }
}

export function endpointRoutes(app: FastifyInstance, services: Services): void {
  const { store } = services;

  app.post<{ Params: Static<typeof ProjectParams>; Body: Static<typeof CreateEndpoint> }>(
    '/projects/:project/endpoints',
    {
      schema: routeSchema('endpoints', {
        params: ProjectParams,
        body: CreateEndpoint,
        response: W.replies(201, W.Endpoint),
      }),
    },
    async (request, reply) => {
      const { project } = await projectByName(store, request.user, request.params.project, 'editor');
      if (await store.getEndpointByName(project.id, request.body.name)) {
        throw conflict('endpoint_exists', `An endpoint named '${request.body.name}' exists in this project.`);
      }
      const resolved = await resolveModelRef(store, project.id, request.body.model);
      const endpoint = await store.createEndpoint(
        { projectId: project.id, name: request.body.name, modelRef: request.body.model, createdBy: request.user.id },
        { actor: request.user.id, action: 'endpoint.create', details: { model: request.body.model } },
      );
      return reply.status(201).send(presentEndpoint(endpoint, resolved.version.version));
    },
  );

  app.get<{ Params: Static<typeof ProjectParams>; Querystring: PageQuery }>(
    '/projects/:project/endpoints',
    {
      schema: routeSchema('endpoints', {
        params: ProjectParams,
        querystring: PageQuerySchema,
        response: W.replies(200, W.PageOf(W.Endpoint)),
      }),
    },
    async (request) => {
      const { project } = await projectByName(store, request.user, request.params.project, 'viewer');
      const page = await store.listEndpoints(project.id, pageRequest(request.query));
      const items = await Promise.all(
        page.items.map(async (e) => presentEndpoint(e, (await resolveServing(services, e))?.version.version ?? 0)),
      );
      return { items, nextCursor: page.next === null ? null : encodeCursor(page.next) };
    },
  );

  app.get<{ Params: Static<typeof EndpointParams> }>(
    '/endpoints/:endpoint',
    { schema: routeSchema('endpoints', { params: EndpointParams, response: W.replies(200, W.Endpoint) }) },
    async (request) => {
      const endpoint = await endpointFor(services, request.user, request.params.endpoint, 'viewer');
      return presentEndpoint(endpoint, (await resolveServing(services, endpoint))?.version.version ?? 0);
    },
  );

  app.post<{ Params: Static<typeof EndpointParams>; Body: Static<typeof Predict> }>(
    '/endpoints/:endpoint/predict',
    {
      schema: routeSchema('endpoints', {
        params: EndpointParams,
        body: Predict,
        response: W.replies(200, W.PredictResponse),
      }),
      bodyLimit: 64 * 1024 * 1024,
    },
    async (request, reply) => {
      const started = performance.now();
      // Scoring is a read: viewers may call endpoints.
      const endpoint = await endpointFor(services, request.user, request.params.endpoint, 'viewer');
      const { version } = await resolveModelRef(store, endpoint.projectId, endpoint.modelRef);
      const run = await store.getRun(version.runId);
      if (!run?.artifactKey) throw notFound('model_artifact', version.runId);
      const artifact = await services.models.load(run.artifactKey);
      const issues = validateRecords(artifact, request.body.records);
      if (issues.length > 0) {
        const first = issues[0]!;
        throw badRequest(
          'invalid_records',
          `Record ${first.row}: field '${first.field}' is ${first.problem.replace('_', ' ')}` +
            (first.expected ? ` (expected ${first.expected})` : '') +
            (issues.length > 1 ? `, and ${issues.length - 1} more issue(s).` : '.'),
          { issues: issues.slice(0, 100), features: artifact.features.map((f) => ({ name: f.name, type: f.type })) },
        );
      }
      const records = request.body.records as FeatureRecord[];
      const predictions = predictRecords(artifact, records);
      const latencyMs = performance.now() - started;
      const logged = await store.logInference({
        endpointId: endpoint.id,
        modelVersion: version.version,
        inputs: records,
        outputs: predictions,
        latencyMs,
      });
      const answer = {
        predictions,
        model: endpoint.modelRef,
        modelVersion: version.version,
        requestId: logged.id,
        latencyMs,
      };
      // Predictions can be large: plain JSON.stringify beats schema serialisation over a union type.
      return reply.type('application/json').send(JSON.stringify(answer));
    },
  );

  app.get<{ Params: Static<typeof EndpointParams>; Querystring: PageQuery }>(
    '/endpoints/:endpoint/requests',
    {
      schema: routeSchema('endpoints', {
        params: EndpointParams,
        querystring: PageQuerySchema,
        response: W.replies(200, W.PageOf(W.InferenceRecord)),
      }),
    },
    async (request) => {
      const endpoint = await endpointFor(services, request.user, request.params.endpoint, 'viewer');
      const page = await store.listInferences(endpoint.id, pageRequest(request.query));
      return { items: page.items, nextCursor: page.next === null ? null : encodeCursor(page.next) };
    },
  );
}
