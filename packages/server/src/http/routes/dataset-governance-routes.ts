// Governing datasets and their versions: tags, pins, description and retention policy, deletion and garbage
// collection. Editors tag and pin; only admins change the retention policy or delete data.

import type { FastifyInstance } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import { collectDatasetGarbage, sweepSnapshotTrash } from '../../catalog/dataset-gc.js';
import { badRequest, conflict, notFound } from '../../errors.js';
import type { Services } from '../../services.js';
import type { DatasetRecord, DatasetVersionRecord, RetentionPolicy, UserRecord } from '../../store/metadata-store.js';
import { routeSchema } from '../fastify-types.js';
import { DescriptionSchema, IdSchema } from '../names.js';
import { presentDataset, presentVersion } from '../present.js';
import * as W from '../wire-schemas.js';
import { datasetFor } from './dataset-routes.js';

const VersionSchema = Type.String({ pattern: '^[0-9a-f]{4,64}$' });
/** MLflow's tag rules: keys up to 250 characters of a safe alphabet, values up to 5000 characters. */
const TagKey = Type.String({ pattern: '^[A-Za-z0-9_.:/ -]{1,250}$' });
const TagValue = Type.Object({ value: Type.String({ maxLength: 5000 }) }, { additionalProperties: false });
const DatasetParams = Type.Object({ dataset: IdSchema });
const VersionParams = Type.Object({ dataset: IdSchema, version: VersionSchema });
const DatasetTagParams = Type.Object({ dataset: IdSchema, key: TagKey });
const VersionTagParams = Type.Object({ dataset: IdSchema, version: VersionSchema, key: TagKey });
const DatasetPatch = Type.Object(
  {
    description: Type.Optional(DescriptionSchema),
    retention: Type.Optional(Type.Union([W.RetentionPolicy, Type.Null()])),
  },
  { additionalProperties: false },
);
const VersionPatch = Type.Object({ pinned: Type.Boolean() }, { additionalProperties: false });
const GcBody = Type.Object(
  { dryRun: Type.Optional(Type.Boolean()), policy: Type.Optional(W.RetentionPolicy) },
  { additionalProperties: false },
);

/**
 * A version by its hash or a unique prefix of at least 4 hex digits; 404 when none matches, 400 when it is
 * ambiguous.
 */
async function versionOf(services: Services, dataset: DatasetRecord, ref: string): Promise<DatasetVersionRecord> {
  const exact = await services.store.getDatasetVersion(dataset.id, ref);
  if (exact) return exact;
  const matches = await services.store.findDatasetVersions(dataset.id, ref);
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) {
    throw badRequest('ambiguous_version', `More than one version of '${dataset.name}' starts with '${ref}'.`, {
      version: ref,
    });
  }
  throw notFound('dataset_version', ref);
}

function checkPolicy(policy: RetentionPolicy): RetentionPolicy {
  if (policy.keepLast === null && policy.maxAgeDays === null) {
    throw badRequest('invalid_retention', 'A retention policy needs keepLast, maxAgeDays or both.');
  }
  return policy;
}

