// `modelyard serve`: one model behind the platform's predict API, with no metadata store, for edge or isolated
// deployments. The same request and response shapes, validation, micro-batching, back-pressure and request ids as a
// platform endpoint; requests are logged to a JSON-lines file (batched, fsynced) when one is given.

import { timingSafeEqual } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { FeatureRecord } from '@modelyard/engine';
import type { PredictResponse } from '@modelyard/client';
import { installErrorHandler } from '../http/error-handler.js';
import { ModelyardError, notFound, unauthenticated } from '../errors.js';
import { newId } from '../store/ids.js';
import { GroupCommit } from './group-commit.js';
import type { LoadedModel } from './loaded-model.js';
import { scoreBatched } from './micro-batcher.js';
import { invalidRecords, Predict, PREDICT_BODY_LIMIT, recordsOf } from './predict-request.js';

export interface ServedModel {
  model: LoadedModel;
  /** What it is, for answers and logs: `name@version`, or the file it came from. */
  ref: string;
  version: number;
}

export interface StandaloneOptions {
  served: ServedModel;
  /** The endpoint's name in `/api/v1/endpoints/<name>/predict`. */
  name: string;
  host: string;
  port: number;
  /** When set, callers must send `Authorization: Bearer <token>`. */
  token?: string;
  /** A JSON-lines file every answered request is appended to. */
  logFile?: string;
  maxConcurrency: number;
}

export interface StandaloneServer {
  url: string;
  app: FastifyInstance;
  /** Serves another model from now on (hot swap: requests in flight finish on the old one). */
  swap(served: ServedModel): void;
  current(): ServedModel;
  close(): Promise<void>;
}

const EndpointParams = Type.Object({ endpoint: Type.String({ maxLength: 200 }) });

export async function startStandalone(options: StandaloneOptions): Promise<StandaloneServer> {
  let served = options.served;
  let inFlight = 0;
  let log: FileHandle | undefined;
  if (options.logFile) log = await open(options.logFile, 'a');
  const writer =
    log &&
    new GroupCommit<string>(async (lines) => {
      await log!.appendFile(lines.join(''));
      await log!.datasync();
    });
  const app = Fastify({ logger: false, bodyLimit: PREDICT_BODY_LIMIT });
  installErrorHandler(app);
  const expected = options.token === undefined ? undefined : Buffer.from(`Bearer ${options.token}`);
  app.addHook('onRequest', async (request) => {
    if (expected === undefined || request.url === '/healthz') return;
    const given = Buffer.from(request.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw unauthenticated('Send the serving token as "Authorization: Bearer <token>".');
    }
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ error: { code: 'route_not_found', message: `No route ${request.method} ${request.url.split('?')[0]}` } }),
  );

  const info = () => ({
    name: options.name,
    model: served.ref,
    modelVersion: served.version,
    features: served.model.features,
    maxConcurrency: options.maxConcurrency,
  });
  app.get('/healthz', async () => ({ status: 'ok', ...info() }));

  async function predict(body: Static<typeof Predict>): Promise<PredictResponse> {
    const started = performance.now();
    const route = served;
    const records = recordsOf(body);
    const issues = route.model.validate(records);
    if (issues.length > 0) throw invalidRecords(issues, route.model);
    if (inFlight >= options.maxConcurrency) {
      throw new ModelyardError(429, 'too_many_requests', `At the limit of ${options.maxConcurrency} requests; retry.`, {
        maxConcurrency: options.maxConcurrency,
      });
    }
    inFlight++;
    try {
      const valid = records as FeatureRecord[];
      const scored = await scoreBatched(route.model, valid);
      const requestId = newId('inf');
      const latencyMs = performance.now() - started;
      await writer?.append(
        `${JSON.stringify({
          id: requestId,
          model: route.ref,
          modelVersion: route.version,
          inputs: valid,
          outputs: scored.predictions,
          latencyMs,
          createdAt: new Date().toISOString(),
        })}\n`,
      );
      return {
        predictions: scored.predictions,
        model: route.ref,
        modelVersion: route.version,
        route: 'primary',
        requestId,
        latencyMs,
        ...(scored.warnings.length > 0 && { warnings: scored.warnings.slice(0, 1000) }),
      };
    } finally {
      inFlight--;
    }
  }

  app.get<{ Params: Static<typeof EndpointParams> }>(
    '/api/v1/endpoints/:endpoint',
    { schema: { params: EndpointParams } },
    async (request) => {
      if (request.params.endpoint !== options.name) throw notFound('endpoint', request.params.endpoint);
      return info();
    },
  );
  app.post<{ Params: Static<typeof EndpointParams>; Body: Static<typeof Predict> }>(
    '/api/v1/endpoints/:endpoint/predict',
    { schema: { params: EndpointParams, body: Predict } },
    async (request, reply) => {
      if (request.params.endpoint !== options.name) throw notFound('endpoint', request.params.endpoint);
      const answer = await predict(request.body);
      return reply.header('x-request-id', answer.requestId).type('application/json').send(JSON.stringify(answer));
    },
  );
  app.post<{ Body: Static<typeof Predict> }>('/predict', { schema: { body: Predict } }, async (request, reply) => {
    const answer = await predict(request.body);
    return reply.header('x-request-id', answer.requestId).type('application/json').send(JSON.stringify(answer));
  });

  const address = await app.listen({ host: options.host, port: options.port });
  return {
    url: address.replace('[::1]', 'localhost'),
    app,
    swap(next) {
      served = next;
    },
    current: () => served,
    async close() {
      await app.close();
      await writer?.flush();
      await log?.close();
    },
  };
}
