// Datasets: register from an upload or a server-side path, list, show, versions, snapshot download.

import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { projectByName, requireRole } from '../../auth/access.js';
import { ingestFile, isGlob, resolveFileSource, type IngestInput } from '../../data/index.js';
import { badRequest, notFound } from '../../errors.js';
import type { Services } from '../../services.js';
import { routeSchema } from '../fastify-types.js';
import * as W from '../wire-schemas.js';
import type { DatasetRecord, UserRecord } from '../../store/metadata-store.js';
import type { Role } from '@modelyard/client';
import { decodeNumberCursor, encodeCursor, pageRequest, PageQuerySchema, type PageQuery } from '../cursor.js';
import { DescriptionSchema, IdSchema, NameSchema } from '../names.js';
import { presentDataset, presentVersion } from '../present.js';
import { saveDatasetVersion } from '../../catalog/save-dataset-version.js';

const ProjectParams = Type.Object({ project: NameSchema });
const DatasetParams = Type.Object({ dataset: IdSchema });
const VersionParams = Type.Object({ dataset: IdSchema, version: Type.String({ pattern: '^[0-9a-f]{4,64}$' }) });
const FromPath = Type.Object(
  {
    name: NameSchema,
    path: Type.String({ minLength: 1, maxLength: 4096 }),
    description: Type.Optional(DescriptionSchema),
    skipBadRows: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

interface Source {
  name: string;
  description: string;
  skipBadRows: boolean;
  /** The uploaded file, or the server-side path or pattern read again on refresh. */
  path: string;
  originalName: string;
  input: IngestInput;
  /** A temporary upload to delete afterwards. */
  temporary: boolean;
}

/** Streams a multipart upload to a temporary file; the file part may come before or after the fields. */
async function receiveUpload(request: FastifyRequest, tmpDir: string): Promise<Source> {
  const fields: Record<string, string> = {};
  let path: string | undefined;
  let originalName = '';
  try {
    for await (const part of request.parts()) {
      if (part.type === 'file') {
        if (path) throw badRequest('invalid_upload', 'Send exactly one file part named "file".');
        if (part.fieldname !== 'file') throw badRequest('invalid_upload', 'The file part must be named "file".');
        originalName = basename(part.filename || 'upload.csv');
        await mkdir(tmpDir, { recursive: true });
        path = join(tmpDir, `${randomUUID()}-${originalName.replace(/[^A-Za-z0-9._-]/g, '_')}`);
        await pipeline(part.file, createWriteStream(path));
        if (part.file.truncated) throw badRequest('payload_too_large', 'The upload is larger than the server accepts.');
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
  } catch (error) {
    if (path) await unlink(path).catch(() => undefined);
    throw error;
  }
  if (!path) throw badRequest('invalid_upload', 'The upload has no file part named "file".');
  const name = fields.name ?? '';
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name)) {
    await unlink(path).catch(() => undefined);
    throw badRequest('invalid_request', 'The form field "name" must be a dataset name (letters, digits, . _ -).');
  }
  const skipBadRows = fields.skipBadRows === 'true';
  const input = { path, originalName };
  return { name, description: fields.description ?? '', skipBadRows, path, originalName, input, temporary: true };
}

/** A dataset by id, or by name inside a project, after checking the caller's role on its project. */
export async function datasetFor(
  services: Services,
  user: UserRecord,
  ref: { id?: string; projectId?: string; name?: string },
  min: Role,
): Promise<DatasetRecord> {
  const { store } = services;
  const label = ref.id ?? ref.name ?? '';
  const dataset = ref.id
    ? await store.getDataset(ref.id)
    : ref.projectId && ref.name
      ? await store.getDatasetByName(ref.projectId, ref.name)
      : undefined;
  if (!dataset) throw notFound('dataset', label);
  await requireRole(store, user, dataset.projectId, min, { type: 'dataset', id: label });
  return dataset;
}

export function datasetRoutes(app: FastifyInstance, services: Services): void {
  const { store, config } = services;

  app.post<{ Params: Static<typeof ProjectParams> }>(
    '/projects/:project/datasets',
    {
      schema: {
        tags: ['datasets'],
        params: ProjectParams,
        response: { ...W.replies(201, W.Dataset), 200: W.Dataset },
        description: 'Register a dataset: multipart (file, name, description) or JSON {name, path, description}.',
      },
    },
    async (request, reply) => {
      const { project } = await projectByName(store, request.user, request.params.project, 'editor');
      let source: Source;
      if (request.isMultipart()) {
        source = await receiveUpload(request, join(config.dataDir, 'tmp'));
      } else {
        const body = request.body as Static<typeof FromPath>;
        const check = checkFromPath(body);
        if (check) throw check;
        const input = await resolveFileSource(body.path, config.allowedRoots);
        // A pattern is kept as given, so a refresh picks up files (partitions) added since.
        const refreshPath = isGlob(body.path) ? body.path : input.path;
        source = {
          name: body.name,
          description: body.description ?? '',
          skipBadRows: body.skipBadRows === true,
          path: refreshPath,
          originalName: input.originalName,
          input,
          temporary: false,
        };
      }
      try {
        const ingested = await ingestFile(services.duck, services.artifacts, source.input, {
          skipBadRows: source.skipBadRows,
        });
        const saved = await saveDatasetVersion(
          services,
          { projectId: project.id, name: source.name, description: source.description, userId: request.user.id },
          ingested,
          source.temporary ? `upload:${source.originalName}` : `file:${source.path}`,
        );
        // A server-side file can be read again on refresh; an upload cannot.
        if (!source.temporary) {
          const file = { kind: 'file' as const, path: source.path, ...(source.skipBadRows && { skipBadRows: true }) };
          await store.setDatasetSource(saved.dataset.id, file);
        }
        if (!saved.created) {
          const latest = await store.latestDatasetVersion(saved.dataset.id);
          return reply.status(200).send(presentDataset(saved.dataset, latest));
        }
        const { dataset, version } = saved;
        return reply.status(201).send(presentDataset(dataset, version));
      } finally {
        if (source.temporary) await unlink(source.path).catch(() => undefined);
      }
    },
  );

  app.get<{ Params: Static<typeof ProjectParams>; Querystring: PageQuery }>(
    '/projects/:project/datasets',
    {
      schema: routeSchema('datasets', {
        params: ProjectParams,
        querystring: PageQuerySchema,
        response: W.replies(200, W.PageOf(W.Dataset)),
      }),
    },
    async (request) => {
      const { project } = await projectByName(store, request.user, request.params.project, 'viewer');
      const page = await store.listDatasets(project.id, pageRequest(request.query));
      const items = await Promise.all(
        page.items.map(async (d) => presentDataset(d, await store.latestDatasetVersion(d.id))),
      );
      return { items, nextCursor: page.next === null ? null : encodeCursor(page.next) };
    },
  );

  app.get<{ Params: Static<typeof DatasetParams> }>(
    '/datasets/:dataset',
    { schema: routeSchema('datasets', { params: DatasetParams, response: W.replies(200, W.Dataset) }) },
    async (request) => {
      const dataset = await datasetFor(services, request.user, { id: request.params.dataset }, 'viewer');
      return presentDataset(dataset, await store.latestDatasetVersion(dataset.id));
    },
  );

  app.get<{ Params: Static<typeof DatasetParams>; Querystring: PageQuery }>(
    '/datasets/:dataset/versions',
    {
      schema: routeSchema('datasets', {
        params: DatasetParams,
        querystring: PageQuerySchema,
        response: W.replies(200, W.PageOf(W.DatasetVersion)),
      }),
    },
    async (request) => {
      const dataset = await datasetFor(services, request.user, { id: request.params.dataset }, 'viewer');
      const limit = request.query.limit ?? 50;
      const rows = await store.listDatasetVersions(dataset.id, {
        limit: limit + 1,
        beforeSeq: decodeNumberCursor(request.query.cursor),
      });
      const items = rows.slice(0, limit);
      const last = items[items.length - 1];
      return {
        items: items.map(presentVersion),
        nextCursor: rows.length > limit && last ? encodeCursor(last.seq) : null,
      };
    },
  );

  app.get<{ Params: Static<typeof VersionParams> }>(
    '/datasets/:dataset/versions/:version/snapshot',
    { schema: routeSchema('datasets', { params: VersionParams, response: W.replies(200, W.Binary) }) },
    async (request, reply) => {
      const dataset = await datasetFor(services, request.user, { id: request.params.dataset }, 'viewer');
      const version = await store.getDatasetVersion(dataset.id, request.params.version);
      if (!version) throw notFound('dataset_version', request.params.version);
      const bytes = await services.artifacts.getBytes(version.snapshotKey);
      return reply
        .header('content-type', 'application/vnd.apache.parquet')
        .header('content-disposition', `attachment; filename="${dataset.name}-${version.version.slice(0, 12)}.parquet"`)
        .send(Buffer.from(bytes));
    },
  );
}

const fromPathCompiled = TypeCompiler.Compile(FromPath);
/** JSON bodies on the multipart route are checked here, since the route's schema cannot name both forms. */
function checkFromPath(body: unknown): Error | undefined {
  if (fromPathCompiled.Check(body)) return undefined;
  const first = fromPathCompiled.Errors(body).First();
  return badRequest('invalid_request', `Invalid request: body${first?.path ?? ''} ${first?.message ?? 'is invalid'}`, {
    expected: 'multipart (file, name, description?, skipBadRows?) or JSON {name, path, description?, skipBadRows?}',
  });
}