export function datasetGovernanceRoutes(app: FastifyInstance, services: Services): void {
  const { store } = services;
  const audit = (user: UserRecord, dataset: DatasetRecord, action: string) => ({
    actor: user.id,
    action,
    projectId: dataset.projectId,
  });
  const answerDataset = async (id: string) => {
    const dataset = (await store.getDataset(id))!;
    return presentDataset(dataset, await store.latestDatasetVersion(id));
  };

  app.patch<{ Params: Static<typeof DatasetParams>; Body: Static<typeof DatasetPatch> }>(
    '/datasets/:dataset',
    {
      schema: routeSchema('datasets', {
        params: DatasetParams,
        body: DatasetPatch,
        response: W.replies(200, W.Dataset),
        description: 'Change the description (editors) or the retention policy (admins; null keeps every version).',
      }),
    },
    async (request) => {
      const { retention, description } = request.body;
      const min = retention === undefined ? 'editor' : 'admin';
      const dataset = await datasetFor(services, request.user, { id: request.params.dataset }, min);
      await store.updateDataset(
        dataset.id,
        {
          ...(description !== undefined && { description }),
          ...(retention !== undefined && { retention: retention && checkPolicy(retention) }),
        },
        audit(request.user, dataset, 'dataset.update'),
      );
      return answerDataset(dataset.id);
    },
  );

  app.put<{ Params: Static<typeof DatasetTagParams>; Body: Static<typeof TagValue> }>(
    '/datasets/:dataset/tags/:key',
    {
      schema: routeSchema('datasets', {
        params: DatasetTagParams,
        body: TagValue,
        response: W.replies(200, W.Dataset),
        description: 'Set a tag of the dataset (searchable).',
      }),
    },
    async (request) => {
      const dataset = await datasetFor(services, request.user, { id: request.params.dataset }, 'editor');
      await store.setDatasetTag(
        { datasetId: dataset.id },
        request.params.key,
        request.body.value,
        audit(request.user, dataset, 'dataset.tag.set'),
      );
      return answerDataset(dataset.id);
    },
  );

  app.delete<{ Params: Static<typeof DatasetTagParams> }>(
    '/datasets/:dataset/tags/:key',
    { schema: routeSchema('datasets', { params: DatasetTagParams, response: W.replies(204) }) },
    async (request, reply) => {
      const dataset = await datasetFor(services, request.user, { id: request.params.dataset }, 'editor');
      if (!(request.params.key in dataset.tags)) throw notFound('dataset_tag', request.params.key);
      await store.setDatasetTag(
        { datasetId: dataset.id },
        request.params.key,
        null,
        audit(request.user, dataset, 'dataset.tag.delete'),
      );
      return reply.status(204).send();
    },
  );

  app.get<{ Params: Static<typeof VersionParams> }>(
    '/datasets/:dataset/versions/:version',
    {
      schema: routeSchema('datasets', {
        params: VersionParams,
        response: W.replies(200, W.DatasetVersion),
        description: 'One version, by its hash or a unique prefix of it.',
      }),
    },
    async (request) => {
      const dataset = await datasetFor(services, request.user, { id: request.params.dataset }, 'viewer');
      return presentVersion(await versionOf(services, dataset, request.params.version));
    },
  );

  app.patch<{ Params: Static<typeof VersionParams>; Body: Static<typeof VersionPatch> }>(
    '/datasets/:dataset/versions/:version',
    {
      schema: routeSchema('datasets', {
        params: VersionParams,
        body: VersionPatch,
        response: W.replies(200, W.DatasetVersion),
        description: 'Pin a version (garbage collection always keeps it) or unpin it.',
      }),
    },
    async (request) => {
      const dataset = await datasetFor(services, request.user, { id: request.params.dataset }, 'editor');
      const version = await versionOf(services, dataset, request.params.version);
      const ref = { datasetId: dataset.id, version: version.version };
      const action = request.body.pinned ? 'dataset.version.pin' : 'dataset.version.unpin';
      await store.setDatasetVersionPinned(ref, request.body.pinned, audit(request.user, dataset, action));
      return presentVersion((await store.getDatasetVersion(dataset.id, version.version))!);
    },
  );

  app.put<{ Params: Static<typeof VersionTagParams>; Body: Static<typeof TagValue> }>(
    '/datasets/:dataset/versions/:version/tags/:key',
    {
      schema: routeSchema('datasets', {
        params: VersionTagParams,
        body: TagValue,
        response: W.replies(200, W.DatasetVersion),
      }),
    },
    async (request) => {
      const dataset = await datasetFor(services, request.user, { id: request.params.dataset }, 'editor');
      const version = await versionOf(services, dataset, request.params.version);
      await store.setDatasetTag(
        { datasetId: dataset.id, version: version.version },
        request.params.key,
        request.body.value,
        audit(request.user, dataset, 'dataset.version.tag.set'),
      );
      return presentVersion((await store.getDatasetVersion(dataset.id, version.version))!);
    },
  );

  app.delete<{ Params: Static<typeof VersionTagParams> }>(
    '/datasets/:dataset/versions/:version/tags/:key',
    { schema: routeSchema('datasets', { params: VersionTagParams, response: W.replies(204) }) },
    async (request, reply) => {
      const dataset = await datasetFor(services, request.user, { id: request.params.dataset }, 'editor');
      const version = await versionOf(services, dataset, request.params.version);
      if (!(request.params.key in version.tags)) throw notFound('dataset_version_tag', request.params.key);
      await store.setDatasetTag(
        { datasetId: dataset.id, version: version.version },
        request.params.key,
        null,
        audit(request.user, dataset, 'dataset.version.tag.delete'),
      );
      return reply.status(204).send();
    },
  );

  app.delete<{ Params: Static<typeof VersionParams> }>(
    '/datasets/:dataset/versions/:version',
    {
      schema: routeSchema('datasets', {
        params: VersionParams,
        response: W.replies(204),
        description:
          'Delete a version (admins). Refused with 409 version_in_use for the latest version, a pinned one, or one ' +
          'a run or a derived dataset was made from; details.reasons says which.',
      }),
    },
    async (request, reply) => {
      const dataset = await datasetFor(services, request.user, { id: request.params.dataset }, 'admin');
      const version = await versionOf(services, dataset, request.params.version);
      const ref = { datasetId: dataset.id, version: version.version };
      const latest = await store.latestDatasetVersion(dataset.id);
      const usage = await store.datasetVersionUsage(ref);
      const reasons = [
        ...(latest?.version === version.version ? ['latest'] : []),
        ...(version.pinned ? ['pinned'] : []),
        ...(usage.runs > 0 ? ['used_by_run'] : []),
        ...(usage.derived > 0 ? ['parent_of_derived'] : []),
      ];
      if (reasons.length > 0) {
        throw conflict('version_in_use', `Version ${version.version.slice(0, 12)} is kept: ${reasons.join(', ')}.`, {
          reasons,
          runs: usage.runs,
          derived: usage.derived,
        });
      }
      await store.deleteDatasetVersion(ref, audit(request.user, dataset, 'dataset.version.delete'));
      await sweepSnapshotTrash(services);
      return reply.status(204).send();
    },
  );

  app.post<{ Params: Static<typeof DatasetParams>; Body: Static<typeof GcBody> | undefined }>(
    '/datasets/:dataset/gc',
    {
      schema: routeSchema('datasets', {
        params: DatasetParams,
        body: Type.Optional(GcBody),
        response: W.replies(200, W.GcReport),
        description:
          'Apply the retention policy (or the one given) now (admins): delete every version nothing keeps; ' +
          '`dryRun` only reports. Versions are also collected after each new version when the dataset has a policy.',
      }),
    },
    async (request) => {
      const dataset = await datasetFor(services, request.user, { id: request.params.dataset }, 'admin');
      const policy = request.body?.policy ?? dataset.retention;
      if (!policy) {
        throw badRequest(
          'no_retention_policy',
          `Dataset '${dataset.name}' has no retention policy; send one as policy.`,
        );
      }
      return collectDatasetGarbage(services, dataset, checkPolicy(policy), {
        dryRun: request.body?.dryRun === true,
        actor: request.user.id,
      });
    },
  );
}
