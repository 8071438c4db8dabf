// Dataset governance end to end: tags (searchable), pins, a retention policy applied on demand and after each new
// version, refused deletions of versions still in use, and snapshots deleted once nothing refers to them.

import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardClient, type Dataset, type DatasetVersion } from '@modelyard/client';
import { apiFailure, userClient } from '../helpers/api-calls.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const WAIT = { intervalMs: 100, timeoutMs: 60_000 };

let server: TestServer;
let admin: ModelyardClient;
let editor: ModelyardClient;
let outsider: ModelyardClient;

/** A small classification table whose content differs with `variant`. */
function csv(variant: number, rows = 60): string {
  const lines = ['x,y,label'];
  for (let i = 0; i < rows; i++) lines.push(`${i + variant * 1000},${(i * 37) % 11},${i % 3 === 0 ? 'yes' : 'no'}`);
  return `${lines.join('\n')}\n`;
}

const snapshotPath = (version: string) => join(server.dataDir, 'artifacts', 'snapshots', `${version}.parquet`);

async function versionsOf(datasetId: string): Promise<DatasetVersion[]> {
  return (await admin.listDatasetVersions(datasetId, { limit: 100 })).items;
}

/** Registers `name` from a file under the imports root, then writes each further variant and refreshes. */
async function datasetWithVersions(project: string, name: string, variants: number[]): Promise<Dataset> {
  const file = join(server.dataDir, 'imports', `${name}.csv`);
  await writeFile(file, csv(variants[0]!));
  let dataset = await admin.createDatasetFromPath(project, { name, path: file });
  for (const variant of variants.slice(1)) {
    await writeFile(file, csv(variant));
    dataset = await admin.refreshDataset(dataset.id);
  }
  return dataset;
}

beforeAll(async () => {
  server = await startTestServer({ demo: false, snapshotGraceSeconds: 0 });
  admin = new ModelyardClient({ baseUrl: server.url, token: server.token });
  await admin.createProject({ name: 'gov' });
  await admin.createProject({ name: 'elsewhere' });
  editor = await userClient(admin, server.url, 'gov-editor', { project: 'gov', role: 'editor' });
  outsider = await userClient(admin, server.url, 'gov-outsider', { project: 'elsewhere', role: 'admin' });
});

afterAll(async () => {
  await server?.close();
});

