// Declares one MLflow route: the caller is authenticated and checked for `role` on the project before it runs.

import type { FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify';
import type { Role } from '@modelyard/client';
import type { Services } from '../services.js';
import { mlflowContext, type MlflowContext } from './mlflow-context.js';
import { fieldsOf, type Fields } from './request-fields.js';

export type MlflowHandler = (
  ctx: MlflowContext,
  fields: Fields,
  request: FastifyRequest,
  reply: FastifyReply,
) => Promise<unknown>;

export interface MlflowRoutes {
  /** Registers `handler` for each method at `path` (relative to the scope's prefix). */
  add(methods: HTTPMethods | HTTPMethods[], path: string, role: Role, handler: MlflowHandler): void;
}

export function mlflowRoutes(app: FastifyInstance, services: Services): MlflowRoutes {
  return {
    add(methods, path, role, handler) {
      app.route({
        method: methods,
        url: path,
        schema: { hide: true } as never,
        handler: async (request, reply) => {
          const ctx = await mlflowContext(services, request, role);
          return handler(ctx, fieldsOf(request), request, reply);
        },
      });
    },
  };
}
