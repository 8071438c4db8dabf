// Drift of endpoints: on-demand reports, the report history (a time series per endpoint) and the scheduled monitor.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { DriftMonitor, DriftReport } from '@modelyard/client';
import { notFound } from '../../errors.js';
import { checkSchedule, nextRunAfter } from '../../jobs/batch-schedule.js';
import { durationMs } from '../../monitoring/drift-monitors.js';
import { resolveDriftRun, runEndpointDrift } from '../../monitoring/endpoint-drift.js';
import type { Services } from '../../services.js';
import * as D from '../drift-schemas.js';
import { routeSchema } from '../fastify-types.js';
import { IdSchema } from '../names.js';
import * as W from '../wire-schemas.js';
import { endpointFor } from './endpoint-access.js';
import { queryTimestamp } from '../query-time.js';

const EndpointParams = Type.Object({ endpoint: IdSchema });
const ReportQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  from: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  to: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
});

export function driftRoutes(app: FastifyInstance, services: Services): void {
  app.post<{ Params: Static<typeof EndpointParams>; Body: Static<typeof D.NewDriftRun> | undefined }>(
    '/endpoints/:endpoint/drift',
    {
      schema: routeSchema('endpoints', {
        params: EndpointParams,
        body: Type.Union([D.NewDriftRun, Type.Null()]),
        response: W.replies(200, D.DriftReport),
      }),
    },
    async (request): Promise<DriftReport> => {
      const endpoint = await endpointFor(services, request.user, request.params.endpoint, 'editor');
      // The logs of this server's pending answers first, so the window holds what was answered until now.
      await services.serving.inferences.flush();
      return runEndpointDrift(services, endpoint, resolveDriftRun(request.body ?? {}), 'manual');
    },
  );

  app.get<{ Params: Static<typeof EndpointParams>; Querystring: Static<typeof ReportQuery> }>(
    '/endpoints/:endpoint/drift',
    {
      schema: routeSchema('endpoints', {
        params: EndpointParams,
        querystring: ReportQuery,
        response: W.replies(200, D.DriftReportList),
      }),
    },
    async (request) => {
      const endpoint = await endpointFor(services, request.user, request.params.endpoint, 'viewer');
      const { limit = 100, from, to } = request.query;
      return {
        reports: await services.store.listDriftReports(endpoint.id, {
          limit,
          ...(from !== undefined && { from: queryTimestamp(from, 'from') }),
          ...(to !== undefined && { to: queryTimestamp(to, 'to') }),
        }),
      };
    },
  );

  app.get<{ Params: Static<typeof EndpointParams> }>(
    '/endpoints/:endpoint/drift-monitor',
    { schema: routeSchema('endpoints', { params: EndpointParams, response: W.replies(200, D.DriftMonitor) }) },
    async (request): Promise<DriftMonitor> => {
      const endpoint = await endpointFor(services, request.user, request.params.endpoint, 'viewer');
      const monitor = await services.store.getDriftMonitor(endpoint.id);
      if (!monitor) throw notFound('drift_monitor', endpoint.id);
      return monitor;
    },
  );

  app.put<{ Params: Static<typeof EndpointParams>; Body: Static<typeof D.DriftMonitorSettings> }>(
    '/endpoints/:endpoint/drift-monitor',
    {
      schema: routeSchema('endpoints', {
        params: EndpointParams,
        body: D.DriftMonitorSettings,
        response: W.replies(200, D.DriftMonitor),
      }),
    },
    async (request): Promise<DriftMonitor> => {
      const endpoint = await endpointFor(services, request.user, request.params.endpoint, 'editor');
      const body = request.body;
      if (body.schedule !== null) checkSchedule(body.schedule);
      const window = body.window ?? '1h';
      durationMs(window);
      const monitor = await services.store.putDriftMonitor({
        endpointId: endpoint.id,
        schedule: body.schedule,
        window,
        reference: body.reference ?? { kind: 'training' },
        columns: body.columns ?? {},
        share: body.share ?? 0.5,
        nextRunAt: body.schedule === null ? null : nextRunAfter(body.schedule, new Date()),
        updatedBy: request.user.id,
      });
      services.driftMonitors.set(monitor);
      return monitor;
    },
  );

  app.delete<{ Params: Static<typeof EndpointParams> }>(
    '/endpoints/:endpoint/drift-monitor',
    { schema: routeSchema('endpoints', { params: EndpointParams, response: W.replies(204) }) },
    async (request, reply) => {
      const endpoint = await endpointFor(services, request.user, request.params.endpoint, 'editor');
      if (!(await services.store.deleteDriftMonitor(endpoint.id))) throw notFound('drift_monitor', endpoint.id);
      services.driftMonitors.remove(endpoint.id);
      return reply.code(204).send();
    },
  );
}
