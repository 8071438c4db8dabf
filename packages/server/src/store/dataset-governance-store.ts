// Metadata store, dataset governance: tags, pins, retention policies, version deletion and the snapshot trash.

import type { Kysely } from 'kysely';
import type { AuditBy, DatasetVersionRef, RetentionPolicy } from './metadata-store.js';
import type { Database } from './schema.js';
import { auditWrite, now } from './store-support.js';

export function datasetGovernanceStore(db: Kysely<Database>) {
  return {
    async setDatasetTag(
      ref: { datasetId: string; version?: string },
      key: string,
      value: string | null,
      by: AuditBy,
    ): Promise<void> {
      await db.transaction().execute(async (trx) => {
        if (ref.version === undefined) {
          await trx.deleteFrom('dataset_tags').where('dataset_id', '=', ref.datasetId).where('key', '=', key).execute();
          if (value !== null) {
            await trx.insertInto('dataset_tags').values({ dataset_id: ref.datasetId, key, value }).execute();
          }
        } else {
          await trx
            .deleteFrom('dataset_version_tags')
            .where('dataset_id', '=', ref.datasetId)
            .where('version', '=', ref.version)
            .where('key', '=', key)
            .execute();
          if (value !== null) {
            await trx
              .insertInto('dataset_version_tags')
              .values({ dataset_id: ref.datasetId, version: ref.version, key, value })
              .execute();
          }
        }
        const details = { ...by.details, key, ...(ref.version === undefined ? {} : { version: ref.version }) };
        await auditWrite(trx, { ...by, details }, 'dataset', ref.datasetId);
      });
    },

    async setDatasetVersionPinned(ref: DatasetVersionRef, pinned: boolean, by: AuditBy): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('dataset_versions')
          .set({ pinned: pinned ? 1 : 0 })
          .where('dataset_id', '=', ref.datasetId)
          .where('version', '=', ref.version)
          .execute();
        await auditWrite(trx, { ...by, details: { ...by.details, version: ref.version } }, 'dataset', ref.datasetId);
      });
    },

    async updateDataset(
      datasetId: string,
      change: { description?: string; retention?: RetentionPolicy | null },
      by: AuditBy,
    ): Promise<void> {
      const set: { description?: string; retention?: string | null } = {};
      if (change.description !== undefined) set.description = change.description;
      if (change.retention !== undefined) set.retention = change.retention && JSON.stringify(change.retention);
      if (Object.keys(set).length === 0) return;
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('datasets').set(set).where('id', '=', datasetId).execute();
        await auditWrite(trx, { ...by, details: { ...by.details, ...change } }, 'dataset', datasetId);
      });
    },

    async datasetVersionUsage(ref: DatasetVersionRef): Promise<{ runs: number; derived: number }> {
      const runs = await db
        .selectFrom('runs')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('dataset_id', '=', ref.datasetId)
        .where('dataset_version', '=', ref.version)
        .executeTakeFirst();
      const derived = await db
        .selectFrom('dataset_version_parents')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('parent_dataset_id', '=', ref.datasetId)
        .where('parent_version', '=', ref.version)
        .executeTakeFirst();
      return { runs: Number(runs?.n ?? 0), derived: Number(derived?.n ?? 0) };
    },

    async deleteDatasetVersion(ref: DatasetVersionRef, by: AuditBy): Promise<void> {
      await db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('dataset_versions')
          .select('snapshot_key')
          .where('dataset_id', '=', ref.datasetId)
          .where('version', '=', ref.version)
          .executeTakeFirst();
        if (!row) return;
        await trx
          .deleteFrom('dataset_version_tags')
          .where('dataset_id', '=', ref.datasetId)
          .where('version', '=', ref.version)
          .execute();
        await trx
          .deleteFrom('dataset_version_parents')
          .where('dataset_id', '=', ref.datasetId)
          .where('version', '=', ref.version)
          .execute();
        await trx
          .deleteFrom('dataset_versions')
          .where('dataset_id', '=', ref.datasetId)
          .where('version', '=', ref.version)
          .execute();
        const other = await trx
          .selectFrom('dataset_versions')
          .select('dataset_id')
          .where('snapshot_key', '=', row.snapshot_key)
          .limit(1)
          .executeTakeFirst();
        if (!other) {
          await trx
            .insertInto('snapshot_trash')
            .values({ snapshot_key: row.snapshot_key, orphaned_at: now() })
            .onConflict((oc) => oc.column('snapshot_key').doUpdateSet({ orphaned_at: now() }))
            .execute();
        }
        await auditWrite(trx, { ...by, details: { ...by.details, version: ref.version } }, 'dataset', ref.datasetId);
      });
    },

    async trashedSnapshots(before: string, limit: number): Promise<string[]> {
      const rows = await db
        .selectFrom('snapshot_trash')
        .select('snapshot_key')
        .where('orphaned_at', '<=', before)
        .orderBy('orphaned_at')
        .limit(limit)
        .execute();
      return rows.map((r) => r.snapshot_key);
    },

    async snapshotReferenced(snapshotKey: string): Promise<boolean> {
      const row = await db
        .selectFrom('dataset_versions')
        .select('dataset_id')
        .where('snapshot_key', '=', snapshotKey)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    async untrashSnapshot(snapshotKey: string): Promise<void> {
      await db.deleteFrom('snapshot_trash').where('snapshot_key', '=', snapshotKey).execute();
    },
  };
}
