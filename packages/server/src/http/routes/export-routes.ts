// Downloads of a model version for deployment elsewhere: JavaScript, Java, SQL (DuckDB, PostgreSQL), ONNX, or an edge
// bundle, each held to the engine's predictions by the export parity tests.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { exportJava, exportJavaScript, exportOnnx, exportSql, type ModelArtifact } from '@modelyard/engine';
import { requireRole } from '../../auth/access.js';
import { notFound, unprocessable } from '../../errors.js';
import { edgeBundle } from '../../serving/edge-bundle.js';
import { isOnnxKey } from '../../serving/serving.js';
import type { Services } from '../../services.js';
import { routeSchema } from '../fastify-types.js';
import { IdSchema } from '../names.js';
import * as W from '../wire-schemas.js';

const VersionParams = Type.Object({ model: IdSchema, version: Type.Integer({ minimum: 1 }) });
const ExportFormat = Type.Union([
  Type.Literal('js'),
  Type.Literal('java'),
  Type.Literal('sql'),
  Type.Literal('onnx'),
  Type.Literal('edge'),
]);
const ExportQuery = Type.Object(
  {
    format: ExportFormat,
    /** SQL only. */
    dialect: Type.Optional(Type.Union([Type.Literal('duckdb'), Type.Literal('postgres')])),
    /** SQL only: the table the statement scores (default `input`). */
    table: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);

const EXTENSION = { js: 'mjs', java: 'java', sql: 'sql', onnx: 'onnx', edge: 'edge.mjs' } as const;
const CONTENT_TYPE = {
  js: 'text/javascript; charset=utf-8',
  java: 'text/x-java-source; charset=utf-8',
  sql: 'application/sql; charset=utf-8',
  onnx: 'application/octet-stream',
  edge: 'text/javascript; charset=utf-8',
} as const;

/** A Java class name from the model's name: letters and digits, starting with a capital. */
function javaClassName(model: string, version: number): string {
  const words = model.split(/[^A-Za-z0-9]+/).filter(Boolean);
  const name = words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('') || 'Model';
  return `${/^[0-9]/.test(name) ? `M${name}` : name}V${version}`;
}

export function exportRoutes(app: FastifyInstance, services: Services): void {
  const { store, models } = services;

  app.get<{ Params: Static<typeof VersionParams>; Querystring: Static<typeof ExportQuery> }>(
    '/models/:model/versions/:version/export',
    {
      schema: routeSchema('models', {
        params: VersionParams,
        querystring: ExportQuery,
        response: W.replies(200, W.Binary),
        description: 'The version as deployable code or an ONNX file (a download; size in x-modelyard-export-bytes).',
      }),
    },
    async (request, reply) => {
      const model = await store.getModel(request.params.model);
      if (!model) throw notFound('model', request.params.model);
      await requireRole(store, request.user, model.projectId, 'viewer', { type: 'model', id: model.id });
      const version = await store.getModelVersion(model.id, request.params.version);
      if (!version) throw notFound('model_version', `${model.name}@${request.params.version}`);
      const run = await store.getRun(version.runId);
      if (!run?.artifactKey) throw notFound('model_artifact', version.runId);
      if (isOnnxKey(run.artifactKey)) {
        throw unprocessable(
          'not_exportable',
          `${model.name}@${version.version} is an imported ONNX model: download its file instead.`,
        );
      }
      const artifact: ModelArtifact = await models.load(run.artifactKey);
      const { format } = request.query;
      const title = `${model.name} version ${version.version}`;
      let body: string | Uint8Array;
      if (format === 'js') body = exportJavaScript(artifact);
      else if (format === 'java')
        body = exportJava(artifact, { className: javaClassName(model.name, version.version) });
      else if (format === 'sql') {
        body = exportSql(artifact, {
          dialect: request.query.dialect ?? 'duckdb',
          table: request.query.table ?? 'input',
        });
      } else if (format === 'onnx') body = exportOnnx(artifact, { graphName: model.name });
      else body = await edgeBundle(artifact, title);
      const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
      const file =
        format === 'java'
          ? `${javaClassName(model.name, version.version)}.java`
          : `${model.name}-v${version.version}.${EXTENSION[format]}`;
      return reply
        .header('content-type', CONTENT_TYPE[format])
        .header('content-disposition', `attachment; filename="${file}"`)
        .header('x-modelyard-export-bytes', String(bytes.length))
        .header('x-content-type-options', 'nosniff')
        .send(bytes);
    },
  );
}
