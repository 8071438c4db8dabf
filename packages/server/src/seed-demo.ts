// First start: the admin user and token, and a demo project with the credit-scoring data, a trained run, a model
// and an endpoint, so a new user sees the whole road at once.

import { DEFAULT_MAX_CONCURRENCY } from './serving/serving-runtime.js';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { generateToken, hashToken } from './auth/tokens.js';
import { EXAMPLES_DATA_DIR } from './config/server-config.js';
import { ingestFile } from './data/index.js';
import type { Services } from './services.js';
import { newId } from './store/ids.js';
import type { UserRecord } from './store/metadata-store.js';

export interface AdminBootstrap {
  admin: UserRecord;
  /** The generated token, when one was generated (shown once). */
  generatedToken: string | null;
  firstStart: boolean;
}

export const TOKEN_FILE = 'initial-admin-token';

export async function bootstrapAdmin(services: Services): Promise<AdminBootstrap> {
  const { store, config } = services;
  const existing = await store.getUserByName('admin');
  if (existing) {
    // An automation token given by environment is honoured on every start, not only the first.
    if (config.adminToken && !(await store.findUserByTokenHash(hashToken(config.adminToken)))) {
      await store.createToken(
        { userId: existing.id, name: 'MODELYARD_ADMIN_TOKEN', tokenHash: hashToken(config.adminToken) },
        { actor: 'system', action: 'token.create' },
      );
    }
    return { admin: existing, generatedToken: null, firstStart: false };
  }
  const admin = await store.createUser({ name: 'admin', isAdmin: true }, { actor: 'system', action: 'user.create' });
  const token = config.adminToken ?? generateToken();
  await store.createToken(
    { userId: admin.id, name: config.adminToken ? 'MODELYARD_ADMIN_TOKEN' : 'initial', tokenHash: hashToken(token) },
    { actor: 'system', action: 'token.create' },
  );
  if (config.adminToken) return { admin, generatedToken: null, firstStart: true };
  const file = join(config.dataDir, TOKEN_FILE);
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return { admin, generatedToken: token, firstStart: true };
}

/** Seeds the demo project and queues its training run; registration waits for the run to finish. */
export async function seedDemo(services: Services, admin: UserRecord, log: FastifyBaseLogger): Promise<void> {
  const { store, artifacts, duck } = services;
  if (await store.getProjectByName('demo')) return;
  const by = { actor: admin.id };
  const project = await store.createProject(
    { name: 'demo', description: 'Credit scoring demo: predict whether a loan goes bad.', owner: admin.id },
    { ...by, action: 'project.create' },
  );
  const path = join(EXAMPLES_DATA_DIR, 'credit_data.csv');
  const ingested = await ingestFile(duck, artifacts, { path, originalName: 'credit_data.csv' });
  const dataset = await store.createDataset(
    {
      projectId: project.id,
      name: 'credit_data',
      description: 'Credit scoring (modeldata::credit_data): 4454 applicants, target Status good/bad.',
      createdBy: admin.id,
    },
    { ...by, action: 'dataset.create', projectId: project.id },
  );
  await store.addDatasetVersion(
    {
      datasetId: dataset.id,
      version: ingested.version,
      snapshotKey: ingested.snapshotKey,
      rows: ingested.rows,
      bytes: ingested.bytes,
      source: 'file:examples/data/credit_data.csv',
      profile: ingested.profile,
      createdBy: admin.id,
    },
    { ...by, action: 'dataset.version.create', projectId: project.id },
  );
  const experiment = await store.defaultExperiment(project.id, admin.id);
  const run = await store.createRun(
    {
      id: newId('run'),
      projectId: project.id,
      experimentId: experiment.id,
      parentRunId: null,
      kind: 'training',
      name: 'demo-credit-glm',
      task: 'classification',
      algorithm: 'glm',
      target: 'Status',
      datasetId: dataset.id,
      datasetVersion: ingested.version,
      params: { lambda: 0.0001, alpha: 0 },
      createdBy: admin.id,
    },
    { ...by, action: 'run.create', projectId: project.id },
  );
  services.training.enqueue(run.id);
  await services.training.idle();
  const trained = await store.getRun(run.id);
  if (trained?.status !== 'succeeded') {
    log.warn({ run: run.id, error: trained?.error }, 'demo run did not succeed; the demo has no model');
    return;
  }
  const model = await store.createModel(
    {
      projectId: project.id,
      name: 'credit-glm',
      description: 'Logistic regression on credit_data.',
      createdBy: admin.id,
    },
    { ...by, action: 'model.create', projectId: project.id },
  );
  const version = await store.addModelVersion(model.id, run.id, admin.id, {
    ...by,
    action: 'model.version.create',
    projectId: project.id,
  });
  await store.setAlias(model.id, 'champion', version.version, {
    ...by,
    action: 'model.alias.set',
    projectId: project.id,
  });
  await store.createEndpoint(
    {
      projectId: project.id,
      name: 'credit-scoring',
      modelRef: 'credit-glm@champion',
      createdBy: admin.id,
      maxConcurrency: DEFAULT_MAX_CONCURRENCY,
    },
    { ...by, action: 'endpoint.create', projectId: project.id },
  );
}

/** The project the MLflow-compatible API at the server root logs into, created (owned by the admin) when missing. */
export async function ensureMlflowProject(services: Services, admin: UserRecord): Promise<void> {
  const { store, config } = services;
  if (await store.getProjectByName(config.mlflowProject)) return;
  try {
    await store.createProject(
      { name: config.mlflowProject, description: 'Runs logged through the MLflow-compatible API.', owner: admin.id },
      { actor: admin.id, action: 'project.create' },
    );
  } catch (error) {
    // Another server on the same store created it first.
    if (!(await store.getProjectByName(config.mlflowProject))) throw error;
  }
}
