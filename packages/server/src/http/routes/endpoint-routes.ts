// Real-time endpoints: a name serving `model@alias`, with an optional canary (a share of the answers) and shadow (a
// mirrored share whose answers are only logged). Routes resolve through the serving runtime, which swaps versions
// only once they have loaded, so alias moves go live without failed requests.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { FeatureRecord, Prediction } from '@modelyard/engine';
import type { FeedbackReply, PredictResponse, ShadowReport } from '@modelyard/client';
import { projectByName } from '../../auth/access.js';
import { badRequest, conflict, ModelyardError, unprocessable } from '../../errors.js';
import { parseModelRef } from '../../registry/model-ref.js';
import type { Services } from '../../services.js';
import { routeSchema } from '../fastify-types.js';
import * as W from '../wire-schemas.js';
import type { EndpointChanges, EndpointRecord } from '../../store/metadata-store.js';
import { newId } from '../../store/ids.js';
import { encodeCursor, pageRequest, PageQuerySchema, type PageQuery } from '../cursor.js';
import { IdSchema, NameSchema } from '../names.js';
import { presentEndpoint } from '../present.js';
import { scoreBatched } from '../../serving/micro-batcher.js';
import { DEFAULT_MAX_CONCURRENCY, type RouteState } from '../../serving/serving-runtime.js';
import { shadowReport } from '../../serving/shadow-report.js';
import { invalidRecords, Predict, PREDICT_BODY_LIMIT, recordsOf } from '../../serving/predict-request.js';
import { checkFeedback, FeedbackBody } from '../../serving/feedback.js';
import { isProbeRequest } from '../../monitoring/probe-auth.js';
import { endpointFor } from './endpoint-access.js';

/** Where a live probe's answer goes instead of the inference log: nowhere. */
const NOT_LOGGED = { append: (): Promise<void> => Promise.resolve() };

const ProjectParams = Type.Object({ project: NameSchema });
const EndpointParams = Type.Object({ endpoint: IdSchema });
const ModelRef = Type.String({ minLength: 3, maxLength: 200 });
const Share = Type.Number({ minimum: 0, maximum: 1 });
const Concurrency = Type.Integer({ minimum: 1, maximum: 10_000 });
const CreateEndpoint = Type.Object(
  { name: NameSchema, model: ModelRef, maxConcurrency: Type.Optional(Concurrency) },
  { additionalProperties: false },
);
const RouteBody = Type.Union([
  Type.Object({ model: ModelRef, share: Share }, { additionalProperties: false }),
  Type.Null(),
]);
const UpdateEndpoint = Type.Object(
  {
    model: Type.Optional(ModelRef),
    canary: Type.Optional(RouteBody),
    shadow: Type.Optional(RouteBody),
    maxConcurrency: Type.Optional(Concurrency),
  },
  { additionalProperties: false, minProperties: 1 },
);
const PredictQuery = Type.Object({ explain: Type.Optional(Type.Boolean()) });
/** Records one request may ask explanations for: each costs about as much as scoring it a few hundred times. */
const MAX_EXPLAINED_RECORDS = 1000;
const ShadowQuery = Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })) });

async function present(services: Services, endpoint: EndpointRecord) {
  try {
    return presentEndpoint(endpoint, await services.serving.runtime.state(endpoint));
  } catch {
    return presentEndpoint(endpoint, undefined);
  }
}

async function checkRef(services: Services, projectId: string, ref: string): Promise<void> {
  parseModelRef(ref);
  await services.serving.runtime.checkLoads(projectId, ref);
}

