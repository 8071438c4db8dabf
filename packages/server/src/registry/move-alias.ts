// Points an alias at a version: only when the version passes the gates guarding that alias and its model loads; then
// the endpoints serving the alias swap to it before this returns. Every path that moves aliases comes through here.

import type { GateCheck } from '@modelyard/client';
import { ModelyardError, notFound } from '../errors.js';
import type { Services } from '../services.js';
import type { AuditBy, ModelRecord } from '../store/metadata-store.js';
import { checkGates } from './gates.js';

export async function moveAlias(
  // Without `probes`, the probes gate reads the newest stored run instead of running them afresh.
  services: Pick<Services, 'store' | 'artifacts' | 'serving'> & Partial<Pick<Services, 'probes'>>,
  model: ModelRecord,
  alias: string,
  versionNumber: number,
  by: AuditBy,
  options: { force?: boolean } = {},
): Promise<GateCheck> {
  const { store, artifacts, serving } = services;
  const version = await store.getModelVersion(model.id, versionNumber);
  if (!version) throw notFound('model_version', `${model.name}@${versionNumber}`);
  const { probes } = services;
  const check = await checkGates(store, artifacts, model, version, alias, {
    ...(probes && { probes: (m, v) => probes.gate(m, v, by.actor) }),
  });
  if (!check.passed && !options.force) {
    const failing = check.results.filter((r) => !r.passed);
    throw new ModelyardError(
      409,
      'gates_failed',
      `${model.name}@${alias} cannot move to version ${versionNumber}: ` +
        failing.map((r) => `${r.gate.rule.kind} — ${r.reason}`).join('; '),
      { failing: failing.map((r) => ({ gate: r.gate.id, rule: r.gate.rule, reason: r.reason })) },
    );
  }
  // A version that endpoints would serve must load first (tracked runs' versions may hold no model we can load).
  if ((await store.listEndpointsOfModel(model.projectId, model.name)).length > 0) {
    await serving.runtime.checkLoads(model.projectId, `${model.name}@${versionNumber}`);
  }
  await store.setAlias(model.id, alias, versionNumber, {
    ...by,
    details: {
      ...by.details,
      ...(options.force && !check.passed && { forced: true, failing: check.results.filter((r) => !r.passed).length }),
    },
  });
  await serving.runtime.modelMoved(model.projectId, model.name);
  return check;
}

/** Removes an alias; endpoints that served it stop resolving (and keep their last version until they do). */
export async function removeAlias(
  services: Pick<Services, 'store' | 'serving'>,
  model: ModelRecord,
  alias: string,
  by: AuditBy,
): Promise<boolean> {
  const removed = await services.store.deleteAlias(model.id, alias, by);
  if (removed) await services.serving.runtime.modelMoved(model.projectId, model.name);
  return removed;
}
