// Mounts the MLflow-compatible API: /api/2.0/mlflow, /ajax-api/2.0/mlflow and the artifact proxy
// /api/2.0/mlflow-artifacts, at the server root (the configured project) and under /mlflow/<project>/ (any project,
// as MLFLOW_TRACKING_URI=http://host:7420/mlflow/<project>). Every answer on these paths is MLflow's JSON.

import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.js';
import { proxiedArtifactRoutes, trackingArtifactRoutes } from './artifact-routes.js';
import { experimentRoutes } from './experiment-routes.js';
import { MlflowError, toMlflowResponse } from './mlflow-error.js';
import { mlflowRoutes, type MlflowRoutes } from './mlflow-route.js';
import { modelVersionRoutes } from './model-version-routes.js';
import { registeredModelRoutes } from './registered-model-routes.js';
import { parseLenientJson } from './request-fields.js';
import { runLoggingRoutes } from './run-logging-routes.js';
import { runRoutes } from './run-routes.js';

const BASES = ['', '/mlflow/:project'];

/** Routes that remember their paths, so a known path with the wrong method answers 405 instead of 404. */
function recording(routes: MlflowRoutes, prefix: string, known: RegExp[]): MlflowRoutes {
  return {
    add(methods, path, role, handler) {
      const pattern = (prefix + path)
        .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
        .replace(':project', '[^/]+')
        .replace(/\*$/, '.*');
      known.push(new RegExp(`^${pattern}$`));
      routes.add(methods, path, role, handler);
    },
  };
}

/** MLflow's error body for everything thrown under a scope, and for its unknown paths and methods. */
function installMlflowErrors(scope: FastifyInstance, known: RegExp[]): void {
  scope.setErrorHandler((error, request, reply) => {
    const { status, body } = toMlflowResponse(error);
    if (status >= 500) request.log.error({ err: error }, 'MLflow request failed');
    else request.log.info({ code: body.error_code, status }, 'MLflow request rejected');
    void reply.status(status).send(body);
  });
  scope.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const error = known.some((k) => k.test(path))
      ? new MlflowError(405, 'BAD_REQUEST', `The method ${request.method} is not allowed for ${path}.`)
      : new MlflowError(404, 'ENDPOINT_NOT_FOUND', `No MLflow endpoint ${request.method} ${path}.`);
    const { status, body } = toMlflowResponse(error);
    void reply.status(status).send(body);
  });
}

export async function registerMlflowApi(app: FastifyInstance, services: Services): Promise<void> {
  for (const base of BASES) {
    for (const api of ['/api/2.0/mlflow', '/ajax-api/2.0/mlflow']) {
      await app.register(
        async (scope) => {
          const known: RegExp[] = [];
          installMlflowErrors(scope, known);
          // MLflow reads a body that is not JSON as an empty request; bodies of any content type are read as JSON.
          scope.removeAllContentTypeParsers();
          scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) =>
            done(null, parseLenientJson(body as string)),
          );
          const routes = recording(mlflowRoutes(scope, services), base + api, known);
          experimentRoutes(routes);
          runRoutes(routes);
          runLoggingRoutes(routes);
          trackingArtifactRoutes(routes);
          registeredModelRoutes(routes);
          modelVersionRoutes(routes);
        },
        { prefix: base + api },
      );
    }
    for (const api of ['/api/2.0/mlflow-artifacts', '/ajax-api/2.0/mlflow-artifacts']) {
      await app.register(
        async (scope) => {
          const known: RegExp[] = [];
          installMlflowErrors(scope, known);
          proxiedArtifactRoutes(scope, recording(mlflowRoutes(scope, services), base + api, known), services);
        },
        { prefix: base + api },
      );
    }
  }
}
