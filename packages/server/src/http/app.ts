// The Fastify application: API under /api/v1 with schemas and an OpenAPI document, probes, and the web UI at /.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import type { Services } from '../services.js';
import { installAuthentication } from './authenticate.js';
import { installErrorHandler } from './error-handler.js';
import { installValidators } from './validators.js';
import { auditRoutes } from './routes/audit-routes.js';
import { datasetGovernanceRoutes } from './routes/dataset-governance-routes.js';
import { datasetRoutes } from './routes/dataset-routes.js';
import { endpointRoutes } from './routes/endpoint-routes.js';
import { alertRoutes } from './routes/alert-routes.js';
import { experimentRoutes } from './routes/experiment-routes.js';
import { trackingRoutes } from './routes/tracking-routes.js';
import { studyRoutes } from './routes/study-routes.js';
import { compareRoutes } from './routes/compare-routes.js';
import { automlRoutes } from './routes/automl-routes.js';
import { batchRoutes } from './routes/batch-routes.js';
import { lineageRoutes } from './routes/lineage-routes.js';
import { connectionRoutes } from './routes/connection-routes.js';
import { sqlDatasetRoutes } from './routes/sql-dataset-routes.js';
import { sqlRoutes } from './routes/sql-routes.js';
import { modelRoutes } from './routes/model-routes.js';
import { gateRoutes } from './routes/gate-routes.js';
import { onnxImportRoutes } from './routes/onnx-import-routes.js';
import { exportRoutes } from './routes/export-routes.js';
import { projectRoutes } from './routes/project-routes.js';
import { runRoutes } from './routes/run-routes.js';
import { systemRoutes } from './routes/system-routes.js';
import { userRoutes } from './routes/user-routes.js';
import { searchRoutes } from './routes/search-routes.js';
import { registerMlflowApi } from '../mlflow/mlflow-api.js';
import { runArtifactRoutes } from './routes/run-artifact-routes.js';
import { commandRunRoutes } from './routes/command-run-routes.js';
import { probeRoutes } from './routes/probe-routes.js';
import { modelCardRoutes } from './routes/model-card-routes.js';
import { driftRoutes } from './routes/drift-routes.js';
import { explanationRoutes } from './routes/explanation-routes.js';
import { fairnessRoutes } from './routes/fairness-routes.js';
import { accuracyRoutes } from './routes/accuracy-routes.js';
import { retrainingRoutes } from './routes/retraining-routes.js';

export const WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

export async function buildApp(services: Services, options: { logger: boolean | object }): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger,
    bodyLimit: 16 * 1024 * 1024,
  });
  installErrorHandler(app);
  installValidators(app);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Modelyard API', version: '1.0.0', description: 'The Modelyard platform REST API.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(multipart, { limits: { fileSize: services.config.maxUploadBytes, files: 1, fields: 10 } });

  systemRoutes(app, services);
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(
    async (api) => {
      installAuthentication(api, services.store, services.probes.internalToken);
      userRoutes(api, services);
      projectRoutes(api, services);
      datasetRoutes(api, services);
      datasetGovernanceRoutes(api, services);
      runRoutes(api, services);
      experimentRoutes(api, services);
      trackingRoutes(api, services);
      studyRoutes(api, services);
      compareRoutes(api, services);
      automlRoutes(api, services);
      batchRoutes(api, services);
      modelRoutes(api, services);
      gateRoutes(api, services);
      onnxImportRoutes(api, services);
      exportRoutes(api, services);
      endpointRoutes(api, services);
      driftRoutes(api, services);
      accuracyRoutes(api, services);
      retrainingRoutes(api, services);
      explanationRoutes(api, services);
      fairnessRoutes(api, services);
      alertRoutes(api, services);
      probeRoutes(api, services);
      modelCardRoutes(api, services);
      lineageRoutes(api, services);
      connectionRoutes(api, services);
      sqlDatasetRoutes(api, services);
      sqlRoutes(api, services);
      auditRoutes(api, services);
      searchRoutes(api, services);
      runArtifactRoutes(api, services);
      commandRunRoutes(api, services);
    },
    { prefix: '/api/v1' },
  );
  await registerMlflowApi(app, services);

  const hasWeb = existsSync(WEB_DIST);
  if (hasWeb) await app.register(fastifyStatic, { root: WEB_DIST, prefix: '/', wildcard: false });
  // Client-side routes fall back to the page itself; API paths keep their JSON 404.
  app.setNotFoundHandler((request, reply) => {
    if (hasWeb && request.method === 'GET' && !request.url.startsWith('/api/')) return reply.sendFile('index.html');
    return reply
      .status(404)
      .send({ error: { code: 'route_not_found', message: `No route ${request.method} ${request.url.split('?')[0]}` } });
  });
  return app;
}
