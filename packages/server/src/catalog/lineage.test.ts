// The lineage walk on a real (SQLite) store, with links across projects that the API cannot make today but the store
// can hold: every node, not only the root, is filtered by the caller's role.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LineageGraph, NodeRef } from '@modelyard/client';
import { newId } from '../store/ids.js';
import type { MetadataStore, ModelRecord, ProjectRecord, RunRecord, UserRecord } from '../store/metadata-store.js';
import { openThrowAwayStore, type ThrowAwayStore } from '../store/test-databases.js';
import { lineageGraph } from './lineage.js';

const HASH = 'a1b2c3d4e5f6'.padEnd(64, '0');
const HASH_2 = 'ffff'.padEnd(64, '1');
const by = (actor: string) => ({ actor, action: 'test' });

let handle: ThrowAwayStore;
let store: MetadataStore;
let admin: UserRecord;
let vera: UserRecord;
let bob: UserRecord;
let a: ProjectRecord;
let b: ProjectRecord;
let datasetId: string;
let runA: RunRecord;
let runB: RunRecord;
let modelA: ModelRecord;
let modelB: ModelRecord;
let endpointA: string;
let endpointB: string;

const dv = (hash = HASH): NodeRef => ({ kind: 'dataset_version', id: `${datasetId}@${hash}` });
const keys = (g: LineageGraph): string[] => g.nodes.map((n) => `${n.kind} ${n.name}`);
const edgeNames = (g: LineageGraph): string[] => {
  const name = (r: NodeRef) => g.nodes.find((n) => n.kind === r.kind && n.id === r.id)?.name ?? `?${r.id}`;
  return g.edges.map((e) => `${name(e.from)} -> ${name(e.to)}`);
};

async function run(project: ProjectRecord, name: string, hash: string): Promise<RunRecord> {
  return store.createRun(
    {
      id: newId('run'),
      projectId: project.id,
      experimentId: (await store.defaultExperiment(project.id, admin.id)).id,
      parentRunId: null,
      kind: 'training',
      name,
      task: 'classification',
      algorithm: 'glm',
      target: 'y',
      datasetId,
      datasetVersion: hash,
      params: {},
      createdBy: admin.id,
    },
    by(admin.id),
  );
}

beforeAll(async () => {
  handle = await openThrowAwayStore('sqlite');
  store = handle.store;
  admin = await store.createUser({ name: 'admin', isAdmin: true }, by('system'));
  vera = await store.createUser({ name: 'vera', isAdmin: false }, by(admin.id));
  bob = await store.createUser({ name: 'bob', isAdmin: false }, by(admin.id));
  a = await store.createProject({ name: 'a', description: '', owner: admin.id }, by(admin.id));
  b = await store.createProject({ name: 'b', description: '', owner: admin.id }, by(admin.id));
  await store.setMember(a.id, vera.id, 'viewer', by(admin.id));
  await store.setMember(b.id, bob.id, 'viewer', by(admin.id));

  const dataset = await store.createDataset(
    { projectId: a.id, name: 'credit', description: '', createdBy: admin.id },
    by(admin.id),
  );
  datasetId = dataset.id;
  const version = {
    datasetId,
    snapshotKey: 's',
    rows: 1,
    bytes: 1,
    source: 'upload',
    profile: { rows: 1, columns: [] },
    createdBy: admin.id,
  };
  await store.addDatasetVersion({ ...version, version: HASH }, by(admin.id));
  await store.addDatasetVersion({ ...version, version: HASH_2 }, by(admin.id));

  runA = await run(a, 'run-a', HASH);
  runB = await run(b, 'run-b', HASH); // project b trained on project a's data
  modelA = await store.createModel(
    { projectId: a.id, name: 'glm-a', description: '', createdBy: admin.id },
    by(admin.id),
  );
  modelB = await store.createModel(
    { projectId: b.id, name: 'glm-b', description: '', createdBy: admin.id },
    by(admin.id),
  );
  await store.addModelVersion(modelA.id, runA.id, admin.id, by(admin.id));
  await store.addModelVersion(modelB.id, runB.id, admin.id, by(admin.id));
  await store.setAlias(modelA.id, 'champion', 1, by(admin.id));
  endpointA = (
    await store.createEndpoint(
      { projectId: a.id, name: 'scoring-a', modelRef: 'glm-a@champion', createdBy: admin.id, maxConcurrency: 4 },
      by(admin.id),
    )
  ).id;
  endpointB = (
    await store.createEndpoint(
      { projectId: b.id, name: 'scoring-b', modelRef: 'glm-b@1', createdBy: admin.id, maxConcurrency: 4 },
      by(admin.id),
    )
  ).id;
});

afterAll(async () => {
  await handle?.dispose();
});

