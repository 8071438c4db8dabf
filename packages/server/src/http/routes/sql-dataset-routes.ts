// SQL and derived datasets, and refresh: a SELECT on a project's connection, or a workbench query over the project's
// datasets, becomes a dataset version like a file does; refreshing any dataset with a source reads it again, making a
// new version only when the content changed.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { projectByName } from '../../auth/access.js';
import { connectorFor } from '../../catalog/connection-access.js';
import { saveDatasetVersion } from '../../catalog/save-dataset-version.js';
import { snapshotQuery } from '../../connectors/query-snapshot.js';
import { ingestFile, isGlob, resolveFileSource, type IngestResult } from '../../data/index.js';
import { conflict, notFound } from '../../errors.js';
import type { Services } from '../../services.js';
import type { ConnectionRecord, DatasetRecord, DatasetSource, DatasetVersionRef } from '../../store/metadata-store.js';
import type { Dataset } from '@modelyard/client';
import { snapshotDerived } from '../../catalog/derived-dataset.js';
import { routeSchema } from '../fastify-types.js';
import { DescriptionSchema, IdSchema, NameSchema } from '../names.js';
import { presentDataset } from '../present.js';
import * as W from '../wire-schemas.js';
import { datasetFor } from './dataset-routes.js';

const ProjectParams = Type.Object({ project: NameSchema });
const DatasetParams = Type.Object({ dataset: IdSchema });
const FromQuery = Type.Object(
  {
    name: NameSchema,
    /** One SELECT over the project's datasets, each a view named after it (as in the SQL workbench). */
    sql: Type.String({ minLength: 1, maxLength: 100_000 }),
    description: Type.Optional(DescriptionSchema),
  },
  { additionalProperties: false },
);
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

/**
 * Saves content as a version of the named dataset (created on first use), records where it is read again from and
 * what it was computed from, and answers 201 for a new version, 200 for content the dataset had already.
 */
async function saveAnswer(
  services: Services,
  target: { projectId: string; name: string; description: string | undefined; userId: string },
  ingested: IngestResult,
  source: { label: string; spec: DatasetSource; parents?: DatasetVersionRef[] },
): Promise<{ status: 200 | 201; body: Dataset }> {
  const { store } = services;
  const saved = await saveDatasetVersion(
    services,
    { ...target, description: target.description ?? '' },
    ingested,
    source.label,
  );
  await store.setDatasetSource(saved.dataset.id, source.spec);
  if (source.parents !== undefined) {
    await store.addDatasetVersionParents(
      { datasetId: saved.dataset.id, version: saved.version.version },
      source.parents,
    );
  }
  const latest = saved.created ? saved.version : await store.latestDatasetVersion(saved.dataset.id);
  return { status: saved.created ? 201 : 200, body: presentDataset(saved.dataset, latest) };
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
      const { name, description, sql } = request.body;
      const answer = await saveAnswer(
        services,
        { projectId: project.id, name, description, userId: request.user.id },
        ingested,
        {
          label: `sql:${connection.name}`,
          spec: { kind: 'sql', connectionId: connection.id, query: sql },
        },
      );
      return reply.status(answer.status).send(answer.body);
    },
  );

  app.post<{ Params: Static<typeof ProjectParams>; Body: Static<typeof FromQuery> }>(
    '/projects/:project/datasets/query',
    {
      schema: routeSchema('datasets', {
        params: ProjectParams,
        body: FromQuery,
        response: { ...W.replies(201, W.Dataset), 200: W.Dataset },
        description: 'Save the whole result of a workbench query as a derived dataset; its parents go into lineage.',
      }),
    },
    async (request, reply) => {
      const { project } = await projectByName(store, request.user, request.params.project, 'editor');
      const { name, description, sql } = request.body;
      const { ingested, parents } = await snapshotDerived(services, project.id, name, sql);
      const answer = await saveAnswer(
        services,
        { projectId: project.id, name, description, userId: request.user.id },
        ingested,
        {
          label: 'query',
          spec: { kind: 'query', query: sql },
          parents,
        },
      );
      return reply.status(answer.status).send(answer.body);
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
        services,
        { projectId: dataset.projectId, name: dataset.name, description: dataset.description, userId: request.user.id },
        ingested.result,
        ingested.source,
      );
      if (ingested.parents.length > 0) {
        await store.addDatasetVersionParents(
          { datasetId: dataset.id, version: saved.version.version },
          ingested.parents,
        );
      }
      const latest = saved.created ? saved.version : await store.latestDatasetVersion(dataset.id);
      return reply.status(saved.created ? 201 : 200).send(presentDataset(dataset, latest));
    },
  );
}

async function readSource(
  services: Services,
  dataset: DatasetRecord,
): Promise<{ result: IngestResult; source: string; parents: DatasetVersionRef[] }> {
  const source = await services.store.getDatasetSource(dataset.id);
  if (!source) {
    throw conflict('not_refreshable', `Dataset '${dataset.name}' was uploaded: there is no source to read again.`);
  }
  if (source.kind === 'file') {
    // The path is checked against the allowed roots again: the configuration may have changed since.
    const input = await resolveFileSource(source.path, services.config.allowedRoots);
    const options = { skipBadRows: source.skipBadRows === true };
    const result = await ingestFile(services.duck, services.artifacts, input, options);
    return { result, source: `file:${isGlob(source.path) ? source.path : input.path}`, parents: [] };
  }
  if (source.kind === 'query') {
    const derived = await snapshotDerived(services, dataset.projectId, dataset.name, source.query);
    return { result: derived.ingested, source: 'query', parents: derived.parents };
  }
  const connection = await services.store.getConnection(source.connectionId);
  if (!connection || connection.projectId !== dataset.projectId) {
    throw conflict('connection_gone', `The connection of dataset '${dataset.name}' was deleted.`);
  }
  return { result: await runQuery(services, connection, source.query), source: `sql:${connection.name}`, parents: [] };
}
