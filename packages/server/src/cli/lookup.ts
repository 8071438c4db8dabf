// Finds a project's dataset, model or endpoint by id or by name, so commands accept either.

import {
  ApiError,
  collectAll,
  type Connection,
  type ModelyardClient,
  type Dataset,
  type Endpoint,
  type Model,
  type Run,
} from '@modelyard/client';
import { CliError } from './cli-error.js';

const PAGE = { limit: 500 };

export async function findDataset(client: ModelyardClient, project: string, idOrName: string): Promise<Dataset> {
  const byId = await tryId(idOrName, 'ds_', () => client.getDataset(idOrName));
  if (byId) return byId;
  const all = await collectAll((p) => client.listDatasets(project, { ...p, ...PAGE }));
  return byName(all, idOrName) ?? notFound('dataset', idOrName, project);
}

export async function findEndpoint(client: ModelyardClient, project: string, idOrName: string): Promise<Endpoint> {
  const byId = await tryId(idOrName, 'ep_', () => client.getEndpoint(idOrName));
  if (byId) return byId;
  const all = await collectAll((p) => client.listEndpoints(project, { ...p, ...PAGE }));
  return byName(all, idOrName) ?? notFound('endpoint', idOrName, project);
}

/** The model of that name, or undefined: registering creates it. */
export async function findModelByName(
  client: ModelyardClient,
  project: string,
  name: string,
): Promise<Model | undefined> {
  const all = await collectAll((p) => client.listModels(project, { ...p, ...PAGE }));
  return byName(all, name);
}

async function tryId<T>(value: string, prefix: string, get: () => Promise<T>): Promise<T | undefined> {
  if (!value.startsWith(prefix)) return undefined;
  try {
    return await get();
  } catch (err) {
    // Not an id after all: it may still be a name.
    if (err instanceof ApiError && err.status === 404) return undefined;
    throw err;
  }
}

function byName<T extends { name: string }>(items: T[], name: string): T | undefined {
  return items.find((item) => item.name === name);
}

function notFound(type: string, idOrName: string, project: string): never {
  throw new CliError(`${type}_not_found`, `No ${type} '${idOrName}' in project '${project}'.`);
}

export async function findConnection(client: ModelyardClient, project: string, idOrName: string): Promise<Connection> {
  const byId = await tryId(idOrName, 'conn_', () => client.getConnection(idOrName));
  if (byId) return byId;
  const all = await collectAll((p) => client.listConnections(project, { ...p, ...PAGE }));
  return byName(all, idOrName) ?? notFound('connection', idOrName, project);
}

/** Run names need not be unique: a name finds the newest run of that name (lists come newest first). */
export async function findRun(client: ModelyardClient, project: string, idOrName: string): Promise<Run> {
  const byId = await tryId(idOrName, 'run_', () => client.getRun(idOrName));
  if (byId) return byId;
  const all = await collectAll((p) => client.listRuns(project, { ...p, ...PAGE }));
  return byName(all, idOrName) ?? notFound('run', idOrName, project);
}
