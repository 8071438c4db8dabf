// Store records → wire objects of the public API (packages/client/src/types.ts).

import type { EndpointState } from '../serving/serving-runtime.js';
import { isOnnxKey } from '../serving/serving.js';
import type {
  Connection,
  Dataset,
  DatasetVersion,
  Endpoint,
  Model,
  ModelVersion,
  Project,
  Role,
  Run,
  User,
} from '@modelyard/client';
import type {
  ConnectionRecord,
  DatasetRecord,
  DatasetVersionRecord,
  EndpointRecord,
  ModelRecord,
  ModelVersionRecord,
  ProjectRecord,
  RunRecord,
  UserRecord,
} from '../store/metadata-store.js';

export const presentUser = (u: UserRecord): User => ({
  id: u.id,
  name: u.name,
  isAdmin: u.isAdmin,
  createdAt: u.createdAt,
});

export const presentProject = (p: ProjectRecord, role: Role): Project => ({
  id: p.id,
  name: p.name,
  description: p.description,
  createdAt: p.createdAt,
  role,
});

export const presentVersion = (v: DatasetVersionRecord): DatasetVersion => ({
  version: v.version,
  datasetId: v.datasetId,
  rows: v.rows,
  bytes: v.bytes,
  source: v.source,
  createdAt: v.createdAt,
  createdBy: v.createdBy,
  profile: v.profile,
  pinned: v.pinned,
  tags: v.tags,
});

export const presentDataset = (d: DatasetRecord, latest: DatasetVersionRecord | undefined): Dataset => ({
  id: d.id,
  projectId: d.projectId,
  name: d.name,
  description: d.description,
  createdAt: d.createdAt,
  latestVersion: latest ? presentVersion(latest) : null,
  tags: d.tags,
  retention: d.retention,
});

export const presentRun = ({ artifactKey: _internal, ...run }: RunRecord): Run => run;

export const presentModel = (m: ModelRecord): Model => ({
  id: m.id,
  projectId: m.projectId,
  name: m.name,
  description: m.description,
  createdAt: m.createdAt,
  aliases: m.aliases,
  latestVersion: m.latestVersion,
});

/** A version with its description and tags (the registry's details) and its run's task and scores. */
export const presentModelVersion = (
  v: ModelVersionRecord & { description?: string; tags?: Record<string, string> },
  run: RunRecord,
): ModelVersion => ({
  modelId: v.modelId,
  version: v.version,
  runId: v.runId,
  source: run.artifactKey !== null && isOnnxKey(run.artifactKey) ? 'onnx' : 'run',
  description: v.description ?? '',
  tags: v.tags ?? {},
  task: run.task,
  metrics: run.metrics,
  createdAt: v.createdAt,
  createdBy: v.createdBy,
});

/** An endpoint with the versions its routes serve now (`serving` absent when they could not be resolved). */
export const presentEndpoint = (
  e: EndpointRecord,
  serving: Pick<EndpointState, 'primary' | 'canary' | 'shadow' | 'loadError'> | undefined,
): Endpoint => ({
  id: e.id,
  projectId: e.projectId,
  name: e.name,
  model: e.modelRef,
  modelVersion: serving?.primary?.version ?? 0,
  canary: e.canary && {
    model: e.canary.modelRef,
    share: e.canary.share,
    modelVersion: serving?.canary?.version ?? null,
  },
  shadow: e.shadow && {
    model: e.shadow.modelRef,
    share: e.shadow.share,
    modelVersion: serving?.shadow?.version ?? null,
  },
  maxConcurrency: e.maxConcurrency,
  loadError: serving?.loadError ?? null,
  createdAt: e.createdAt,
  updatedAt: e.updatedAt,
});

/** A connection as the API shows it: everything but the secret. */
export const presentConnection = (c: ConnectionRecord): Connection => ({
  id: c.id,
  projectId: c.projectId,
  name: c.name,
  kind: c.kind,
  host: c.host,
  port: c.port,
  database: c.database,
  user: c.user,
  ssl: c.options.ssl === true,
  createdAt: c.createdAt,
  createdBy: c.createdBy,
});
