// Imports an ONNX file made by any framework as a version of a registered model. The file becomes the artifact of a
// tracked run (so the version has a run, lineage and an audit trail like any other), is checked by our own reader and
// by onnxruntime before anything is stored, and is then served like a native model.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { requireRole } from '../../auth/access.js';
import { badRequest, notFound } from '../../errors.js';
import type { Services } from '../../services.js';
import { newId } from '../../store/ids.js';
import { OnnxScorer, readOnnxModel } from '../../serving/onnx-model.js';
import { ONNX_ARTIFACT_NAME } from '../../serving/serving.js';
import { routeSchema } from '../fastify-types.js';
import { IdSchema } from '../names.js';
import { presentModelVersion } from '../present.js';
import * as W from '../wire-schemas.js';

const ModelParams = Type.Object({ model: IdSchema });
const ImportQuery = Type.Object({
  /** The file's name, kept as the run's name. */
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
});
/** ONNX files above this are refused (tree ensembles of real size are a few MB). */
const MAX_ONNX_BYTES = 256 * 1024 * 1024;

export function onnxImportRoutes(app: FastifyInstance, services: Services): void {
  const { store, artifacts } = services;

  void app.register(async (raw) => {
    raw.removeAllContentTypeParsers();
    raw.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_ONNX_BYTES }, (_request, body, done) =>
      done(null, body),
    );

    raw.post<{ Params: Static<typeof ModelParams>; Querystring: Static<typeof ImportQuery> }>(
      '/models/:model/versions/onnx',
      {
        schema: routeSchema('models', {
          params: ModelParams,
          querystring: ImportQuery,
          response: W.replies(201, W.ModelVersion),
          description: 'Register the raw request body (an .onnx file) as a new version of the model.',
        }),
        bodyLimit: MAX_ONNX_BYTES,
      },
      async (request, reply) => {
        const model = await store.getModel(request.params.model);
        if (!model) throw notFound('model', request.params.model);
        await requireRole(store, request.user, model.projectId, 'editor', { type: 'model', id: model.id });
        const body = request.body;
        if (!(body instanceof Buffer) || body.length === 0) {
          throw badRequest('invalid_onnx', 'Send the .onnx file as the request body.');
        }
        const bytes = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
        const info = readOnnxModel(bytes);
        const scorer = await OnnxScorer.load(bytes);
        await scorer.release();

        const by = { actor: request.user.id, projectId: model.projectId };
        const experiment = await store.defaultExperiment(model.projectId, request.user.id);
        const runId = newId('run');
        const producer = [info.producerName, info.producerVersion].filter(Boolean).join(' ') || 'unknown';
        const key = `runs/${runId}/${ONNX_ARTIFACT_NAME}`;
        await artifacts.putBytes(key, bytes);
        const now = new Date().toISOString();
        await store.createRun(
          {
            id: runId,
            projectId: model.projectId,
            experimentId: experiment.id,
            parentRunId: null,
            name: request.query.name ?? `ONNX import into ${model.name}`,
            kind: 'tracked',
            status: 'succeeded',
            startedAt: now,
            task: scorer.task,
            algorithm: null,
            target: info.metadata.target ?? null,
            datasetId: null,
            datasetVersion: null,
            params: {},
            tags: {
              'modelyard.source': 'onnx',
              'modelyard.onnx.producer': producer.slice(0, 250),
              'modelyard.onnx.features': JSON.stringify(scorer.features.map((f) => f.name)).slice(0, 8000),
            },
            createdBy: request.user.id,
          },
          { ...by, action: 'run.create', details: { source: 'onnx', producer } },
        );
        await store.updateRun(runId, { artifactKey: key, finishedAt: now, durationMs: 0 });
        const version = await store.addModelVersion(model.id, runId, request.user.id, {
          ...by,
          action: 'model.version.create',
          details: { source: 'onnx', producer, bytes: bytes.length },
        });
        const run = await store.getRun(runId);
        return reply.status(201).send(presentModelVersion(version, run!));
      },
    );
  });
}