describe('lineageGraph', () => {
  it('walks down from a dataset version to every endpoint, with edges pointing downstream', async () => {
    const g = await lineageGraph(store, admin, dv(), { direction: 'down', depth: 10 });
    expect(g.root).toEqual(dv());
    expect(keys(g)).toEqual([
      'dataset_version credit@a1b2c3d4e5f6',
      'run run-a',
      'run run-b',
      'model_version glm-a v1',
      'model_version glm-b v1',
      'endpoint scoring-a',
      'endpoint scoring-b',
    ]);
    expect(g.nodes.find((n) => n.name === 'run-b')?.projectId).toBe(b.id);
    expect(edgeNames(g).sort()).toEqual(
      [
        'credit@a1b2c3d4e5f6 -> run-a',
        'credit@a1b2c3d4e5f6 -> run-b',
        'run-a -> glm-a v1',
        'run-b -> glm-b v1',
        'glm-a v1 -> scoring-a',
        'glm-b v1 -> scoring-b',
      ].sort(),
    );
  });

  it('walks up from an endpoint to the dataset, still with edges pointing downstream', async () => {
    const g = await lineageGraph(store, admin, { kind: 'endpoint', id: endpointA }, { direction: 'up', depth: 10 });
    expect(keys(g)).toEqual([
      'endpoint scoring-a',
      'model_version glm-a v1',
      'run run-a',
      'dataset_version credit@a1b2c3d4e5f6',
      'dataset credit',
    ]);
    expect(edgeNames(g)).toEqual([
      'glm-a v1 -> scoring-a',
      'run-a -> glm-a v1',
      'credit@a1b2c3d4e5f6 -> run-a',
      'credit -> credit@a1b2c3d4e5f6',
    ]);
  });

  it('stops at the depth asked for', async () => {
    const root: NodeRef = { kind: 'dataset', id: datasetId };
    const one = await lineageGraph(store, admin, root, { direction: 'down', depth: 1 });
    expect(keys(one).sort()).toEqual([
      'dataset credit',
      'dataset_version credit@a1b2c3d4e5f6',
      'dataset_version credit@ffff11111111',
    ]);
    const two = await lineageGraph(store, admin, root, { direction: 'down', depth: 2 });
    expect(keys(two)).toContain('run run-b');
    expect(keys(two)).not.toContain('model_version glm-a v1');
    const up = await lineageGraph(store, admin, { kind: 'endpoint', id: endpointA }, { direction: 'up', depth: 2 });
    expect(keys(up)).toEqual(['endpoint scoring-a', 'model_version glm-a v1', 'run run-a']);
  });

  it('leaves out every node in a project the caller cannot view, and what lies only beyond it', async () => {
    const down = await lineageGraph(store, vera, dv(), { direction: 'down', depth: 10 });
    expect(keys(down)).toEqual([
      'dataset_version credit@a1b2c3d4e5f6',
      'run run-a',
      'model_version glm-a v1',
      'endpoint scoring-a',
    ]);
    expect(down.nodes.every((n) => n.projectId === a.id)).toBe(true);
    expect(down.edges.some((e) => e.to.id === runB.id)).toBe(false);

    const up = await lineageGraph(store, bob, { kind: 'endpoint', id: endpointB }, { direction: 'up', depth: 10 });
    expect(keys(up)).toEqual(['endpoint scoring-b', 'model_version glm-b v1', 'run run-b']);
    expect(up.edges).toHaveLength(2);
  });

  it('answers a root the caller cannot view, or that does not exist, as not found', async () => {
    await expect(
      lineageGraph(store, vera, { kind: 'run', id: runB.id }, { direction: 'up', depth: 3 }),
    ).rejects.toMatchObject({ status: 404, code: 'run_not_found' });
    await expect(lineageGraph(store, bob, dv(), { direction: 'down', depth: 3 })).rejects.toMatchObject({
      status: 404,
      code: 'dataset_version_not_found',
    });
    const missing: [NodeRef, string][] = [
      [{ kind: 'dataset_version', id: 'no-at-sign' }, 'dataset_version_not_found'],
      [{ kind: 'dataset_version', id: `${datasetId}@` }, 'dataset_version_not_found'],
      [{ kind: 'dataset_version', id: `${datasetId}@a1b2` }, 'dataset_version_not_found'],
      [{ kind: 'model_version', id: `${modelA.id}@x` }, 'model_version_not_found'],
      [{ kind: 'model_version', id: `${modelA.id}@0` }, 'model_version_not_found'],
      [{ kind: 'model_version', id: `${modelA.id}@7` }, 'model_version_not_found'],
      [{ kind: 'dataset', id: 'ds_nothing' }, 'dataset_not_found'],
      [{ kind: 'endpoint', id: 'ep_nothing' }, 'endpoint_not_found'],
    ];
    for (const [ref, code] of missing) {
      await expect(lineageGraph(store, admin, ref, { direction: 'up', depth: 3 }), ref.id).rejects.toMatchObject({
        status: 404,
        code,
      });
    }
  });

  it('links an endpoint to the version its alias points at now', async () => {
    const v2 = await store.addModelVersion(modelA.id, runA.id, admin.id, by(admin.id));
    await store.setAlias(modelA.id, 'champion', v2.version, by(admin.id));
    const v1 = await lineageGraph(
      store,
      admin,
      { kind: 'model_version', id: `${modelA.id}@1` },
      {
        direction: 'down',
        depth: 3,
      },
    );
    expect(keys(v1)).toEqual(['model_version glm-a v1']);
    const up = await lineageGraph(store, admin, { kind: 'endpoint', id: endpointA }, { direction: 'up', depth: 1 });
    expect(keys(up)).toEqual(['endpoint scoring-a', 'model_version glm-a v2']);
    const run = await lineageGraph(store, admin, { kind: 'run', id: runA.id }, { direction: 'down', depth: 2 });
    expect(keys(run)).toEqual(['run run-a', 'model_version glm-a v1', 'model_version glm-a v2', 'endpoint scoring-a']);
  });
});
