// Garbage collection of dataset versions by retention policy, and the deferred deletion of their snapshots.
//
// A deleted version's snapshot is not deleted at once: snapshots are shared by content hash, and a registration of
// the same content may be between storing the file and inserting its row. The snapshot goes to a trash list, and the
// sweep deletes it only after it has stayed unreferenced for the grace period; the sweep moves it aside before its
// last reference check, and a registration checks the file after inserting its row (see save-dataset-version.ts), so
// one of the two always sees the other.

import type { GcReport, GcVersion, KeepReason } from '@modelyard/client';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { DatasetRecord, DatasetVersionRecord, MetadataStore, RetentionPolicy } from '../store/metadata-store.js';

export type { GcReport, GcVersion, KeepReason } from '@modelyard/client';

const DAY_MS = 86_400_000;
const PAGE = 500;

/**
 * What the policy alone says about each version (newest first): the reasons it is kept. Versions the policy lets go
 * still have to be checked for use by runs and derived datasets.
 */
export function retentionReasons(
  versions: DatasetVersionRecord[],
  policy: RetentionPolicy,
  nowMs: number,
): KeepReason[][] {
  const newestFirst = [...versions].sort((a, b) => b.seq - a.seq);
  const rank = new Map(newestFirst.map((v, i) => [v.version, i]));
  return versions.map((v) => {
    const reasons: KeepReason[] = [];
    const i = rank.get(v.version)!;
    if (i === 0) reasons.push('latest');
    if (v.pinned) reasons.push('pinned');
    if (policy.keepLast !== null && i < policy.keepLast) reasons.push('keep_last');
    if (policy.maxAgeDays !== null && nowMs - Date.parse(v.createdAt) < policy.maxAgeDays * DAY_MS) {
      reasons.push('max_age');
    }
    return reasons;
  });
}

async function allVersions(store: MetadataStore, datasetId: string): Promise<DatasetVersionRecord[]> {
  const out: DatasetVersionRecord[] = [];
  for (let beforeSeq: number | undefined; ;) {
    const page = await store.listDatasetVersions(datasetId, { limit: PAGE, beforeSeq });
    out.push(...page);
    const last = page[page.length - 1];
    if (page.length < PAGE || !last) return out;
    beforeSeq = last.seq;
  }
}

/** Applies `policy` to the dataset's versions: reports, and unless `dryRun` deletes, every version nothing keeps. */
export async function collectDatasetGarbage(
  services: { store: MetadataStore; artifacts: ArtifactStore; config: { snapshotGraceSeconds: number } },
  dataset: DatasetRecord,
  policy: RetentionPolicy,
  opts: { dryRun: boolean; actor: string; nowMs?: number },
): Promise<GcReport> {
  const { store } = services;
  const versions = await allVersions(store, dataset.id);
  const reasons = retentionReasons(versions, policy, opts.nowMs ?? Date.now());
  const report: GcReport = { dryRun: opts.dryRun, policy, deleted: [], kept: [], deletedBytes: 0 };
  for (const [i, v] of versions.entries()) {
    const keep = reasons[i]!;
    if (keep.length === 0) {
      const usage = await store.datasetVersionUsage({ datasetId: dataset.id, version: v.version });
      if (usage.runs > 0) keep.push('used_by_run');
      if (usage.derived > 0) keep.push('parent_of_derived');
    }
    const entry: GcVersion = { version: v.version, seq: v.seq, bytes: v.bytes, createdAt: v.createdAt, reasons: keep };
    if (keep.length > 0) {
      report.kept.push(entry);
      continue;
    }
    report.deleted.push(entry);
    report.deletedBytes += v.bytes;
    if (!opts.dryRun) {
      await store.deleteDatasetVersion(
        { datasetId: dataset.id, version: v.version },
        { actor: opts.actor, action: 'dataset.version.delete', projectId: dataset.projectId, details: { gc: true } },
      );
    }
  }
  if (!opts.dryRun && report.deleted.length > 0) await sweepSnapshotTrash(services);
  return report;
}

/**
 * Deletes trashed snapshots that have stayed unreferenced for the grace period. Each is moved aside first and checked
 * once more: a version that came to refer to it in the meantime gets it back.
 */
export async function sweepSnapshotTrash(
  services: { store: MetadataStore; artifacts: ArtifactStore; config: { snapshotGraceSeconds: number } },
  nowMs = Date.now(),
): Promise<{ deleted: number }> {
  const { store, artifacts } = services;
  const before = new Date(nowMs - services.config.snapshotGraceSeconds * 1000).toISOString();
  let deleted = 0;
  for (;;) {
    const keys = await store.trashedSnapshots(before, 100);
    for (const key of keys) {
      const aside = `trash/${key}`;
      const moved = await artifacts.move(key, aside);
      if (moved && (await store.snapshotReferenced(key))) {
        await artifacts.move(aside, key);
      } else if (moved) {
        await artifacts.remove(aside);
        deleted++;
      }
      await store.untrashSnapshot(key);
    }
    if (keys.length < 100) return { deleted };
  }
}
