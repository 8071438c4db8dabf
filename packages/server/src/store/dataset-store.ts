// Metadata store, datasets: Datasets and their immutable, content-hashed versions.

import type { Kysely } from 'kysely';
import { newId } from './ids.js';
import type {
  AuditBy,
  DatasetRecord,
  DatasetSource,
  DatasetVersionRecord,
  DatasetVersionRef,
  PageRequest,
  Paged,
  RetentionPolicy,
} from './metadata-store.js';
import type { Database, DatasetsTable, DatasetVersionsTable } from './schema.js';
import { retryOnUniqueViolation, auditWrite, now, paged } from './store-support.js';
import type { DatasetColumnsRow, SearchRow, TagSearchRow } from './metadata-store.js';
import { searchDatasetTags, searchLatestProfiles, searchTable } from './text-search.js';

const toVersion = (r: DatasetVersionsTable, tags: Record<string, string> = {}): DatasetVersionRecord => ({
  datasetId: r.dataset_id,
  version: r.version,
  seq: Number(r.seq),
  snapshotKey: r.snapshot_key,
  rows: Number(r.rows),
  bytes: Number(r.bytes),
  source: r.source,
  profile: JSON.parse(r.profile) as DatasetVersionRecord['profile'],
  createdAt: r.created_at,
  createdBy: r.created_by,
  pinned: Number(r.pinned ?? 0) === 1,
  tags,
});

function datasetFrom(r: DatasetsTable, tags: Record<string, string> = {}): DatasetRecord {
  return {
    id: r.id,
    projectId: r.project_id,
    name: r.name,
    description: r.description,
    createdAt: r.created_at,
    createdBy: r.created_by,
    tags,
    retention: r.retention ? (JSON.parse(r.retention) as RetentionPolicy) : null,
  };
}

const byKey = (rows: { key: string; value: string }[]): Record<string, string> =>
  Object.fromEntries(rows.map((t) => [t.key, t.value]));

