// The SQL workbench over HTTP: one read-only SELECT over the project's datasets (each a view by its name), paged.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { projectByName } from '../../auth/access.js';
import { runWorkbenchQuery } from '../../catalog/sql-workbench.js';
import { projectViews } from '../../catalog/derived-dataset.js';
import type { Services } from '../../services.js';
import { decodeNumberCursor, encodeCursor } from '../cursor.js';
import { routeSchema } from '../fastify-types.js';
import { NameSchema } from '../names.js';
import * as W from '../wire-schemas.js';

const ProjectParams = Type.Object({ project: NameSchema });
const SqlBody = Type.Object(
  {
    sql: Type.String({ minLength: 1, maxLength: 100_000 }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
    cursor: Type.Optional(Type.String({ maxLength: 512 })),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 60_000, default: 30_000 })),
  },
  { additionalProperties: false },
);

export function sqlRoutes(app: FastifyInstance, services: Services): void {
  app.post<{ Params: Static<typeof ProjectParams>; Body: Static<typeof SqlBody> }>(
    '/projects/:project/sql',
    {
      schema: routeSchema('datasets', {
        params: ProjectParams,
        body: SqlBody,
        response: W.replies(200, W.SqlResult),
        description: 'Run one read-only SELECT over the project’s datasets (views named after them), one page of rows.',
      }),
    },
    async (request) => {
      const { project } = await projectByName(services.store, request.user, request.params.project, 'viewer');
      const limit = request.body.limit ?? 100;
      const offset = decodeNumberCursor(request.body.cursor) ?? 0;
      const result = await runWorkbenchQuery(services.artifacts, await projectViews(services.store, project.id), {
        sql: request.body.sql,
        limit,
        offset,
        timeoutMs: request.body.timeoutMs ?? 30_000,
      });
      return {
        columns: result.columns,
        rows: result.rows,
        nextCursor: result.more ? encodeCursor(offset + limit) : null,
        elapsedMs: result.elapsedMs,
      };
    },
  );
}