describe('dataset governance', () => {
  it('tags datasets and versions, and finds datasets by tag only in viewable projects', async () => {
    const dataset = await datasetWithVersions('gov', 'tagged', [1]);
    const tagged = await editor.setDatasetTag(dataset.id, 'owner', 'Credit Risk Team');
    expect(tagged.tags).toEqual({ owner: 'Credit Risk Team' });
    await editor.setDatasetTag(dataset.id, 'source system', 'core/loans');
    expect((await admin.getDataset(dataset.id)).tags).toEqual({
      owner: 'Credit Risk Team',
      'source system': 'core/loans',
    });

    const version = dataset.latestVersion!.version;
    const withTag = await editor.setDatasetVersionTag(dataset.id, version.slice(0, 8), 'quality', 'gold');
    expect(withTag.tags).toEqual({ quality: 'gold' });
    expect((await admin.getDatasetVersion(dataset.id, version)).tags).toEqual({ quality: 'gold' });
    await editor.deleteDatasetVersionTag(dataset.id, version, 'quality');
    expect((await admin.getDatasetVersion(dataset.id, version)).tags).toEqual({});
    expect((await apiFailure(editor.deleteDatasetVersionTag(dataset.id, version, 'quality'))).status).toBe(404);
    expect((await apiFailure(editor.setDatasetTag(dataset.id, 'bad\nkey', 'v'))).status).toBe(400);

    const hits = (await editor.search({ q: 'risk team' })).items;
    expect(hits).toEqual([
      expect.objectContaining({ kind: 'dataset', id: dataset.id, match: 'tag', snippet: 'owner=Credit Risk Team' }),
    ]);
    expect((await editor.search({ q: 'core/loans' })).items.map((h) => h.id)).toEqual([dataset.id]);
    expect((await outsider.search({ q: 'risk team' })).items).toEqual([]);
    expect((await apiFailure(outsider.setDatasetTag(dataset.id, 'owner', 'me'))).status).toBe(404);

    await editor.deleteDatasetTag(dataset.id, 'owner');
    expect((await editor.search({ q: 'risk team' })).items).toEqual([]);
  });

  it('collects versions by policy, keeping the latest, pinned and used ones, and deletes their snapshots', async () => {
    const dataset = await datasetWithVersions('gov', 'collected', [31, 32, 33, 34, 35]);
    const [v5, v4, v3, v2, v1] = (await versionsOf(dataset.id)).map((v) => v.version);
    await editor.pinDatasetVersion(dataset.id, v1!);
    const run = await editor.createRun('gov', {
      dataset: 'collected',
      version: v2!,
      target: 'label',
      task: 'classification',
      algorithm: 'glm',
    });
    await admin.waitForRun(run.id, WAIT);

    // Only admins govern retention.
    expect((await apiFailure(editor.collectDatasetGarbage(dataset.id))).status).toBe(403);
    expect((await apiFailure(admin.collectDatasetGarbage(dataset.id))).code).toBe('no_retention_policy');
    const policy = { keepLast: 1, maxAgeDays: null };
    const dry = await admin.collectDatasetGarbage(dataset.id, { dryRun: true, policy });
    expect(dry.deleted.map((v) => v.version).sort()).toEqual([v3, v4].sort());
    const reasons = Object.fromEntries(dry.kept.map((v) => [v.version, v.reasons]));
    expect(reasons).toEqual({ [v5!]: ['latest', 'keep_last'], [v2!]: ['used_by_run'], [v1!]: ['pinned'] });
    expect((await versionsOf(dataset.id)).length).toBe(5);
    expect(existsSync(snapshotPath(v3!))).toBe(true);

    const report = await admin.collectDatasetGarbage(dataset.id, { policy });
    expect(report.dryRun).toBe(false);
    expect(report.deletedBytes).toBe(dry.deletedBytes);
    expect((await versionsOf(dataset.id)).map((v) => v.version)).toEqual([v5, v2, v1]);
    expect(existsSync(snapshotPath(v3!))).toBe(false);
    expect(existsSync(snapshotPath(v5!))).toBe(true);
    expect((await apiFailure(admin.getDatasetVersion(dataset.id, v3!))).status).toBe(404);

    // Deleting by hand is refused while anything keeps the version, with the reasons.
    const pinned = await apiFailure(admin.deleteDatasetVersion(dataset.id, v1!));
    expect([pinned.status, pinned.code, pinned.details?.reasons]).toEqual([409, 'version_in_use', ['pinned']]);
    const used = await apiFailure(admin.deleteDatasetVersion(dataset.id, v2!));
    expect(used.details?.reasons).toEqual(['used_by_run']);
    expect((await apiFailure(admin.deleteDatasetVersion(dataset.id, v5!))).details?.reasons).toEqual(['latest']);
    expect((await apiFailure(editor.deleteDatasetVersion(dataset.id, v1!))).status).toBe(403);
    expect((await admin.pinDatasetVersion(dataset.id, v1!, false)).pinned).toBe(false);
    await admin.deleteDatasetVersion(dataset.id, v1!);
    expect((await versionsOf(dataset.id)).map((v) => v.version)).toEqual([v5, v2]);
    expect(existsSync(snapshotPath(v1!))).toBe(false);

    // The same content registered again is a version again, with its snapshot back.
    const again = await admin.createDatasetFromPath('gov', { name: 'collected-again', path: await writeVariant(31) });
    expect(again.latestVersion?.version).toBe(v1);
    expect(existsSync(snapshotPath(v1!))).toBe(true);
  });

  it('applies the dataset retention policy after each new version, and only admins set it', async () => {
    const dataset = await datasetWithVersions('gov', 'rolling', [11, 12]);
    expect(
      (await apiFailure(editor.updateDataset(dataset.id, { retention: { keepLast: 2, maxAgeDays: null } }))).status,
    ).toBe(403);
    const invalid = await apiFailure(
      admin.updateDataset(dataset.id, { retention: { keepLast: null, maxAgeDays: null } }),
    );
    expect(invalid.code).toBe('invalid_retention');
    expect(
      (await apiFailure(admin.updateDataset(dataset.id, { retention: { keepLast: 0, maxAgeDays: null } }))).status,
    ).toBe(400);
    const updated = await admin.updateDataset(dataset.id, { retention: { keepLast: 2, maxAgeDays: null } });
    expect(updated.retention).toEqual({ keepLast: 2, maxAgeDays: null });
    // Editors may still change the description.
    expect((await editor.updateDataset(dataset.id, { description: 'rolling window' })).description).toBe(
      'rolling window',
    );

    const file = join(server.dataDir, 'imports', 'rolling.csv');
    for (const variant of [13, 14]) {
      await writeFile(file, csv(variant));
      await editor.refreshDataset(dataset.id);
    }
    const versions = await versionsOf(dataset.id);
    expect(versions.length).toBe(2);
    expect(versions[0]!.version).toBe((await admin.getDataset(dataset.id)).latestVersion?.version);

    // A generous age limit keeps everything young, whatever keepLast says.
    await admin.updateDataset(dataset.id, { retention: { keepLast: 1, maxAgeDays: 30 } });
    await writeFile(file, csv(15));
    await editor.refreshDataset(dataset.id);
    expect((await versionsOf(dataset.id)).length).toBe(3);
    await admin.updateDataset(dataset.id, { retention: null });
    expect((await admin.getDataset(dataset.id)).retention).toBeNull();
  });

  it('keeps a snapshot another dataset still refers to', async () => {
    const first = await datasetWithVersions('gov', 'twin-a', [21, 22]);
    const second = await admin.createDatasetFromPath('gov', { name: 'twin-b', path: await writeVariant(21) });
    const shared = second.latestVersion!.version;
    expect((await versionsOf(first.id)).map((v) => v.version)).toContain(shared);
    await admin.deleteDatasetVersion(first.id, shared);
    expect(existsSync(snapshotPath(shared))).toBe(true);
    expect((await admin.getDatasetSnapshot(second.id, shared)).byteLength).toBeGreaterThan(0);
  });

  it('reads a file source again with the options it was registered with', async () => {
    const file = join(server.dataDir, 'imports', 'ragged.csv');
    await writeFile(file, 'a,b\n1,2\n3,4,5\n6,7\n');
    const dataset = await admin.createDatasetFromPath('gov', { name: 'ragged', path: file, skipBadRows: true });
    expect(dataset.latestVersion?.profile.summary?.skippedRows).toBe(1);
    await writeFile(file, 'a,b\n1,2\n3,4,5\n6,7\n8,9\n10\n');
    const refreshed = await admin.refreshDataset(dataset.id);
    expect(refreshed.latestVersion?.rows).toBe(3);
    expect(refreshed.latestVersion?.profile.summary?.skippedRows).toBe(2);
  });
});

async function writeVariant(variant: number): Promise<string> {
  const file = join(server.dataDir, 'imports', `variant-${variant}.csv`);
  await writeFile(file, csv(variant));
  return file;
}