export function endpointRoutes(app: FastifyInstance, services: Services): void {
  const { store } = services;
  const { runtime, inferences, shadows } = services.serving;

  /** Scores a mirrored request on the shadow route after the caller has its answer; only logged. */
  function mirror(endpoint: EndpointRecord, shadow: RouteState, requestId: string, records: FeatureRecord[]): void {
    setImmediate(() => {
      const started = performance.now();
      const log = (outputs: Prediction[] | null, error: string | null) =>
        shadows
          .append({
            requestId,
            endpointId: endpoint.id,
            modelRef: shadow.ref,
            modelVersion: shadow.version,
            outputs,
            error,
            latencyMs: performance.now() - started,
          })
          .catch((e: unknown) => app.log.warn({ err: e, endpoint: endpoint.id }, 'shadow log write failed'));
      try {
        const issues = shadow.model.validate(records);
        if (issues.length > 0) {
          void log(null, invalidRecords(issues, shadow.model).message);
          return;
        }
        Promise.resolve(scoreBatched(shadow.model, records)).then(
          (scored) => void log(scored.predictions, null),
          (error: unknown) => void log(null, error instanceof Error ? error.message : String(error)),
        );
      } catch (error) {
        void log(null, error instanceof Error ? error.message : String(error));
      }
    });
  }

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
      await checkRef(services, project.id, request.body.model);
      const endpoint = await store.createEndpoint(
        {
          projectId: project.id,
          name: request.body.name,
          modelRef: request.body.model,
          createdBy: request.user.id,
          maxConcurrency: request.body.maxConcurrency ?? DEFAULT_MAX_CONCURRENCY,
        },
        { actor: request.user.id, action: 'endpoint.create', details: { model: request.body.model } },
      );
      return reply.status(201).send(await present(services, endpoint));
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
      const items = await Promise.all(page.items.map((e) => present(services, e)));
      return { items, nextCursor: page.next === null ? null : encodeCursor(page.next) };
    },
  );

  app.get<{ Params: Static<typeof EndpointParams> }>(
    '/endpoints/:endpoint',
    { schema: routeSchema('endpoints', { params: EndpointParams, response: W.replies(200, W.Endpoint) }) },
    async (request) => present(services, await endpointFor(services, request.user, request.params.endpoint, 'viewer')),
  );

  app.patch<{ Params: Static<typeof EndpointParams>; Body: Static<typeof UpdateEndpoint> }>(
    '/endpoints/:endpoint',
    {
      schema: routeSchema('endpoints', {
        params: EndpointParams,
        body: UpdateEndpoint,
        response: W.replies(200, W.Endpoint),
      }),
    },
    async (request) => {
      const endpoint = await endpointFor(services, request.user, request.params.endpoint, 'editor');
      const { model, canary, shadow, maxConcurrency } = request.body;
      // Every reference must resolve and load before anything changes.
      for (const ref of [model, canary?.model, shadow?.model]) {
        if (ref !== undefined) await checkRef(services, endpoint.projectId, ref);
      }
      const changes: EndpointChanges = {};
      if (model !== undefined) changes.modelRef = model;
      if (canary !== undefined) changes.canary = canary && { modelRef: canary.model, share: canary.share };
      if (shadow !== undefined) changes.shadow = shadow && { modelRef: shadow.model, share: shadow.share };
      if (maxConcurrency !== undefined) changes.maxConcurrency = maxConcurrency;
      const updated = await store.updateEndpoint(endpoint.id, changes, {
        actor: request.user.id,
        action: 'endpoint.update',
        projectId: endpoint.projectId,
        details: { ...request.body },
      });
      await runtime.refresh(updated.id);
      return present(services, updated);
    },
  );

  app.post<{
    Params: Static<typeof EndpointParams>;
    Body: Static<typeof Predict>;
    Querystring: Static<typeof PredictQuery>;
  }>(
    '/endpoints/:endpoint/predict',
    {
      schema: routeSchema('endpoints', {
        params: EndpointParams,
        querystring: PredictQuery,
        body: Predict,
        response: W.replies(200, W.PredictResponse),
      }),
      bodyLimit: PREDICT_BODY_LIMIT,
    },
    async (request, reply) => {
      const started = performance.now();
      // Scoring is a read: viewers may call endpoints.
      const { endpoint } = await runtime.access(request.params.endpoint, request.user.id, async () => {
        const found = await endpointFor(services, request.user, request.params.endpoint, 'viewer');
        return { endpoint: found, role: 'viewer' };
      });
      const records = recordsOf(request.body);
      const state = await runtime.state(endpoint);
      const { primary, canary, shadow } = state;
      if (primary === undefined) {
        throw new ModelyardError(503, 'model_unavailable', `Endpoint '${endpoint.name}' has no loadable model.`, {
          reason: state.loadError,
        });
      }
      // A live probe (monitoring/probe-auth.ts) always scores the primary route and is neither logged nor mirrored.
      const probe = isProbeRequest(request);
      const route = !probe && canary !== undefined && Math.random() < canary.share ? canary : primary;
      const issues = route.model.validate(records);
      if (issues.length > 0) throw invalidRecords(issues, route.model);
      const explain = request.query.explain === true ? route.model.explain : undefined;
      if (request.query.explain === true) {
        if (explain === undefined) {
          throw unprocessable(
            'explain_unsupported',
            `${route.ref} has no exact explanations (an imported ONNX model or a stacked ensemble).`,
          );
        }
        if (records.length > MAX_EXPLAINED_RECORDS) {
          throw badRequest(
            'too_many_records_to_explain',
            `Explanations are given for up to ${MAX_EXPLAINED_RECORDS} records a request; this one has ${records.length}.`,
          );
        }
      }
      inferences.checkRoom();
      const release = await runtime.admit(endpoint);
      const requestId = newId('inf');
      let answer: PredictResponse;
      try {
        const valid = records as FeatureRecord[];
        const scored = await scoreBatched(route.model, valid);
        const latencyMs = performance.now() - started;
        const logged = (probe ? NOT_LOGGED : inferences).append({
          id: requestId,
          endpointId: endpoint.id,
          modelVersion: route.version,
          modelRef: route.ref,
          route: route === primary ? 'primary' : 'canary',
          inputs: valid,
          outputs: scored.predictions,
          latencyMs,
          flaggedRecords: new Set(scored.warnings.map((w) => w.row)).size,
        });
        // Batched (default): the entry commits with the next batch; a failed commit is logged, the answer stands.
        if (services.config.inferenceLogSync) await logged;
        else
          logged.catch((e: unknown) => app.log.error({ err: e, endpoint: endpoint.id }, 'inference log write failed'));
        answer = {
          predictions: scored.predictions,
          model: route.ref,
          modelVersion: route.version,
          route: route === primary ? 'primary' : 'canary',
          requestId,
          latencyMs,
          ...(scored.warnings.length > 0 && { warnings: scored.warnings.slice(0, 1000) }),
          ...(explain !== undefined && { explanations: explain(valid) }),
        };
        if (!probe && shadow !== undefined && Math.random() < shadow.share) mirror(endpoint, shadow, requestId, valid);
      } finally {
        release();
      }
      // Predictions can be large: plain JSON.stringify beats schema serialisation over a union type.
      return reply.header('x-request-id', requestId).type('application/json').send(JSON.stringify(answer));
    },
  );

  app.post<{ Params: Static<typeof EndpointParams>; Body: FeedbackBody }>(
    '/endpoints/:endpoint/feedback',
    {
      schema: routeSchema('endpoints', {
        params: EndpointParams,
        body: FeedbackBody,
        response: W.replies(200, W.FeedbackReply),
      }),
    },
    async (request): Promise<FeedbackReply> => {
      // Whoever may call predict may label its answers (viewer): labels come back from the same callers, and like
      // the inference log they describe the endpoint's traffic rather than change what it serves.
      const endpoint = await endpointFor(services, request.user, request.params.endpoint, 'viewer');
      // A label may follow its answer before the batched log entry commits: commit what this server answered first.
      await inferences.flush();
      const { labels } = request.body;
      const shapes = await store.loggedRequestShapes(
        endpoint.id,
        labels.map((l) => l.requestId),
      );
      const { accepted, reply } = checkFeedback(labels, shapes);
      await store.upsertFeedback(endpoint.id, accepted, request.user.id);
      return reply;
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
      // What this server answered is readable at once, batched or not.
      await inferences.flush();
      const page = await store.listInferences(endpoint.id, pageRequest(request.query));
      return { items: page.items, nextCursor: page.next === null ? null : encodeCursor(page.next) };
    },
  );

  app.get<{ Params: Static<typeof EndpointParams>; Querystring: Static<typeof ShadowQuery> }>(
    '/endpoints/:endpoint/shadow-report',
    {
      schema: routeSchema('endpoints', {
        params: EndpointParams,
        querystring: ShadowQuery,
        response: W.replies(200, W.ShadowReport),
      }),
    },
    async (request): Promise<ShadowReport> => {
      const endpoint = await endpointFor(services, request.user, request.params.endpoint, 'viewer');
      // Each pair's primary entry must be readable, not only the shadow's.
      await Promise.all([shadows.flush(), inferences.flush()]);
      const pairs = await store.recentShadowPairs(endpoint.id, request.query.limit ?? 10_000);
      const labels = await store.feedbackFor(
        endpoint.id,
        pairs.map((p) => p.shadow.requestId),
      );
      return shadowReport(endpoint, pairs, labels);
    },
  );
}
