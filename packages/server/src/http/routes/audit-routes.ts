// The audit trail, readable by platform admins; there is deliberately no route that changes it.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { forbidden, notFound } from '../../errors.js';
import type { Services } from '../../services.js';
import { routeSchema } from '../fastify-types.js';
import * as W from '../wire-schemas.js';
import { decodeNumberCursor, encodeCursor, PageQuerySchema } from '../cursor.js';
import { NameSchema } from '../names.js';

const AuditQuery = Type.Intersect([PageQuerySchema, Type.Object({ project: Type.Optional(NameSchema) })]);

export function auditRoutes(app: FastifyInstance, { store }: Services): void {
  app.get<{ Querystring: Static<typeof AuditQuery> }>(
    '/audit',
    { schema: routeSchema('audit', { querystring: AuditQuery, response: W.replies(200, W.PageOf(W.AuditEvent)) }) },
    async (request) => {
      if (!request.user.isAdmin) throw forbidden('Only platform admins can read the audit log.');
      let projectId: string | undefined;
      if (request.query.project) {
        const project = await store.getProjectByName(request.query.project);
        if (!project) throw notFound('project', request.query.project);
        projectId = project.id;
      }
      const limit = request.query.limit ?? 50;
      const rows = await store.listAudit(
        { projectId },
        { limit: limit + 1, beforeId: decodeNumberCursor(request.query.cursor) },
      );
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
    },
  );
}
