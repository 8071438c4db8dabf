// Run artifacts: the tracking API's artifacts/list and the proxied artifact service (mlflow-artifacts:/ URIs),
// stored under runs/<runId>/artifacts/ in our artifact store. Uploads stream to disk, never whole in memory.

import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import { isStreamingArtifactStore, type StreamingArtifactStore } from '../artifacts/artifact-store.js';
import type { Services } from '../services.js';
import { getRun, type MlflowContext } from './mlflow-context.js';
import { doesNotExist, invalidParameter, MlflowError } from './mlflow-error.js';
import { artifactUriOf, listField } from './mlflow-json.js';
import type { MlflowRoutes } from './mlflow-route.js';
import { artifactSegments, decodeSegment, invalidPath, runArtifactKey } from './artifact-keys.js';
import { contentTypeOf } from '../artifacts/run-artifacts.js';
import { optionalString, runIdOf } from './request-fields.js';

function streamingStore(ctx: MlflowContext): StreamingArtifactStore {
  const store = ctx.services.artifacts;
  if (!isStreamingArtifactStore(store)) {
    throw new MlflowError(501, 'INTERNAL_ERROR', 'This artifact store cannot serve MLflow artifacts.');
  }
  return store;
}

/** The children of a run's artifact folder, with `prefix` before each name (MLflow's two listings differ there). */
async function listFolder(ctx: MlflowContext, runId: string, segments: string[], prefix: string) {
  const store = streamingStore(ctx);
  const key = runArtifactKey(runId, segments);
  if (!(await store.isPrefix(key))) return [];
  return (await store.list(key)).map((entry) => ({
    path: prefix + decodeSegment(entry.name),
    is_dir: entry.isDir,
    ...(!entry.isDir && { file_size: entry.bytes ?? 0 }),
  }));
}

/** `<experimentId>/<runId>/artifacts/<path>` (the proxy's view of a run's artifact URI) → the run and the path. */
async function proxiedPath(ctx: MlflowContext, path: string): Promise<{ runId: string; segments: string[] }> {
  const all = artifactSegments(path);
  const [, runId, artifacts, ...segments] = all;
  if (runId === undefined || artifacts !== 'artifacts') {
    throw doesNotExist(`No artifact at '${path}': paths are <experiment id>/<run id>/artifacts/<path>.`);
  }
  const run = await getRun(ctx, runId);
  return { runId: run.id, segments };
}

/** What a wildcard route matched, undecoded `..` included (Fastify does not normalise paths). */
const wildcard = (params: unknown): string => (params as { '*'?: string })['*'] ?? '';

export function trackingArtifactRoutes(routes: MlflowRoutes): void {
  routes.add('GET', '/artifacts/list', 'viewer', async (ctx, f) => {
    const run = await getRun(ctx, runIdOf(f));
    const path = optionalString(f, 'path') ?? '';
    const segments = artifactSegments(path);
    const prefix = segments.length === 0 ? '' : `${segments.join('/')}/`;
    return { root_uri: artifactUriOf(run), ...listField('files', await listFolder(ctx, run.id, segments, prefix)) };
  });
}

/** The proxied artifact service under `.../mlflow-artifacts`; takes raw request bodies as streams. */
export function proxiedArtifactRoutes(app: FastifyInstance, routes: MlflowRoutes, services: Services): void {
  // Uploads are any content type, read as a stream by the handler; nothing is parsed or buffered before.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));

  routes.add('GET', '/artifacts', 'viewer', async (ctx, f) => {
    const path = optionalString(f, 'path') ?? '';
    const { runId, segments } = await proxiedPath(ctx, path);
    return listField('files', await listFolder(ctx, runId, segments, ''));
  });

  routes.add('PUT', '/artifacts/*', 'editor', async (ctx, _f, request) => {
    const { runId, segments } = await proxiedPath(ctx, wildcard(request.params));
    if (segments.length === 0) throw invalidPath(wildcard(request.params));
    const body = (request.body ?? request.raw) as Readable;
    await streamingStore(ctx).putStream(runArtifactKey(runId, segments), body, {
      maxBytes: services.config.maxUploadBytes,
    });
    return {};
  });

  routes.add('GET', '/artifacts/*', 'viewer', async (ctx, _f, request, reply) => {
    const path = wildcard(request.params);
    const { runId, segments } = await proxiedPath(ctx, path);
    const found = await streamingStore(ctx).openRead(runArtifactKey(runId, segments));
    if (!found) throw doesNotExist(`File ${path} not found.`);
    const name = segments[segments.length - 1] ?? '';
    void reply
      .header('content-length', found.bytes)
      .header('content-type', contentTypeOf(name))
      // Uploaded bytes are never interpreted as a page of ours (HTML and SVG go out as plain bytes).
      .header('x-content-type-options', 'nosniff')
      .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`);
    return reply.send(found.stream);
  });

  routes.add('DELETE', '/artifacts/*', 'editor', async (ctx, _f, request) => {
    const { runId, segments } = await proxiedPath(ctx, wildcard(request.params));
    if (segments.length === 0) throw invalidParameter('Deleting the whole artifact root of a run is not allowed.');
    await streamingStore(ctx).removeTree(runArtifactKey(runId, segments));
    return {};
  });
}
