// SQL datasets and refresh: a SELECT on a project's connection becomes a dataset version like a file does, and
// refreshing any dataset with a source reads it again, making a new version only when the content changed.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { projectByName } from '../../auth/access.js';
import { connectorFor } from '../../catalog/connection-access.js';
import { saveDatasetVersion } from '../../catalog/save-dataset-version.js';
import { snapshotQuery } from '../../connectors/query-snapshot.js';
import { ingestFile, resolveAllowedPath, type IngestResult } from '../../data/index.js';
import { conflict, notFound } from '../../errors.js';
import type { Services } from '../../services.js';
import type { ConnectionRecord, DatasetRecord } from '../../store/metadata-store.js';
import { routeSchema } from '../fastify-types.js';
import { DescriptionSchema, IdSchema, NameSchema } from '../names.js';
import { presentDataset } from '../present.js';
import * as W from '../wire-schemas.js';
import { datasetFor } from './dataset-routes.js';

const ProjectParams = Type.Object({ project: NameSchema });
const DatasetParams = Type.Object({ dataset: IdSchema });
const FromSql = Type.Object(
  {
    name: NameSchema,
    /** The connection's name in the project. */
    connection: NameSchema,
    sql: Type.String({ minLength: 1, maxLength: 100_000 }),
    description: Type.Optional(DescriptionSchema),
  },
  { additionalProperties: false },
);

async function runQuery(services: Services, connection: ConnectionRecord, sql: string): Promise<IngestResult> {
  const connector = connectorFor(connection, services.secrets);
  try {
    return await snapshotQuery(services.duck, services.artifacts, connector, sql);
  } finally {
    await connector.close();
  }
}

export function sqlDatasetRoutes(app: FastifyInstance, services: Services): void {
  const { store } = services;

  app.post<{ Params: Static<typeof ProjectParams>; Body: Static<typeof FromSql> }>(
    '/projects/:project/datasets/sql',
    {
      schema: routeSchema('datasets', {
        params: ProjectParams,
        body: FromSql,
        response: { ...W.replies(201, W.Dataset), 200: W.Dataset },
        description: 'Register a dataset from a SELECT on one of the project’s connections (streamed into a snapshot).',
      }),
    },
    async (request, reply) => {
      const { project } = await projectByName(store, request.user, request.params.project, 'editor');
      const connection = await store.getConnectionByName(project.id, request.body.connection);
      if (!connection) throw notFound('connection', request.body.connection);
      const ingested = await runQuery(services, connection, request.body.sql);
      const saved = await saveDatasetVersion(
        store,
        {
          projectId: project.id,
          name: request.body.name,
          description: request.body.description ?? '',
          userId: request.user.id,
        },
        ingested,
        `sql:${connection.name}`,
      );
      await store.setDatasetSource(saved.dataset.id, {
        kind: 'sql',
        connectionId: connection.id,
        query: request.body.sql,
      });
      const latest = saved.created ? saved.version : await store.latestDatasetVersion(saved.dataset.id);
      return reply.status(saved.created ? 201 : 200).send(presentDataset(saved.dataset, latest));
    },
  );

  app.post<{ Params: Static<typeof DatasetParams> }>(
    '/datasets/:dataset/refresh',
    {
      schema: routeSchema('datasets', {
        params: DatasetParams,
        response: { ...W.replies(201, W.Dataset), 200: W.Dataset },
        description: 'Read the dataset’s source again: 201 with a new version if the content changed, else 200.',
      }),
    },
    async (request, reply) => {
      const dataset = await datasetFor(services, request.user, { id: request.params.dataset }, 'editor');
      const ingested = await readSource(services, dataset);
      const saved = await saveDatasetVersion(
        store,
        { projectId: dataset.projectId, name: dataset.name, description: dataset.description, userId: request.user.id },
        ingested.result,
        ingested.source,
      );
      const latest = saved.created ? saved.version : await store.latestDatasetVersion(dataset.id);
      return reply.status(saved.created ? 201 : 200).send(presentDataset(dataset, latest));
    },
  );
}

async function readSource(
  services: Services,
  dataset: DatasetRecord,
): Promise<{ result: IngestResult; source: string }> {
  const source = await services.store.getDatasetSource(dataset.id);
  if (!source) {
    throw conflict('not_refreshable', `Dataset '${dataset.name}' was uploaded: there is no source to read again.`);
  }
  if (source.kind === 'file') {
    // The path is checked against the allowed roots again: the configuration may have changed since.
    const path = await resolveAllowedPath(source.path, services.config.allowedRoots);
    const originalName = path.split('/').pop() ?? path;
    return {
      result: await ingestFile(services.duck, services.artifacts, { path, originalName }),
      source: `file:${path}`,
    };
  }
  const connection = await services.store.getConnection(source.connectionId);
  if (!connection || connection.projectId !== dataset.projectId) {
    throw conflict('connection_gone', `The connection of dataset '${dataset.name}' was deleted.`);
  }
  return { result: await runQuery(services, connection, source.query), source: `sql:${connection.name}` };
}