/** Datasets with their tags, in one extra query for the lot. */
async function withDatasetTags(db: Kysely<Database>, rows: DatasetsTable[]): Promise<DatasetRecord[]> {
  if (rows.length === 0) return [];
  const tags = await db
    .selectFrom('dataset_tags')
    .selectAll()
    .where(
      'dataset_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('key')
    .execute();
  return rows.map((r) => datasetFrom(r, byKey(tags.filter((t) => t.dataset_id === r.id))));
}

/** Versions of one dataset with their tags, in one extra query for the lot. */
async function withVersionTags(db: Kysely<Database>, rows: DatasetVersionsTable[]): Promise<DatasetVersionRecord[]> {
  const first = rows[0];
  if (!first) return [];
  const tags = await db
    .selectFrom('dataset_version_tags')
    .selectAll()
    .where('dataset_id', '=', first.dataset_id)
    .where(
      'version',
      'in',
      rows.map((r) => r.version),
    )
    .orderBy('key')
    .execute();
  return rows.map((r) => toVersion(r, byKey(tags.filter((t) => t.version === r.version))));
}

export function datasetStore(db: Kysely<Database>) {
  return {
    async createDataset(
      d: { projectId: string; name: string; description: string; createdBy: string },
      by: AuditBy,
    ): Promise<DatasetRecord> {
      const record: DatasetRecord = { id: newId('ds'), ...d, createdAt: now(), tags: {}, retention: null };
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('datasets')
          .values({
            id: record.id,
            project_id: d.projectId,
            name: d.name,
            description: d.description,
            created_at: record.createdAt,
            created_by: d.createdBy,
            retention: null,
          })
          .execute();
        await auditWrite(trx, { ...by, projectId: d.projectId }, 'dataset', record.id);
      });
      return record;
    },

    async getDataset(id: string): Promise<DatasetRecord | undefined> {
      const r = await db.selectFrom('datasets').selectAll().where('id', '=', id).executeTakeFirst();
      return r && (await withDatasetTags(db, [r]))[0];
    },

    async getDatasetByName(projectId: string, name: string): Promise<DatasetRecord | undefined> {
      const r = await db
        .selectFrom('datasets')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('name', '=', name)
        .executeTakeFirst();
      return r && (await withDatasetTags(db, [r]))[0];
    },

    async listDatasets(projectId: string, page: PageRequest): Promise<Paged<DatasetRecord>> {
      let q = db
        .selectFrom('datasets')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('id')
        .limit(page.limit + 1);
      if (page.after) q = q.where('id', '>', page.after);
      return paged(await withDatasetTags(db, await q.execute()), page.limit);
    },

    async setDatasetSource(datasetId: string, source: DatasetSource): Promise<void> {
      const row = {
        kind: source.kind,
        path: source.kind === 'file' ? source.path : null,
        connection_id: source.kind === 'sql' ? source.connectionId : null,
        query: source.kind === 'file' ? null : source.query,
        options: source.kind === 'file' && source.skipBadRows ? JSON.stringify({ skipBadRows: true }) : null,
        updated_at: now(),
      };
      await db
        .insertInto('dataset_sources')
        .values({ dataset_id: datasetId, ...row })
        .onConflict((oc) => oc.column('dataset_id').doUpdateSet(row))
        .execute();
    },

    async getDatasetSource(datasetId: string): Promise<DatasetSource | undefined> {
      const r = await db
        .selectFrom('dataset_sources')
        .selectAll()
        .where('dataset_id', '=', datasetId)
        .executeTakeFirst();
      if (!r) return undefined;
      if (r.kind === 'sql') return { kind: 'sql', connectionId: r.connection_id!, query: r.query! };
      if (r.kind === 'query') return { kind: 'query', query: r.query! };
      const options = r.options ? (JSON.parse(r.options) as { skipBadRows?: boolean }) : {};
      return options.skipBadRows ? { kind: 'file', path: r.path!, skipBadRows: true } : { kind: 'file', path: r.path! };
    },

    async addDatasetVersionParents(child: DatasetVersionRef, parents: DatasetVersionRef[]): Promise<void> {
      if (parents.length === 0) return;
      await db
        .insertInto('dataset_version_parents')
        .values(
          parents.map((p) => ({
            dataset_id: child.datasetId,
            version: child.version,
            parent_dataset_id: p.datasetId,
            parent_version: p.version,
          })),
        )
        .onConflict((oc) => oc.doNothing())
        .execute();
    },

    async listDatasetVersionParents(child: DatasetVersionRef): Promise<DatasetVersionRef[]> {
      const rows = await db
        .selectFrom('dataset_version_parents')
        .select(['parent_dataset_id', 'parent_version'])
        .where('dataset_id', '=', child.datasetId)
        .where('version', '=', child.version)
        .orderBy('parent_dataset_id')
        .execute();
      return rows.map((r) => ({ datasetId: r.parent_dataset_id, version: r.parent_version }));
    },

    async listDatasetVersionChildren(parent: DatasetVersionRef): Promise<DatasetVersionRef[]> {
      const rows = await db
        .selectFrom('dataset_version_parents')
        .select(['dataset_id', 'version'])
        .where('parent_dataset_id', '=', parent.datasetId)
        .where('parent_version', '=', parent.version)
        .orderBy('dataset_id')
        .execute();
      return rows.map((r) => ({ datasetId: r.dataset_id, version: r.version }));
    },

    async addDatasetVersion(
      v: Omit<DatasetVersionRecord, 'seq' | 'createdAt' | 'pinned' | 'tags'>,
      by: AuditBy,
    ): Promise<DatasetVersionRecord> {
      return retryOnUniqueViolation(() =>
        db.transaction().execute(async (trx) => {
          const last = await trx
            .selectFrom('dataset_versions')
            .select((eb) => eb.fn.max('seq').as('seq'))
            .where('dataset_id', '=', v.datasetId)
            .executeTakeFirst();
          const row: DatasetVersionsTable = {
            dataset_id: v.datasetId,
            version: v.version,
            seq: Number(last?.seq ?? 0) + 1,
            snapshot_key: v.snapshotKey,
            rows: v.rows,
            bytes: v.bytes,
            source: v.source,
            profile: JSON.stringify(v.profile),
            created_at: now(),
            created_by: v.createdBy,
            pinned: 0,
          };
          await trx.insertInto('dataset_versions').values(row).execute();
          await auditWrite(trx, { ...by, details: { ...by.details, version: v.version } }, 'dataset', v.datasetId);
          return toVersion(row);
        }),
      );
    },

    async getDatasetVersion(datasetId: string, version: string): Promise<DatasetVersionRecord | undefined> {
      const r = await db
        .selectFrom('dataset_versions')
        .selectAll()
        .where('dataset_id', '=', datasetId)
        .where('version', '=', version)
        .executeTakeFirst();
      return r && (await withVersionTags(db, [r]))[0];
    },

    async findDatasetVersions(datasetId: string, prefix: string): Promise<DatasetVersionRecord[]> {
      // Versions are hex hashes; anything else (including LIKE wildcards) cannot match.
      if (!/^[0-9a-f]+$/.test(prefix)) return [];
      const rows = await db
        .selectFrom('dataset_versions')
        .selectAll()
        .where('dataset_id', '=', datasetId)
        .where('version', 'like', `${prefix}%`)
        .limit(5)
        .execute();
      return withVersionTags(db, rows);
    },

    async latestDatasetVersion(datasetId: string): Promise<DatasetVersionRecord | undefined> {
      const r = await db
        .selectFrom('dataset_versions')
        .selectAll()
        .where('dataset_id', '=', datasetId)
        .orderBy('seq', 'desc')
        .limit(1)
        .executeTakeFirst();
      return r && (await withVersionTags(db, [r]))[0];
    },

    async listDatasetVersions(
      datasetId: string,
      page: { limit: number; beforeSeq?: number | undefined },
    ): Promise<DatasetVersionRecord[]> {
      let q = db
        .selectFrom('dataset_versions')
        .selectAll()
        .where('dataset_id', '=', datasetId)
        .orderBy('seq', 'desc')
        .limit(page.limit);
      if (page.beforeSeq !== undefined) q = q.where('seq', '<', page.beforeSeq);
      return withVersionTags(db, await q.execute());
    },

    searchDatasets(projectIds: string[], text: string, limit: number): Promise<SearchRow[]> {
      return searchTable(db, 'datasets', true, projectIds, text, limit);
    },

    async latestSnapshots(
      projectId: string,
    ): Promise<{ datasetId: string; name: string; version: string; snapshotKey: string }[]> {
      const rows = await db
        .selectFrom('datasets as d')
        .innerJoin('dataset_versions as v', 'v.dataset_id', 'd.id')
        .select(['d.id', 'd.name', 'v.version', 'v.snapshot_key'])
        .where('d.project_id', '=', projectId)
        .where((eb) =>
          eb(
            'v.seq',
            '=',
            eb
              .selectFrom('dataset_versions as w')
              .select((w) => w.fn.max('w.seq').as('seq'))
              .whereRef('w.dataset_id', '=', 'd.id'),
          ),
        )
        .orderBy('d.name')
        .execute();
      return rows.map((r) => ({ datasetId: r.id, name: r.name, version: r.version, snapshotKey: r.snapshot_key }));
    },

    searchDatasetTags(projectIds: string[], text: string, limit: number): Promise<TagSearchRow[]> {
      return searchDatasetTags(db, projectIds, text, limit);
    },

    searchDatasetColumns(projectIds: string[], text: string, limit: number): Promise<DatasetColumnsRow[]> {
      return searchLatestProfiles(db, projectIds, text, limit);
    },
  };
}
