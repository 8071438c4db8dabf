// Resolves `name@alias` or `name@version` inside a project to a concrete model version.

import { badRequest, notFound } from '../errors.js';
import type { MetadataStore, ModelRecord, ModelVersionRecord } from '../store/metadata-store.js';

export interface ResolvedModel {
  model: ModelRecord;
  version: ModelVersionRecord;
}

const REF = /^([A-Za-z0-9][A-Za-z0-9._-]{0,99})@([A-Za-z0-9_-]{1,40})$/;

export function parseModelRef(ref: string): { name: string; selector: string } {
  const match = REF.exec(ref);
  if (!match) {
    throw badRequest('invalid_model_ref', `'${ref}' is not a model reference; write name@alias or name@version.`);
  }
  return { name: match[1]!, selector: match[2]! };
}

export async function resolveModelRef(store: MetadataStore, projectId: string, ref: string): Promise<ResolvedModel> {
  const { name, selector } = parseModelRef(ref);
  const model = await store.getModelByName(projectId, name);
  if (!model) throw notFound('model', name);
  const number = /^\d+$/.test(selector) ? Number(selector) : model.aliases[selector];
  if (number === undefined) {
    throw notFound('alias', `${name}@${selector}`);
  }
  const version = await store.getModelVersion(model.id, number);
  if (!version) throw notFound('model_version', `${name}@${selector}`);
  return { model, version };
}
