// Run artifacts in our API: files and folders of a run, uploaded and downloaded as streams, listed and deleted; the
// same files the MLflow-compatible API serves (artifacts/run-artifacts.ts).

import type { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { ArtifactTooLargeError } from '../../artifacts/artifact-store.js';
import {
  artifactSegments,
  attachmentOf,
  contentTypeOf,
  invalidPath,
  listRunArtifacts,
  runArtifactKey,
  streamingArtifacts,
} from '../../artifacts/run-artifacts.js';
import { conflict, ModelyardError } from '../../errors.js';
import type { Services } from '../../services.js';
import { routeSchema } from '../fastify-types.js';
import { IdSchema } from '../names.js';
import * as W from '../wire-schemas.js';
import { runFor } from './run-routes.js';

const RunParams = Type.Object({ run: IdSchema });
const FileParams = Type.Object({ run: IdSchema, '*': Type.String({ maxLength: 4096 }) });
const ListQuery = Type.Object({ path: Type.Optional(Type.String({ maxLength: 4096 })) });
type FileParamsType = Static<typeof FileParams>;

const artifactNotFound = (path: string): ModelyardError =>
  new ModelyardError(404, 'artifact_not_found', `The run has no artifact '${path}'.`, { path });

const tooLarge = (maxBytes: number): ModelyardError =>
  new ModelyardError(413, 'payload_too_large', `The artifact is larger than the limit of ${maxBytes} bytes.`, {
    maxBytes,
  });

/** A file where a folder is, or a folder where a file is: the filesystem's refusal, as the caller's conflict. */
function isPathClash(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EISDIR' || code === 'ENOTDIR' || code === 'EEXIST';
}

export function runArtifactRoutes(app: FastifyInstance, services: Services): void {
  const { config } = services;

  app.get<{ Params: Static<typeof RunParams>; Querystring: Static<typeof ListQuery> }>(
    '/runs/:run/artifacts',
    {
      schema: routeSchema('artifacts', {
        params: RunParams,
        querystring: ListQuery,
        response: W.replies(200, W.ArtifactList),
        description: "One level of a run's artifact folder (`path`, the root when left out), by name.",
      }),
    },
    async (request) => {
      const run = await runFor(services, request.user, request.params.run, 'viewer');
      const segments = artifactSegments(request.query.path ?? '');
      const entries = await listRunArtifacts(streamingArtifacts(services.artifacts), run.id, segments);
      return { items: entries.map((e) => ({ path: e.path, isDir: e.isDir, bytes: e.bytes ?? null })) };
    },
  );

  // Uploads take any content type as a raw stream: only this scope passes bodies through unparsed.
  void app.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

    raw.put<{ Params: FileParamsType }>(
      '/runs/:run/artifacts/*',
      {
        schema: routeSchema('artifacts', {
          params: FileParams,
          response: { ...W.replies(201, W.UploadedArtifact), 413: W.ErrorBody },
          description: 'Store the raw request body as a file of the run (streamed; up to the upload limit).',
        }),
      },
      async (request, reply) => {
        const run = await runFor(services, request.user, request.params.run, 'editor');
        const path = request.params['*'];
        const segments = artifactSegments(path);
        if (segments.length === 0) throw invalidPath(path);
        const declared = Number(request.headers['content-length'] ?? NaN);
        if (declared > config.maxUploadBytes) throw tooLarge(config.maxUploadBytes);
        const body = (request.body ?? request.raw) as Readable;
        try {
          const { bytes } = await streamingArtifacts(services.artifacts).putStream(
            runArtifactKey(run.id, segments),
            body,
            { maxBytes: config.maxUploadBytes },
          );
          return await reply.status(201).send({ path: segments.join('/'), bytes });
        } catch (error) {
          if (error instanceof ArtifactTooLargeError) throw tooLarge(error.maxBytes);
          if (isPathClash(error)) {
            throw conflict('artifact_conflict', `'${path}' clashes with a file or folder of the same name.`, { path });
          }
          throw error;
        }
      },
    );
  });

  app.get<{ Params: FileParamsType }>(
    '/runs/:run/artifacts/*',
    {
      schema: routeSchema('artifacts', {
        params: FileParams,
        response: W.replies(200, W.Binary),
        description: 'Download one file of the run as a stream.',
      }),
    },
    async (request, reply) => {
      const run = await runFor(services, request.user, request.params.run, 'viewer');
      const path = request.params['*'];
      const segments = artifactSegments(path);
      if (segments.length === 0) throw artifactNotFound(path);
      const found = await streamingArtifacts(services.artifacts).openRead(runArtifactKey(run.id, segments));
      if (!found) throw artifactNotFound(path);
      const name = segments[segments.length - 1]!;
      void reply
        .header('content-length', found.bytes)
        .header('content-type', name.includes('.') ? contentTypeOf(name) : 'application/octet-stream')
        // Uploaded bytes are never interpreted as a page of ours (HTML and SVG go out as plain bytes).
        .header('x-content-type-options', 'nosniff')
        .header('content-disposition', attachmentOf(name));
      return reply.send(found.stream);
    },
  );

  app.delete<{ Params: FileParamsType }>(
    '/runs/:run/artifacts/*',
    {
      schema: routeSchema('artifacts', {
        params: FileParams,
        response: W.replies(204),
        description: 'Delete a file or a folder (with everything in it) of the run.',
      }),
    },
    async (request, reply) => {
      const run = await runFor(services, request.user, request.params.run, 'editor');
      const path = request.params['*'];
      const segments = artifactSegments(path);
      if (segments.length === 0) throw invalidPath(path);
      const store = streamingArtifacts(services.artifacts);
      const key = runArtifactKey(run.id, segments);
      const exists = (await store.isPrefix(key)) || (await store.exists(key));
      if (!exists) throw artifactNotFound(path);
      await store.removeTree(key);
      return reply.status(204).send();
    },
  );
}
