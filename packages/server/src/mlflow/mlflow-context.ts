// The project an MLflow request works on and the caller's right to it; lookups of experiments and runs inside it.

import type { FastifyRequest } from 'fastify';
import type { Role } from '@modelyard/client';
import { roleAtLeast, roleOn } from '../auth/access.js';
import type { Services } from '../services.js';
import type { ExperimentRecord, ProjectRecord, RunRecord, UserRecord } from '../store/metadata-store.js';
import { mlflowUser } from './mlflow-auth.js';
import { doesNotExist, invalidParameter, MlflowError } from './mlflow-error.js';

export interface MlflowContext {
  services: Services;
  project: ProjectRecord;
  user: UserRecord;
  role: Role;
  /** User names by id, filled as runs are shown. */
  userNames: Map<string, string>;
}

/** The project named in the path (`/mlflow/<project>/...`), else the configured one; needs `min` on it. */
export async function mlflowContext(services: Services, request: FastifyRequest, min: Role): Promise<MlflowContext> {
  const { store, config } = services;
  const user = await mlflowUser(store, request);
  const name = (request.params as { project?: string }).project ?? config.mlflowProject;
  const project = await store.getProjectByName(name);
  const role = project && (await roleOn(store, user, project.id));
  if (!project || role === undefined) {
    // Unknown and foreign projects read the same, so names reveal nothing; admins learn that it is missing.
    if (user.isAdmin) throw doesNotExist(`No project '${name}' exists.`);
    throw new MlflowError(403, 'PERMISSION_DENIED', `Permission denied: you are not a member of project '${name}'.`);
  }
  if (!roleAtLeast(role, min)) {
    throw new MlflowError(403, 'PERMISSION_DENIED', `Permission denied: this needs the ${min} role; you are ${role}.`);
  }
  return { services, project, user, role, userNames: new Map() };
}

/** An experiment of the project; "0" is MLflow's default experiment, our project's Default. */
export async function findExperiment(ctx: MlflowContext, id: string): Promise<ExperimentRecord | undefined> {
  const { store } = ctx.services;
  if (id === '0') return store.defaultExperiment(ctx.project.id, ctx.user.id);
  const experiment = await store.getExperiment(id);
  return experiment?.projectId === ctx.project.id ? experiment : undefined;
}

export async function getExperiment(ctx: MlflowContext, id: string): Promise<ExperimentRecord> {
  const experiment = await findExperiment(ctx, id);
  if (!experiment) throw doesNotExist(`No Experiment with id=${id} exists`);
  return experiment;
}

export async function getRun(ctx: MlflowContext, id: string): Promise<RunRecord> {
  const run = await ctx.services.store.getRun(id);
  if (!run || run.projectId !== ctx.project.id) throw doesNotExist(`Run with id=${id} not found`);
  return run;
}

/** A run that may still be written to: MLflow refuses writes to deleted runs. */
export async function getActiveRun(ctx: MlflowContext, id: string): Promise<RunRecord> {
  const run = await getRun(ctx, id);
  if (run.lifecycleStage !== 'active') {
    throw invalidParameter(`The run ${run.id} must be in the 'active' state. Current state is ${run.lifecycleStage}.`);
  }
  return run;
}

export async function userNameOf(ctx: MlflowContext, userId: string): Promise<string> {
  let name = ctx.userNames.get(userId);
  if (name === undefined) {
    name = (await ctx.services.store.getUser(userId))?.name ?? '';
    ctx.userNames.set(userId, name);
  }
  return name;
}
