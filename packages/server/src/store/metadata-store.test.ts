// One suite, every adapter: the MetadataStore contract on SQLite and on PostgreSQL.

import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetProfile } from '@modelyard/client';
import { newId } from './ids.js';
import { ParamConflictError, type MetadataStore, type UserRecord } from './metadata-store.js';
import type { FilterClause, OrderKey } from '../tracking/run-filter.js';
import { ADAPTERS, openThrowAwayStore, type ThrowAwayStore } from './test-databases.js';

const profile: DatasetProfile = {
  rows: 3,
  columns: [{ name: 'x', dbType: 'DOUBLE', type: 'float', nulls: 1, distinct: 2, min: 0.1, max: 2.5, mean: 1.3 }],
};

const by = (actor: string, action: string, projectId?: string) => ({ actor, action, projectId: projectId ?? null });

describe.each(ADAPTERS)('MetadataStore on %s', (adapter) => {
  let handle: ThrowAwayStore;
  let store: MetadataStore;
  let alice: UserRecord;
  let bob: UserRecord;

  beforeAll(async () => {
    handle = await openThrowAwayStore(adapter);
    store = handle.store;
    alice = await store.createUser({ name: 'alice', isAdmin: true }, by('system', 'user.create'));
    bob = await store.createUser({ name: 'bob', isAdmin: false }, by(alice.id, 'user.create'));
  });

  afterAll(async () => {
    await handle?.dispose();
  });

  it('reports its dialect and migrates idempotently', async () => {
    expect(store.dialect).toBe(adapter);
    await store.migrate();
    await store.ping();
    expect(await store.countUsers()).toBe(2);
  });

  it('keeps users unique by name and finds them by token hash only', async () => {
    await expect(store.createUser({ name: 'alice', isAdmin: false }, by('system', 'user.create'))).rejects.toThrow();
    expect((await store.getUserByName('bob'))?.isAdmin).toBe(false);
    expect((await store.getUser(alice.id))?.isAdmin).toBe(true);
    await store.createToken({ userId: bob.id, name: 'laptop', tokenHash: 'hash-bob' }, by(bob.id, 'token.create'));
    expect((await store.findUserByTokenHash('hash-bob'))?.id).toBe(bob.id);
    expect(await store.findUserByTokenHash('hash-nobody')).toBeUndefined();
    await expect(
      store.createToken({ userId: alice.id, name: 'dup', tokenHash: 'hash-bob' }, by(alice.id, 'token.create')),
    ).rejects.toThrow();
  });

  it('makes the creator a project admin and lists only member projects, paged by name', async () => {
    const names = ['p-c', 'p-a', 'p-b'];
    for (const name of names) {
      await store.createProject(
        { name, description: `project ${name}`, owner: alice.id },
        by(alice.id, 'project.create'),
      );
    }
    const pa = (await store.getProjectByName('p-a'))!;
    expect(await store.getRole(pa.id, alice.id)).toBe('admin');
    expect(await store.getRole(pa.id, bob.id)).toBeUndefined();
    expect((await store.listProjects(bob.id, { limit: 10 })).items).toEqual([]);

    await store.setMember(pa.id, bob.id, 'viewer', by(alice.id, 'member.set', pa.id));
    await store.setMember(pa.id, bob.id, 'editor', by(alice.id, 'member.set', pa.id));
    expect(await store.getRole(pa.id, bob.id)).toBe('editor');
    expect((await store.listProjects(bob.id, { limit: 10 })).items.map((p) => p.name)).toEqual(['p-a']);
    expect(await store.rolesOf(bob.id)).toEqual([{ projectName: 'p-a', role: 'editor' }]);

    const first = await store.listProjects(null, { limit: 2 });
    expect(first.items.map((p) => p.name)).toEqual(['p-a', 'p-b']);
    expect(first.next).toBe('p-b');
    const second = await store.listProjects(null, { limit: 2, after: first.next! });
    expect(second.items.map((p) => p.name)).toEqual(['p-c']);
    expect(second.next).toBeNull();

    expect((await store.listMembers(pa.id)).map((m) => [m.userName, m.role])).toEqual([
      ['alice', 'admin'],
      ['bob', 'editor'],
    ]);
    expect(await store.removeMember(pa.id, bob.id, by(alice.id, 'member.remove', pa.id))).toBe(true);
    expect(await store.removeMember(pa.id, bob.id, by(alice.id, 'member.remove', pa.id))).toBe(false);
  });

  it('versions datasets in order and finds versions by hash prefix', async () => {
    const project = await store.createProject(
      { name: 'data', description: '', owner: alice.id },
      by(alice.id, 'project.create'),
    );
    const ds = await store.createDataset(
      { projectId: project.id, name: 'credit', description: 'd', createdBy: alice.id },
      by(alice.id, 'dataset.create', project.id),
    );
    await expect(
      store.createDataset(
        { projectId: project.id, name: 'credit', description: '', createdBy: alice.id },
        by(alice.id, 'x'),
      ),
    ).rejects.toThrow();
    const base = {
      datasetId: ds.id,
      snapshotKey: 'snapshots/a.parquet',
      rows: 3,
      bytes: 1234,
      source: 'upload:a.csv',
      profile,
      createdBy: alice.id,
    };
    const v1 = await store.addDatasetVersion({ ...base, version: 'aaaa1111' }, by(alice.id, 'dataset.version.create'));
    const v2 = await store.addDatasetVersion(
      { ...base, version: 'bbbb2222', rows: 5_000_000_000 },
      by(alice.id, 'dataset.version.create'),
    );
    expect([v1.seq, v2.seq]).toEqual([1, 2]);
    const latest = await store.latestDatasetVersion(ds.id);
    expect(latest?.version).toBe('bbbb2222');
    expect(latest?.rows).toBe(5_000_000_000);
    expect(latest?.profile).toEqual(profile);
    expect((await store.findDatasetVersions(ds.id, 'aaaa')).map((v) => v.version)).toEqual(['aaaa1111']);
    expect(await store.findDatasetVersions(ds.id, '%')).toEqual([]);
    expect((await store.listDatasetVersions(ds.id, { limit: 1 })).map((v) => v.seq)).toEqual([2]);
    expect((await store.listDatasetVersions(ds.id, { limit: 5, beforeSeq: 2 })).map((v) => v.seq)).toEqual([1]);
    expect((await store.getDatasetByName(project.id, 'credit'))?.id).toBe(ds.id);
    expect((await store.listDatasets(project.id, { limit: 10 })).items).toHaveLength(1);
    expect(await store.latestSnapshots(project.id)).toEqual([
      { datasetId: ds.id, name: 'credit', version: 'bbbb2222', snapshotKey: 'snapshots/a.parquet' },
    ]);
  });

  it('stores runs with their JSON fields intact and lists them newest first', async () => {
    const project = await store.createProject(
      { name: 'runs', description: '', owner: alice.id },
      by(alice.id, 'project.create'),
    );
    const ds = await store.createDataset(
      { projectId: project.id, name: 'd', description: '', createdBy: alice.id },
      by(alice.id, 'dataset.create'),
    );
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const run = await store.createRun(
        {
          id: newId('run'),
          projectId: project.id,
          experimentId: (await store.defaultExperiment(project.id, alice.id)).id,
          parentRunId: null,
          kind: 'training',
          name: `r${i}`,
          task: 'classification',
          algorithm: 'glm',
          target: 'y',
          datasetId: ds.id,
          datasetVersion: 'aaaa',
          params: { lambda: 0.001, seed: i, note: 'ü', flag: true },
          createdBy: alice.id,
        },
        by(alice.id, 'run.create', project.id),
      );
      expect(run.status).toBe('queued');
      ids.push(run.id);
    }
    await store.logRunData(ids[0]!, {
      metrics: [
        { key: 'auc', value: 0.8630166832669323, step: 0, timestamp: 1 },
        { key: 'logloss', value: 0.1, step: 0, timestamp: 1 },
      ],
    });
    await store.updateRun(ids[0]!, {
      status: 'succeeded',
      progress: 1,
      durationMs: 12.5,
      error: null,
      environment: {
        node: 'v20',
        os: 'Linux',
        arch: 'x64',
        cpu: 'c',
        cpus: 2,
        memoryBytes: 1,
        lockfileHash: null,
        gitCommit: null,
        modelyardVersion: '0',
      },
    });
    await store.updateRun(ids[1]!, { status: 'failed', error: { code: 'single_class_target', message: 'one class' } });
    const done = (await store.getRun(ids[0]!))!;
    expect(done.metrics.auc).toBe(0.8630166832669323);
    expect(done.params).toEqual({ lambda: 0.001, seed: 0, note: 'ü', flag: true });
    expect(done.durationMs).toBe(12.5);
    expect(done.environment?.cpus).toBe(2);
    expect((await store.getRun(ids[1]!))?.error?.code).toBe('single_class_target');
    const page = await store.listRuns(project.id, { limit: 2 });
    expect(page.items.map((r) => r.id)).toEqual([ids[2], ids[1]]);
    const rest = await store.listRuns(project.id, { limit: 2, after: page.next! });
    expect(rest.items.map((r) => r.id)).toEqual([ids[0]]);
    expect((await store.runsWithStatus(['queued'])).map((r) => r.id)).toContain(ids[2]);
  });

  it('numbers model versions without gaps or duplicates under concurrency and moves aliases', async () => {
    const project = await store.createProject(
      { name: 'models', description: '', owner: alice.id },
      by(alice.id, 'project.create'),
    );
    const ds = await store.createDataset(
      { projectId: project.id, name: 'd', description: '', createdBy: alice.id },
      by(alice.id, 'x'),
    );
    const run = await store.createRun(
      {
        id: newId('run'),
        projectId: project.id,
        experimentId: (await store.defaultExperiment(project.id, alice.id)).id,
        parentRunId: null,
        kind: 'training',
        name: 'r',
        task: 'regression',
        algorithm: 'glm',
        target: 'y',
        datasetId: ds.id,
        datasetVersion: 'a',
        params: {},
        createdBy: alice.id,
      },
      by(alice.id, 'run.create'),
    );
    const model = await store.createModel(
      { projectId: project.id, name: 'm', description: '', createdBy: alice.id },
      by(alice.id, 'model.create'),
    );
    expect(model.latestVersion).toBeNull();
    const versions = await Promise.all(
      Array.from({ length: 5 }, () =>
        store.addModelVersion(model.id, run.id, alice.id, by(alice.id, 'model.version.create')),
      ),
    );
    expect(versions.map((v) => v.version).sort()).toEqual([1, 2, 3, 4, 5]);
    const count = (await store.listModelVersions(model.id, { limit: 10 })).length;
    expect(count).toBe(5);
    await store.setAlias(model.id, 'champion', 1, by(alice.id, 'model.alias.set'));
    expect((await store.getModel(model.id))?.aliases).toEqual({ champion: 1 });
    await store.setAlias(model.id, 'champion', count, by(alice.id, 'model.alias.set'));
    const moved = (await store.getModelByName(project.id, 'm'))!;
    expect(moved.aliases.champion).toBe(count);
    expect(moved.latestVersion).toBe(count);
    expect(await store.deleteAlias(model.id, 'champion', by(alice.id, 'model.alias.delete'))).toBe(true);
    expect(await store.deleteAlias(model.id, 'champion', by(alice.id, 'model.alias.delete'))).toBe(false);
  });

  it('finds the runs of a dataset version, the versions of a run and the endpoints naming a model (lineage)', async () => {
    const project = await store.createProject(
      { name: 'lineage', description: '', owner: alice.id },
      by(alice.id, 'project.create'),
    );
    const ds = await store.createDataset(
      { projectId: project.id, name: 'd', description: '', createdBy: alice.id },
      by(alice.id, 'dataset.create'),
    );
    const experiment = await store.defaultExperiment(project.id, alice.id);
    const newRun = (version: string) =>
      store.createRun(
        {
          id: newId('run'),
          projectId: project.id,
          experimentId: experiment.id,
          parentRunId: null,
          kind: 'training',
          name: `on-${version}`,
          task: 'regression',
          algorithm: 'glm',
          target: 'y',
          datasetId: ds.id,
          datasetVersion: version,
          params: {},
          createdBy: alice.id,
        },
        by(alice.id, 'run.create'),
      );
    const r1 = await newRun('aaaa');
    const r2 = await newRun('aaaa');
    const r3 = await newRun('bbbb');
    expect((await store.listRunsOfDatasetVersion(ds.id, 'aaaa')).map((r) => r.id)).toEqual([r1.id, r2.id]);
    // A run that read a version as an input counts too, once, with its context replaced when logged again.
    await store.addRunInputs(r3.id, [{ datasetId: ds.id, version: 'aaaa', context: 'train' }]);
    await store.addRunInputs(r3.id, [{ datasetId: ds.id, version: 'aaaa', context: 'eval' }]);
    expect(await store.listRunInputs(r3.id)).toEqual([{ datasetId: ds.id, version: 'aaaa', context: 'eval' }]);
    expect((await store.listRunsOfDatasetVersion(ds.id, 'aaaa')).map((r) => r.id)).toEqual([r1.id, r2.id, r3.id]);
    await store.addRunInputs(r3.id, []);
    expect((await store.listRunsOfDatasetVersion(ds.id, 'bbbb')).map((r) => r.name)).toEqual(['on-bbbb']);
    expect(await store.listRunsOfDatasetVersion(ds.id, 'aaa')).toEqual([]);
    expect(await store.listRunsOfDatasetVersion('ds_other', 'aaaa')).toEqual([]);

    const m = await store.createModel(
      { projectId: project.id, name: 'm_1', description: '', createdBy: alice.id },
      by(alice.id, 'model.create'),
    );
    const other = await store.createModel(
      { projectId: project.id, name: 'mx1', description: '', createdBy: alice.id },
      by(alice.id, 'model.create'),
    );
    await store.addModelVersion(m.id, r1.id, alice.id, by(alice.id, 'model.version.create'));
    await store.addModelVersion(m.id, r2.id, alice.id, by(alice.id, 'model.version.create'));
    await store.addModelVersion(m.id, r1.id, alice.id, by(alice.id, 'model.version.create'));
    await store.addModelVersion(other.id, r1.id, alice.id, by(alice.id, 'model.version.create'));
    const ofR1 = await store.listModelVersionsOfRun(r1.id);
    expect(ofR1.map((v) => [v.modelId, v.version])).toEqual(
      [
        [m.id, 1],
        [m.id, 3],
        [other.id, 1],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0])) || Number(a[1]) - Number(b[1])),
    );
    expect(ofR1.every((v) => v.runId === r1.id)).toBe(true);
    expect((await store.listModelVersionsOfRun(r2.id)).map((v) => v.version)).toEqual([2]);
    expect(await store.listModelVersionsOfRun(r3.id)).toEqual([]);

    const endpoint = (name: string, modelRef: string, projectId = project.id) =>
      store.createEndpoint(
        { projectId, name, modelRef, createdBy: alice.id, maxConcurrency: 4 },
        by(alice.id, 'endpoint.create'),
      );
    const champion = await endpoint('champion', 'm_1@champion');
    const pinned = await endpoint('pinned', 'm_1@2');
    // Near misses: `_` is not a wildcard, case counts, and the name must end at the `@`.
    await endpoint('wildcard', 'mx1@1');
    await endpoint('upper', 'M_1@1');
    await endpoint('longer', 'm_12@1');
    const elsewhere = await store.createProject(
      { name: 'lineage-2', description: '', owner: alice.id },
      by(alice.id, 'project.create'),
    );
    await endpoint('same-name', 'm_1@1', elsewhere.id);
    expect((await store.listEndpointsOfModel(project.id, 'm_1')).map((e) => e.id)).toEqual(
      [champion.id, pinned.id].sort(),
    );
    expect((await store.listEndpointsOfModel(project.id, 'mx1')).map((e) => e.name)).toEqual(['wildcard']);
    expect(await store.listEndpointsOfModel(project.id, 'nothing')).toEqual([]);
  });

  it('logs inferences per endpoint, newest first', async () => {
    const project = await store.createProject(
      { name: 'serve', description: '', owner: alice.id },
      by(alice.id, 'project.create'),
    );
    const ep = await store.createEndpoint(
      { projectId: project.id, name: 'scoring', modelRef: 'm@champion', createdBy: alice.id, maxConcurrency: 8 },
      by(alice.id, 'endpoint.create'),
    );
    expect((await store.getEndpointByName(project.id, 'scoring'))?.id).toBe(ep.id);
    const ids = ['inf_a1', 'inf_a2', 'inf_a3'];
    await store.logInferences(
      ids.map((id, i) => ({
        id,
        endpointId: ep.id,
        modelVersion: 1,
        modelRef: i === 2 ? 'm@challenger' : 'm@champion',
        route: i === 2 ? 'canary' : 'primary',
        inputs: [{ x: i, c: null }],
        outputs: [{ value: i * 1.5 }],
        latencyMs: 0.25,
      })),
    );
    const page = await store.listInferences(ep.id, { limit: 2 });
    expect(page.items.map((r) => r.inputs[0]?.x)).toEqual([2, 1]);
    expect(page.items[0]).toMatchObject({ outputs: [{ value: 3 }], route: 'canary', model: 'm@challenger' });
    const rest = await store.listInferences(ep.id, { limit: 2, after: page.next! });
    expect(rest.items.map((r) => r.inputs[0]?.x)).toEqual([0]);

    // 1,200 entries in one batch cross the insert chunk size and land in one transaction.
    const many = Array.from({ length: 1200 }, (_, i) => ({
      id: `inf_b${String(i).padStart(5, '0')}`,
      endpointId: ep.id,
      modelVersion: 2,
      modelRef: 'm@champion',
      route: 'primary' as const,
      inputs: [{ x: i }],
      outputs: [{ value: i }],
      latencyMs: 0.1,
    }));
    await store.logInferences(many);
    await store.logShadows([
      {
        requestId: 'inf_b00007',
        endpointId: ep.id,
        modelRef: 'm@3',
        modelVersion: 3,
        outputs: [{ value: 7.5 }],
        error: null,
        latencyMs: 0.4,
      },
      {
        requestId: 'inf_b00008',
        endpointId: ep.id,
        modelRef: 'm@3',
        modelVersion: 3,
        outputs: null,
        error: 'boom',
        latencyMs: 0.2,
      },
    ]);
    const pairs = await store.recentShadowPairs(ep.id, 10);
    expect(pairs.map((p) => [p.shadow.requestId, p.shadow.error, p.primary?.outputs])).toEqual([
      ['inf_b00008', 'boom', [{ value: 8 }]],
      ['inf_b00007', null, [{ value: 7 }]],
    ]);

    const moved = await store.updateEndpoint(
      ep.id,
      { canary: { modelRef: 'm@challenger', share: 0.25 }, shadow: { modelRef: 'm@3', share: 0.5 } },
      by(alice.id, 'endpoint.update'),
    );
    expect(moved).toMatchObject({
      modelRef: 'm@champion',
      canary: { modelRef: 'm@challenger', share: 0.25 },
      shadow: { modelRef: 'm@3', share: 0.5 },
      maxConcurrency: 8,
    });
    const cleared = await store.updateEndpoint(
      ep.id,
      { canary: null, maxConcurrency: 2 },
      by(alice.id, 'endpoint.update'),
    );
    expect(cleared).toMatchObject({ canary: null, shadow: { modelRef: 'm@3' }, maxConcurrency: 2 });
    expect(cleared.updatedAt).not.toBeNull();
  });

  it('records where a dataset is refreshed from, and replaces it', async () => {
    const project = await store.createProject(
      { name: 'sources', description: '', owner: alice.id },
      by(alice.id, 'project.create'),
    );
    const ds = await store.createDataset(
      { projectId: project.id, name: 'orders', description: '', createdBy: alice.id },
      by(alice.id, 'dataset.create'),
    );
    expect(await store.getDatasetSource(ds.id)).toBeUndefined();
    await store.setDatasetSource(ds.id, { kind: 'file', path: '/data/orders.csv' });
    expect(await store.getDatasetSource(ds.id)).toEqual({ kind: 'file', path: '/data/orders.csv' });
    const query = "SELECT * FROM orders WHERE note = 'it''s'";
    await store.setDatasetSource(ds.id, { kind: 'sql', connectionId: 'conn_x', query });
    expect(await store.getDatasetSource(ds.id)).toEqual({ kind: 'sql', connectionId: 'conn_x', query });
  });

  it('tags and pins datasets and versions, keeps a retention policy, and trashes a snapshot no version refers to', async () => {
    const project = await store.createProject(
      { name: 'governed', description: '', owner: alice.id },
      by(alice.id, 'project.create'),
    );
    const make = (name: string) =>
      store.createDataset(
        { projectId: project.id, name, description: '', createdBy: alice.id },
        by(alice.id, 'dataset.create', project.id),
      );
    const [ds, other] = [await make('loans'), await make('loans-copy')];
    const version = (datasetId: string, hash: string, snapshot: string) =>
      store.addDatasetVersion(
        {
          datasetId,
          version: hash,
          snapshotKey: `snapshots/${snapshot}.parquet`,
          rows: 1,
          bytes: 10,
          source: 's',
          profile,
          createdBy: alice.id,
        },
        by(alice.id, 'dataset.version.create', project.id),
      );
    await version(ds.id, 'a1', 'shared');
    await version(ds.id, 'b2', 'own');
    await version(other.id, 'c3', 'shared');

    await store.setDatasetTag({ datasetId: ds.id }, 'owner', 'risk team', by(alice.id, 'dataset.tag.set'));
    await store.setDatasetTag({ datasetId: ds.id }, 'owner', 'credit team', by(alice.id, 'dataset.tag.set'));
    await store.setDatasetTag({ datasetId: ds.id }, 'pii', 'no', by(alice.id, 'dataset.tag.set'));
    await store.setDatasetTag({ datasetId: ds.id, version: 'a1' }, 'quality', 'gold', by(alice.id, 'x'));
    await store.setDatasetVersionPinned({ datasetId: ds.id, version: 'a1' }, true, by(alice.id, 'x'));
    await store.updateDataset(ds.id, { retention: { keepLast: 3, maxAgeDays: null } }, by(alice.id, 'dataset.update'));
    const loaded = (await store.getDataset(ds.id))!;
    expect(loaded.tags).toEqual({ owner: 'credit team', pii: 'no' });
    expect(loaded.retention).toEqual({ keepLast: 3, maxAgeDays: null });
    expect((await store.listDatasets(project.id, { limit: 10 })).items.map((d) => d.tags)).toEqual([
      { owner: 'credit team', pii: 'no' },
      {},
    ]);
    const a1 = (await store.getDatasetVersion(ds.id, 'a1'))!;
    expect([a1.pinned, a1.tags]).toEqual([true, { quality: 'gold' }]);
    expect((await store.latestDatasetVersion(ds.id))?.pinned).toBe(false);
    await store.setDatasetTag({ datasetId: ds.id }, 'pii', null, by(alice.id, 'dataset.tag.delete'));
    expect((await store.getDataset(ds.id))?.tags).toEqual({ owner: 'credit team' });

    const hits = await store.searchDatasetTags([project.id], 'CREDIT', 10);
    expect(hits).toEqual([{ id: ds.id, projectId: project.id, name: 'loans', key: 'owner', value: 'credit team' }]);
    expect(await store.searchDatasetTags(['elsewhere'], 'credit', 10)).toEqual([]);

    // The shared snapshot stays out of the trash while another dataset's version refers to it.
    await store.deleteDatasetVersion({ datasetId: ds.id, version: 'a1' }, by(alice.id, 'dataset.version.delete'));
    await store.deleteDatasetVersion({ datasetId: ds.id, version: 'b2' }, by(alice.id, 'dataset.version.delete'));
    expect(await store.getDatasetVersion(ds.id, 'a1')).toBeUndefined();
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(await store.trashedSnapshots(future, 10)).toEqual(['snapshots/own.parquet']);
    expect(await store.trashedSnapshots('2000-01-01T00:00:00.000Z', 10)).toEqual([]);
    expect(await store.snapshotReferenced('snapshots/shared.parquet')).toBe(true);
    expect(await store.snapshotReferenced('snapshots/own.parquet')).toBe(false);
    await store.untrashSnapshot('snapshots/own.parquet');
    expect(await store.trashedSnapshots(future, 10)).toEqual([]);
    expect(await store.datasetVersionUsage({ datasetId: other.id, version: 'c3' })).toEqual({ runs: 0, derived: 0 });
  });

  it('keeps experiments per project with tags, a restorable lifecycle and one Default', async () => {
    const project = await store.createProject(
      { name: 'exps', description: '', owner: alice.id },
      by(alice.id, 'project.create'),
    );
    const churn = await store.createExperiment(
      { projectId: project.id, name: 'churn', description: 'd', tags: { team: 'risk' }, createdBy: alice.id },
      by(alice.id, 'experiment.create'),
    );
    await expect(
      store.createExperiment(
        { projectId: project.id, name: 'churn', description: '', createdBy: alice.id },
        by(alice.id, 'experiment.create'),
      ),
    ).rejects.toThrow();
    await store.setExperimentTag(churn.id, 'stage', 'dev', by(alice.id, 'experiment.tag'));
    await store.setExperimentTag(churn.id, 'team', null, by(alice.id, 'experiment.tag'));
    expect((await store.getExperiment(churn.id))?.tags).toEqual({ stage: 'dev' });
    const [first, second] = await Promise.all([
      store.defaultExperiment(project.id, alice.id),
      store.defaultExperiment(project.id, alice.id),
    ]);
    expect(first.id).toBe(second.id);
    await store.updateExperiment(churn.id, { lifecycleStage: 'deleted' }, by(alice.id, 'experiment.delete'));
    const names = async (stage: 'active' | 'deleted' | 'all', nameLike?: string) =>
      (await store.listExperiments([project.id], { stage, limit: 10, offset: 0, ...(nameLike && { nameLike }) })).map(
        (e) => e.name,
      );
    expect(await names('active')).toEqual(['Default']);
    expect(await names('deleted')).toEqual(['churn']);
    expect(await names('all', 'CH%')).toEqual(['churn']);
    await store.updateExperiment(churn.id, { lifecycleStage: 'active', name: 'churn-v2' }, by(alice.id, 'x'));
    expect((await store.getExperimentByName(project.id, 'churn-v2'))?.lifecycleStage).toBe('active');
  });

  it('logs params once, tags by replacement and metrics with full history and the latest point per key', async () => {
    const project = await store.createProject(
      { name: 'tracked', description: '', owner: alice.id },
      by(alice.id, 'project.create'),
    );
    const experiment = await store.defaultExperiment(project.id, alice.id);
    const run = await store.createRun(
      {
        id: newId('run'),
        projectId: project.id,
        experimentId: experiment.id,
        parentRunId: null,
        name: 'nb',
        kind: 'tracked',
        status: 'running',
        startedAt: '2026-01-01T00:00:00.000Z',
        task: null,
        algorithm: null,
        target: null,
        datasetId: null,
        datasetVersion: null,
        params: {},
        tags: { 'mlflow.source.type': 'NOTEBOOK' },
        createdBy: alice.id,
      },
      by(alice.id, 'run.create'),
    );
    expect([run.status, run.kind, run.tags]).toEqual(['running', 'tracked', { 'mlflow.source.type': 'NOTEBOOK' }]);
    await store.logRunData(run.id, {
      params: [{ key: 'lr', value: '0.1' }],
      tags: [{ key: 'team', value: 'a' }],
      metrics: [
        { key: 'loss', value: 1, step: 0, timestamp: 10 },
        { key: 'loss', value: 0.5, step: 2, timestamp: 5 },
        { key: 'loss', value: 0.7, step: 1, timestamp: 30 },
        { key: 'odd', value: NaN, step: 0, timestamp: 1 },
        { key: 'big', value: Infinity, step: 0, timestamp: 1 },
      ],
    });
    // Same value again is fine; another value is refused and the whole call leaves nothing behind.
    await store.logRunData(run.id, { params: [{ key: 'lr', value: '0.1' }] });
    const conflict = store.logRunData(run.id, {
      params: [{ key: 'lr', value: '0.2' }],
      metrics: [{ key: 'loss', value: 9, step: 99, timestamp: 99 }],
    });
    await expect(conflict).rejects.toBeInstanceOf(ParamConflictError);
    await store.logRunData(run.id, {
      tags: [{ key: 'team', value: 'b' }],
      metrics: [{ key: 'loss', value: 0.4, step: 2, timestamp: 5 }],
    });
    const loaded = (await store.getRun(run.id))!;
    expect(loaded.params).toEqual({ lr: '0.1' });
    expect(loaded.tags).toEqual({ 'mlflow.source.type': 'NOTEBOOK', team: 'b' });
    // Latest = greatest step, then timestamp, then value: step 2 at t=5, where 0.5 beats 0.4.
    expect(loaded.metrics).toEqual({ loss: 0.5, odd: 'NaN', big: 'Infinity' });
    const all = await store.metricHistory(run.id, 'loss', { limit: 10 });
    expect(all.points.map((p) => [p.step, p.value])).toEqual([
      [0, 1],
      [2, 0.5],
      [1, 0.7],
      [2, 0.4],
    ]);
    const page = await store.metricHistory(run.id, 'loss', { limit: 2 });
    const rest = await store.metricHistory(run.id, 'loss', { limit: 10, afterId: page.lastId! });
    expect([...page.points, ...rest.points]).toEqual(all.points);
    expect(Number.isNaN((await store.metricHistory(run.id, 'odd', { limit: 1 })).points[0]?.value)).toBe(true);
    expect(await store.deleteRunTag(run.id, 'team')).toBe(true);
    expect(await store.deleteRunTag(run.id, 'team')).toBe(false);
  });

  it('finds runs by metric, param, tag and attribute filters, ordered with missing values last', async () => {
    const project = await store.createProject(
      { name: 'searching', description: '', owner: alice.id },
      by(alice.id, 'project.create'),
    );
    const experiment = await store.createExperiment(
      { projectId: project.id, name: 'grid', description: '', createdBy: alice.id },
      by(alice.id, 'experiment.create'),
    );
    const other = await store.defaultExperiment(project.id, alice.id);
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const run = await store.createRun(
        {
          id: newId('run'),
          projectId: project.id,
          experimentId: i === 5 ? other.id : experiment.id,
          parentRunId: null,
          name: i % 2 === 0 ? `xgb-${i}` : `Glm-${i}`,
          kind: 'tracked',
          status: i === 1 ? 'failed' : 'running',
          startedAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
          task: null,
          algorithm: null,
          target: null,
          datasetId: null,
          datasetVersion: null,
          params: {},
          createdBy: alice.id,
        },
        by(alice.id, 'run.create'),
      );
      ids.push(run.id);
      await store.logRunData(run.id, {
        params: [{ key: 'depth', value: String(i % 3) }],
        tags: [{ key: 'team', value: i < 3 ? 'Risk' : 'growth' }],
        metrics: i === 4 ? [] : [{ key: 'auc', value: 0.5 + i / 10, step: 0, timestamp: 1 }],
      });
    }
    const find = async (filter: FilterClause[], orderBy: OrderKey[] = [], limit = 10, offset = 0) =>
      (
        await store.findRuns({ experimentIds: [experiment.id], filter, orderBy, stage: 'active', limit, offset })
      ).runs.map((r) => ids.indexOf(r.id));
    const clause = (
      entity: FilterClause['entity'],
      key: string,
      comparator: FilterClause['comparator'],
      value: FilterClause['value'],
    ) => ({ entity, key, comparator, value, position: 0 }) as FilterClause;
    expect(await find([])).toEqual([4, 3, 2, 1, 0]);
    expect(await find([clause('metric', 'auc', '>', 0.65)])).toEqual([3, 2]);
    expect(await find([clause('metric', 'auc', '>=', 0.6), clause('param', 'depth', '=', '1')])).toEqual([1]);
    expect(await find([clause('tag', 'team', 'LIKE', 'R%')])).toEqual([2, 1, 0]);
    expect(await find([clause('tag', 'team', 'LIKE', 'r%')])).toEqual([]);
    expect(await find([clause('tag', 'team', 'ILIKE', 'r%')])).toEqual([2, 1, 0]);
    expect(await find([clause('attribute', 'status', '=', 'FAILED')])).toEqual([1]);
    expect(await find([clause('attribute', 'status', '!=', 'running')])).toEqual([1]);
    expect(await find([clause('attribute', 'run_name', 'LIKE', 'xgb-_')])).toEqual([4, 2, 0]);
    expect(await find([clause('attribute', 'run_id', 'IN', [ids[0]!, ids[3]!])])).toEqual([3, 0]);
    expect(await find([clause('attribute', 'start_time', '<', Date.UTC(2026, 0, 3))])).toEqual([1, 0]);
    expect(await find([clause('attribute', 'user_id', '=', 'alice')])).toHaveLength(5);
    const byAuc = { entity: 'metric', key: 'auc', ascending: false } as OrderKey;
    expect(await find([], [byAuc])).toEqual([3, 2, 1, 0, 4]);
    expect(await find([], [{ ...byAuc, ascending: true }])).toEqual([0, 1, 2, 3, 4]);
    expect(await find([], [byAuc], 2, 2)).toEqual([1, 0]);
    const page = await store.findRuns({
      experimentIds: [experiment.id],
      filter: [],
      orderBy: [],
      stage: 'active',
      limit: 5,
      offset: 0,
    });
    expect(page.more).toBe(false);
    await store.updateRun(ids[0]!, { lifecycleStage: 'deleted' });
    expect(await find([])).toEqual([4, 3, 2, 1]);
    const deleted = await store.findRuns({
      experimentIds: [experiment.id],
      filter: [],
      orderBy: [],
      stage: 'deleted',
      limit: 5,
      offset: 0,
    });
    expect(deleted.runs.map((r) => r.id)).toEqual([ids[0]]);
  });

  it('records the parents of a derived dataset version, both ways, once', async () => {
    const child = { datasetId: 'ds_child', version: 'c'.repeat(64) };
    const parents = [
      { datasetId: 'ds_a', version: 'a'.repeat(64) },
      { datasetId: 'ds_b', version: 'b'.repeat(64) },
    ];
    await store.addDatasetVersionParents(child, parents);
    await store.addDatasetVersionParents(child, parents.slice(0, 1));
    expect(await store.listDatasetVersionParents(child)).toEqual(parents);
    expect(await store.listDatasetVersionChildren(parents[1]!)).toEqual([child]);
    expect(await store.listDatasetVersionChildren({ datasetId: 'ds_a', version: 'b'.repeat(64) })).toEqual([]);
  });

  it('keeps connections per project with unique names, the sealed secret verbatim, and audits their changes', async () => {
    const project = await store.createProject(
      { name: 'warehouse', description: '', owner: alice.id },
      by(alice.id, 'project.create'),
    );
    const other = await store.createProject(
      { name: 'elsewhere', description: '', owner: alice.id },
      by(alice.id, 'project.create'),
    );
    const base = {
      projectId: project.id,
      kind: 'postgres' as const,
      host: 'db.internal',
      port: 5432,
      database: 'sales',
      user: 'reader',
      options: { ssl: true },
      sealedSecret: 'v1:aXY=:Ym9keQ==:dGFn',
      createdBy: alice.id,
    };
    const first = await store.createConnection(
      { ...base, id: 'conn_a', name: 'sales' },
      by(alice.id, 'connection.create'),
    );
    await store.createConnection({ ...base, id: 'conn_b', name: 'crm', port: 5433 }, by(alice.id, 'connection.create'));
    // The same name in another project is another connection; twice in one project is refused by the database.
    await store.createConnection(
      { ...base, id: 'conn_c', name: 'sales', projectId: other.id },
      by(alice.id, 'connection.create'),
    );
    await expect(
      store.createConnection({ ...base, id: 'conn_d', name: 'sales' }, by(alice.id, 'connection.create')),
    ).rejects.toThrow();
    expect(await store.getConnection('conn_a')).toEqual(first);
    expect((await store.getConnectionByName(project.id, 'crm'))?.port).toBe(5433);
    expect((await store.getConnectionByName(other.id, 'sales'))?.id).toBe('conn_c');
    const page = await store.listConnections(project.id, { limit: 1 });
    expect(page.items.map((c) => c.id)).toEqual(['conn_a']);
    const rest = await store.listConnections(project.id, { limit: 5, after: page.next! });
    expect(rest.items.map((c) => c.id)).toEqual(['conn_b']);
    expect(rest.next).toBeNull();
    expect(await store.deleteConnection('conn_a', by(alice.id, 'connection.delete'))).toBe(true);
    expect(await store.deleteConnection('conn_a', by(alice.id, 'connection.delete'))).toBe(false);
    expect(await store.getConnection('conn_a')).toBeUndefined();
    const events = await store.listAudit({ projectId: project.id }, { limit: 20 });
    const actions = events.filter((e) => e.objectType === 'connection').map((e) => `${e.action} ${e.objectId}`);
    expect(actions).toEqual(
      expect.arrayContaining(['connection.create conn_a', 'connection.create conn_b', 'connection.delete conn_a']),
    );
    expect(JSON.stringify(events)).not.toContain(base.sealedSecret);
  });

  it('appends an audit event for every write, and the database refuses to change them', async () => {
    const before = await store.listAudit({}, { limit: 1000 });
    const project = await store.createProject(
      { name: 'audited', description: '', owner: bob.id },
      by(bob.id, 'project.create'),
    );
    const events = await store.listAudit({ projectId: project.id }, { limit: 10 });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actor: bob.id,
      action: 'project.create',
      objectType: 'project',
      objectId: project.id,
    });
    const all = await store.listAudit({}, { limit: 1000 });
    expect(all.length).toBe(before.length + 1);
    expect(all[0]!.id).toBeGreaterThan(all[1]!.id);
    const older = await store.listAudit({}, { limit: 2, beforeId: all[0]!.id });
    expect(older[0]!.id).toBe(all[1]!.id);

    if (adapter === 'sqlite') {
      const db = new Database(handle.sqlitePath!);
      expect(() => db.prepare('UPDATE audit_events SET actor = ?').run('mallory')).toThrow(/append-only/);
      expect(() => db.prepare('DELETE FROM audit_events').run()).toThrow(/append-only/);
      db.close();
    } else {
      const client = new pg.Client({ connectionString: handle.url });
      await client.connect();
      await expect(client.query("UPDATE audit_events SET actor = 'mallory'")).rejects.toThrow(/append-only/);
      await expect(client.query('DELETE FROM audit_events')).rejects.toThrow(/append-only/);
      await client.end();
    }
    expect((await store.listAudit({}, { limit: 1000 })).every((e) => e.actor !== 'mallory')).toBe(true);
  });

  it('searches names and descriptions within the given projects only, ranked, with LIKE wildcards taken literally', async () => {
    const mine = await store.createProject({ name: 'srch-a', description: '', owner: alice.id }, by(alice.id, 'p'));
    const theirs = await store.createProject({ name: 'srch-b', description: '', owner: alice.id }, by(alice.id, 'p'));
    const dataset = (projectId: string, name: string, description = '') =>
      store.createDataset({ projectId, name, description, createdBy: alice.id }, by(alice.id, 'd'));
    await dataset(mine.id, 'my_loans');
    await dataset(mine.id, 'Loans');
    await dataset(mine.id, 'loans_2024');
    await dataset(mine.id, 'misc', 'monthly LOANS extract');
    await dataset(mine.id, 'xloans');
    await dataset(mine.id, 'unrelated');
    await dataset(theirs.id, 'loans');
    const names = async (projectIds: string[], text: string, limit = 10) =>
      (await store.searchDatasets(projectIds, text, limit)).map((r) => r.name);

    expect(await names([mine.id], 'loans')).toEqual(['Loans', 'loans_2024', 'my_loans', 'xloans', 'misc']);
    expect((await store.searchDatasets([mine.id], 'loans', 10)).map((r) => r.rank)).toEqual([0, 1, 2, 2, 3]);
    expect(await names([mine.id], 'loans', 2)).toEqual(['Loans', 'loans_2024']);
    expect(await names([theirs.id], 'LOANS')).toEqual(['loans']);
    expect(await names([], 'loans')).toEqual([]);
    // `_` and `%` are literal: as wildcards, 'y_' would also match the description 'monthly LOANS', '%' everything.
    expect(await names([mine.id], 'y_')).toEqual(['my_loans']);
    expect(await names([mine.id], '%')).toEqual([]);
    expect(await names([mine.id], 's_2')).toEqual(['loans_2024']);
    expect(await names([mine.id], '\\')).toEqual([]);

    const ds = await dataset(mine.id, 'profiled');
    const v = { datasetId: ds.id, snapshotKey: 'k', rows: 1, bytes: 1, source: 's', createdBy: alice.id };
    const cols = (...n: string[]) => ({ rows: 1, columns: n.map((name) => ({ ...profile.columns[0]!, name })) });
    await store.addDatasetVersion({ ...v, version: 'c1', profile: cols('Old_Income') }, by(alice.id, 'v'));
    await store.addDatasetVersion({ ...v, version: 'c2', profile: cols('Income', 'age') }, by(alice.id, 'v'));
    const columns = await store.searchDatasetColumns([mine.id], 'income', 10);
    expect(columns.map((c) => [c.name, c.columns])).toEqual([['profiled', ['Income', 'age']]]);
    expect(await store.searchDatasetColumns([mine.id], 'old_income', 10)).toEqual([]);
    expect(await store.searchDatasetColumns([theirs.id], 'income', 10)).toEqual([]);

    const run = await store.createRun(
      {
        id: newId('run'),
        projectId: mine.id,
        experimentId: (await store.defaultExperiment(mine.id, alice.id)).id,
        parentRunId: null,
        kind: 'training',
        name: 'loans-glm',
        task: 'classification',
        algorithm: 'glm',
        target: 'y',
        datasetId: ds.id,
        datasetVersion: 'c2',
        params: {},
        createdBy: alice.id,
      },
      by(alice.id, 'r'),
    );
    await store.createModel(
      { projectId: mine.id, name: 'scorer', description: 'Scores loans', createdBy: alice.id },
      by(alice.id, 'm'),
    );
    await store.createEndpoint(
      { projectId: theirs.id, name: 'loans-api', modelRef: 'scorer@1', createdBy: alice.id, maxConcurrency: 4 },
      by(alice.id, 'e'),
    );
    expect((await store.searchRuns([mine.id], 'LOANS', 10)).map((r) => r.id)).toEqual([run.id]);
    expect((await store.searchModels([mine.id], 'loans', 10)).map((r) => [r.name, r.description])).toEqual([
      ['scorer', 'Scores loans'],
    ]);
    expect(await store.searchEndpoints([mine.id], 'loans', 10)).toEqual([]);
    expect((await store.searchEndpoints([mine.id, theirs.id], 'loans', 10)).map((r) => r.name)).toEqual(['loans-api']);
  });
});
