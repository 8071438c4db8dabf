import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsArtifactStore } from '../artifacts/fs-artifact-store.js';
import type { DatasetVersionRecord, MetadataStore } from '../store/metadata-store.js';
import { openThrowAwayStore, type ThrowAwayStore } from '../store/test-databases.js';
import { retentionReasons, sweepSnapshotTrash } from './dataset-gc.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-06-01T00:00:00.000Z');

function version(seq: number, ageDays: number, pinned = false): DatasetVersionRecord {
  return {
    datasetId: 'ds',
    version: `v${seq}`,
    seq,
    snapshotKey: `snapshots/v${seq}.parquet`,
    rows: 1,
    bytes: 1,
    source: 's',
    profile: { rows: 1, columns: [] },
    createdAt: new Date(NOW - ageDays * DAY).toISOString(),
    createdBy: 'u',
    pinned,
    tags: {},
  };
}

describe('retentionReasons', () => {
  // Oldest first on purpose: the ranking must come from seq, not from the order given.
  const versions = [version(1, 40, true), version(2, 20), version(3, 9.99), version(4, 1)];

  it('keeps the newest N, the latest and pinned versions', () => {
    const reasons = retentionReasons(versions, { keepLast: 2, maxAgeDays: null }, NOW);
    expect(reasons).toEqual([['pinned'], [], ['keep_last'], ['latest', 'keep_last']]);
  });

  it('keeps versions younger than the age limit, and a limit left out keeps nothing by itself', () => {
    expect(retentionReasons(versions, { keepLast: null, maxAgeDays: 10 }, NOW)).toEqual([
      ['pinned'],
      [],
      ['max_age'],
      ['latest', 'max_age'],
    ]);
    expect(retentionReasons(versions, { keepLast: 1, maxAgeDays: 30 }, NOW)).toEqual([
      ['pinned'],
      ['max_age'],
      ['max_age'],
      ['latest', 'keep_last', 'max_age'],
    ]);
  });
});

describe('sweepSnapshotTrash', () => {
  let handle: ThrowAwayStore;
  let store: MetadataStore;
  let dir: string;
  let artifacts: FsArtifactStore;
  let datasetId: string;

  beforeAll(async () => {
    handle = await openThrowAwayStore('sqlite');
    store = handle.store;
    dir = await mkdtemp(join(tmpdir(), 'modelyard-gc-'));
    artifacts = new FsArtifactStore(join(dir, 'artifacts'));
    const user = await store.createUser({ name: 'gc', isAdmin: true }, { actor: 'system', action: 'user.create' });
    const project = await store.createProject(
      { name: 'gc', description: '', owner: user.id },
      { actor: user.id, action: 'project.create' },
    );
    datasetId = (
      await store.createDataset(
        { projectId: project.id, name: 'd', description: '', createdBy: user.id },
        { actor: user.id, action: 'dataset.create' },
      )
    ).id;
  });

  afterAll(async () => {
    await handle?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  async function trashed(key: string): Promise<void> {
    const file = join(dir, 'x.parquet');
    await writeFile(file, key);
    await artifacts.putFile(key, file);
    const v = { datasetId, version: key.replace(/\W/g, ''), snapshotKey: key, rows: 1, bytes: 1, source: 's' };
    await store.addDatasetVersion(
      { ...v, profile: { rows: 1, columns: [] }, createdBy: 'u' },
      { actor: 'u', action: 'x' },
    );
    await store.deleteDatasetVersion({ datasetId, version: v.version }, { actor: 'u', action: 'x' });
  }

  it('leaves snapshots alone for the grace period, then deletes them', async () => {
    await trashed('snapshots/young.parquet');
    const services = { store, artifacts, config: { snapshotGraceSeconds: 3600 } };
    expect(await sweepSnapshotTrash(services)).toEqual({ deleted: 0 });
    expect(await artifacts.exists('snapshots/young.parquet')).toBe(true);
    expect(await sweepSnapshotTrash(services, Date.now() + 3601_000)).toEqual({ deleted: 1 });
    expect(await artifacts.exists('snapshots/young.parquet')).toBe(false);
    expect(await artifacts.exists('trash/snapshots/young.parquet')).toBe(false);
    expect(await store.trashedSnapshots(new Date(Date.now() + 7200_000).toISOString(), 10)).toEqual([]);
  });

  it('gives a snapshot back when a version came to refer to it again', async () => {
    await trashed('snapshots/revived.parquet');
    await store.addDatasetVersion(
      {
        datasetId,
        version: 'revived2',
        snapshotKey: 'snapshots/revived.parquet',
        rows: 1,
        bytes: 1,
        source: 's',
        profile: { rows: 1, columns: [] },
        createdBy: 'u',
      },
      { actor: 'u', action: 'x' },
    );
    const services = { store, artifacts, config: { snapshotGraceSeconds: 0 } };
    expect(await sweepSnapshotTrash(services, Date.now() + 1000)).toEqual({ deleted: 0 });
    expect(await artifacts.exists('snapshots/revived.parquet')).toBe(true);
    expect(await store.trashedSnapshots(new Date(Date.now() + 7200_000).toISOString(), 10)).toEqual([]);
  });
});
