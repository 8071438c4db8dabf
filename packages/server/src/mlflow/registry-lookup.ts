// Registered models and versions of the request's project, looked up by name as MLflow names them.

import type { RegisteredModelRecord, RegistryVersionRecord } from '../store/metadata-store.js';
import type { MlflowContext } from './mlflow-context.js';
import { doesNotExist, invalidParameter } from './mlflow-error.js';
import { requiredString, type Fields } from './request-fields.js';

export async function getRegisteredModel(ctx: MlflowContext, name: string): Promise<RegisteredModelRecord> {
  const model = await ctx.services.store.getRegisteredModel(ctx.project.id, name);
  if (!model) throw doesNotExist(`Registered Model with name=${name} not found`);
  return model;
}

export function versionNumber(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n)) {
    throw invalidParameter(`Parameter 'version' must be an integer, got '${text}'.`);
  }
  return n;
}

export async function getVersion(
  ctx: MlflowContext,
  f: Fields,
): Promise<{ model: RegisteredModelRecord; version: RegistryVersionRecord }> {
  const name = requiredString(f, 'name');
  const text = requiredString(f, 'version');
  const model = await getRegisteredModel(ctx, name);
  const version = await ctx.services.store.getRegistryVersion(model.id, versionNumber(text));
  if (!version) throw doesNotExist(`Model Version (name=${name}, version=${text}) not found`);
  return { model, version };
}

export async function latestVersion(
  ctx: MlflowContext,
  model: RegisteredModelRecord,
): Promise<RegistryVersionRecord | undefined> {
  return model.latestVersion === null
    ? undefined
    : ctx.services.store.getRegistryVersion(model.id, model.latestVersion);
}
