// A version's global explanation: computed on demand (editors) from its run's data, or a dataset the request names
// (required for imported ONNX versions), and stored with the version.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { VersionExplanation } from '@modelyard/client';
import { notFound } from '../../errors.js';
import { computeVersionExplanation, readVersionExplanation } from '../../monitoring/version-explanations.js';
import type { Services } from '../../services.js';
import { NewVersionExplanation, VersionExplanation as VersionExplanationSchema } from '../explanation-schemas.js';
import { routeSchema } from '../fastify-types.js';
import { IdSchema } from '../names.js';
import * as W from '../wire-schemas.js';
import { versionFor } from './version-access.js';

const VersionParams = Type.Object({ model: IdSchema, version: Type.Integer({ minimum: 1 }) });

export function explanationRoutes(app: FastifyInstance, services: Services): void {
  const { store } = services;

  app.get<{ Params: Static<typeof VersionParams> }>(
    '/models/:model/versions/:version/explanation',
    {
      schema: routeSchema('models', { params: VersionParams, response: W.replies(200, VersionExplanationSchema) }),
    },
    async (request): Promise<VersionExplanation> => {
      const { model, version } = await versionFor(store, request.user, request.params, 'viewer');
      const stored = await readVersionExplanation(services, model.id, version.version);
      if (!stored) throw notFound('explanation', `${model.name}@${version.version}`);
      return stored as VersionExplanation;
    },
  );

  app.post<{ Params: Static<typeof VersionParams>; Body: Static<typeof NewVersionExplanation> | undefined }>(
    '/models/:model/versions/:version/explanation',
    {
      schema: routeSchema('models', {
        params: VersionParams,
        body: Type.Union([NewVersionExplanation, Type.Null()]),
        response: W.replies(200, VersionExplanationSchema),
        description:
          'Computes the global explanation on 2,000 sampled rows of the run’s data, or of the dataset named ' +
          '(required for imported ONNX versions), and stores it.',
      }),
    },
    async (request): Promise<VersionExplanation> => {
      const { model, version } = await versionFor(store, request.user, request.params, 'editor');
      const data = request.body ?? {};
      const explanation = await computeVersionExplanation(services, model, version, data);
      await store.appendAudit({
        actor: request.user.id,
        action: 'model.version.explain',
        objectType: 'model',
        objectId: model.id,
        projectId: model.projectId,
        details: {
          version: version.version,
          ...(data.dataset !== undefined && { dataset: data.dataset, datasetVersion: explanation.datasetVersion }),
        },
      });
      return explanation as VersionExplanation;
    },
  );
}
