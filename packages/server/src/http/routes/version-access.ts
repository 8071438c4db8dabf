// The model version a request names, once the caller's role in the model's project is at least `min`.

import { requireRole } from '../../auth/access.js';
import { notFound } from '../../errors.js';
import type { MetadataStore, UserRecord } from '../../store/metadata-store.js';

export async function versionFor(
  store: MetadataStore,
  user: UserRecord,
  params: { model: string; version: number },
  min: 'viewer' | 'editor',
) {
  const model = await store.getModel(params.model);
  if (!model) throw notFound('model', params.model);
  await requireRole(store, user, model.projectId, min, { type: 'model', id: model.id });
  const version = await store.getModelVersion(model.id, params.version);
  if (!version) throw notFound('model_version', `${model.name}@${params.version}`);
  return { model, version };
}
