// Database connections of the data catalog: admins add them, editors see them; the password goes in and never out.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { projectByName, requireRole } from '../../auth/access.js';
import { conflict, notFound } from '../../errors.js';
import type { Services } from '../../services.js';
import { newId } from '../../store/ids.js';
import { connectorFor } from '../../catalog/connection-access.js';
import type { ConnectionRecord, UserRecord } from '../../store/metadata-store.js';
import { encodeCursor, pageRequest, PageQuerySchema, type PageQuery } from '../cursor.js';
import { routeSchema } from '../fastify-types.js';
import { IdSchema, NameSchema } from '../names.js';
import { presentConnection } from '../present.js';
import * as W from '../wire-schemas.js';

const ProjectParams = Type.Object({ project: NameSchema });
const ConnectionParams = Type.Object({ connection: IdSchema });
const CreateConnection = Type.Object(
  {
    name: NameSchema,
    kind: Type.Union([Type.Literal('postgres'), Type.Literal('mysql'), Type.Literal('trino')]),
    // A host name or address: no scheme, path, credentials or whitespace.
    host: Type.String({ pattern: '^[A-Za-z0-9._:-]+$', minLength: 1, maxLength: 253 }),
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    database: Type.String({ minLength: 1, maxLength: 200 }),
    user: Type.String({ minLength: 1, maxLength: 200 }),
    password: Type.String({ maxLength: 1000 }),
    ssl: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

/** The connection, if the caller has at least `min` in its project (404 for non-members, as for every object). */
async function connectionFor(
  services: Services,
  user: UserRecord,
  id: string,
  min: 'editor' | 'admin',
): Promise<ConnectionRecord> {
  const connection = await services.store.getConnection(id);
  if (!connection) throw notFound('connection', id);
  await requireRole(services.store, user, connection.projectId, min, { type: 'connection', id });
  return connection;
}

export function connectionRoutes(app: FastifyInstance, services: Services): void {
  const { store, secrets } = services;

  app.post<{ Params: Static<typeof ProjectParams>; Body: Static<typeof CreateConnection> }>(
    '/projects/:project/connections',
    {
      schema: routeSchema('connections', {
        params: ProjectParams,
        body: CreateConnection,
        response: W.replies(201, W.Connection),
      }),
    },
    async (request, reply) => {
      const { project } = await projectByName(store, request.user, request.params.project, 'admin');
      const { password, ssl, ...spec } = request.body;
      if (await store.getConnectionByName(project.id, spec.name)) {
        throw conflict('connection_exists', `A connection named '${spec.name}' exists in this project.`);
      }
      const id = newId('conn');
      const connection = await store.createConnection(
        {
          id,
          projectId: project.id,
          ...spec,
          options: ssl === undefined ? {} : { ssl },
          // Sealed for this id: a sealed value copied onto another connection does not open.
          sealedSecret: secrets.seal(password, id),
          createdBy: request.user.id,
        },
        { actor: request.user.id, action: 'connection.create', details: { name: spec.name, kind: spec.kind } },
      );
      return reply.status(201).send(presentConnection(connection));
    },
  );

  app.get<{ Params: Static<typeof ProjectParams>; Querystring: PageQuery }>(
    '/projects/:project/connections',
    {
      schema: routeSchema('connections', {
        params: ProjectParams,
        querystring: PageQuerySchema,
        response: W.replies(200, W.PageOf(W.Connection)),
      }),
    },
    async (request) => {
      const { project } = await projectByName(store, request.user, request.params.project, 'editor');
      const page = await store.listConnections(project.id, pageRequest(request.query));
      return {
        items: page.items.map(presentConnection),
        nextCursor: page.next === null ? null : encodeCursor(page.next),
      };
    },
  );

  app.get<{ Params: Static<typeof ConnectionParams> }>(
    '/connections/:connection',
    { schema: routeSchema('connections', { params: ConnectionParams, response: W.replies(200, W.Connection) }) },
    async (request) =>
      presentConnection(await connectionFor(services, request.user, request.params.connection, 'editor')),
  );

  app.post<{ Params: Static<typeof ConnectionParams> }>(
    '/connections/:connection/test',
    {
      schema: routeSchema('connections', {
        params: ConnectionParams,
        response: W.replies(200, W.ConnectionCheck),
        description: 'Connect and run a trivial query; failures answer 422 with connection_failed and the like.',
      }),
    },
    async (request) => {
      const connection = await connectionFor(services, request.user, request.params.connection, 'editor');
      const started = performance.now();
      const connector = connectorFor(connection, secrets);
      try {
        await connector.test();
      } finally {
        await connector.close();
      }
      return { ok: true as const, latencyMs: performance.now() - started };
    },
  );

  app.delete<{ Params: Static<typeof ConnectionParams> }>(
    '/connections/:connection',
    { schema: routeSchema('connections', { params: ConnectionParams, response: W.replies(204) }) },
    async (request, reply) => {
      const connection = await connectionFor(services, request.user, request.params.connection, 'admin');
      await store.deleteConnection(connection.id, {
        actor: request.user.id,
        action: 'connection.delete',
        details: { name: connection.name },
      });
      return reply.status(204).send();
    },
  );
}
