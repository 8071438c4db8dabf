// Liveness and readiness probes: unauthenticated, cheap, and honest about the metadata store.

import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.js';
import { routeSchema } from '../fastify-types.js';

export function systemRoutes(app: FastifyInstance, services: Services): void {
  app.get('/healthz', { schema: routeSchema('system', { hide: true }) }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: routeSchema('system', { hide: true }) }, async (_request, reply) => {
    try {
      await services.store.ping();
      return { status: 'ok' };
    } catch {
      return reply.status(503).send({ error: { code: 'not_ready', message: 'The metadata store is unreachable.' } });
    }
  });
}
