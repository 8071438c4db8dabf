// Metadata store, registry details: what the MLflow registry adds to our models and versions (tags, a version's
// source and description, last-change times), renames and deletions, and paged listings for MLflow's searches.

import { sql, type Kysely } from 'kysely';
import { newId } from './ids.js';
import type {
  AuditBy,
  LatestMetricPoint,
  ModelRecord,
  NewRegistryVersion,
  RegisteredModelRecord,
  RegistryModelQuery,
  RegistryVersionQuery,
  RegistryVersionRecord,
} from './metadata-store.js';
import type { Database, ModelsTable } from './schema.js';
import { auditWrite, now, retryOnUniqueViolation } from './store-support.js';

/** The tables and columns migration 0008 adds, seen beside the lead's schema. */
interface RegistryTables {
  models: ModelsTable & { updated_at: string | null };
  model_versions: Database['model_versions'] & {
    source: string | null;
    description: string;
    updated_at: string | null;
  };
  model_tags: { model_id: string; key: string; value: string };
  model_version_tags: { model_id: string; version: number; key: string; value: string };
}
type RegistryDb = Omit<Database, 'models' | 'model_versions'> & RegistryTables;
type VersionRow = RegistryTables['model_versions'];

const tagMap = (rows: { key: string; value: string }[]): Record<string, string> =>
  Object.fromEntries(rows.map((r) => [r.key, r.value]));

export function registryStore(base: Kysely<Database>) {
  const db = base as unknown as Kysely<RegistryDb>;

  async function modelsFrom(rows: RegistryTables['models'][]): Promise<RegisteredModelRecord[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id);
    const [aliases, latest, tags] = await Promise.all([
      db.selectFrom('model_aliases').selectAll().where('model_id', 'in', ids).orderBy('alias').execute(),
      db
        .selectFrom('model_versions')
        .select(['model_id', (eb) => eb.fn.max('version').as('v')])
        .where('model_id', 'in', ids)
        .groupBy('model_id')
        .execute(),
      db.selectFrom('model_tags').selectAll().where('model_id', 'in', ids).orderBy('key').execute(),
    ]);
    return rows.map((r) => {
      const last = latest.find((l) => l.model_id === r.id)?.v;
      const model: ModelRecord = {
        id: r.id,
        projectId: r.project_id,
        name: r.name,
        description: r.description,
        createdAt: r.created_at,
        createdBy: r.created_by,
        aliases: Object.fromEntries(
          aliases.filter((a) => a.model_id === r.id).map((a) => [a.alias, Number(a.version)]),
        ),
        latestVersion: last === null || last === undefined ? null : Number(last),
      };
      return {
        ...model,
        updatedAt: r.updated_at ?? r.created_at,
        tags: tagMap(tags.filter((t) => t.model_id === r.id)),
      };
    });
  }

  async function versionsFrom(rows: VersionRow[]): Promise<RegistryVersionRecord[]> {
    if (rows.length === 0) return [];
    const ids = [...new Set(rows.map((r) => r.model_id))];
    const tags = await db
      .selectFrom('model_version_tags')
      .selectAll()
      .where('model_id', 'in', ids)
      .orderBy('key')
      .execute();
    return rows.map((r) => ({
      modelId: r.model_id,
      version: Number(r.version),
      runId: r.run_id,
      createdAt: r.created_at,
      createdBy: r.created_by,
      source: r.source,
      description: r.description,
      updatedAt: r.updated_at ?? r.created_at,
      tags: tagMap(tags.filter((t) => t.model_id === r.model_id && Number(t.version) === Number(r.version))),
    }));
  }

  const touchModel = (trx: Kysely<RegistryDb>, modelId: string, at: string) =>
    trx.updateTable('models').set({ updated_at: at }).where('id', '=', modelId).execute();

  return {
    async createRegisteredModel(
      m: { projectId: string; name: string; description: string; tags: Record<string, string>; createdBy: string },
      by: AuditBy,
    ): Promise<RegisteredModelRecord> {
      const at = now();
      const row: RegistryTables['models'] = {
        id: newId('mdl'),
        project_id: m.projectId,
        name: m.name,
        description: m.description,
        created_at: at,
        created_by: m.createdBy,
        updated_at: at,
      };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('models').values(row).execute();
        const tags = Object.entries(m.tags);
        if (tags.length > 0) {
          await trx
            .insertInto('model_tags')
            .values(tags.map(([key, value]) => ({ model_id: row.id, key, value })))
            .execute();
        }
        await auditWrite(trx as never, { ...by, projectId: m.projectId, details: { name: m.name } }, 'model', row.id);
      });
      return (await modelsFrom([row]))[0]!;
    },

    async getRegisteredModel(projectId: string, name: string): Promise<RegisteredModelRecord | undefined> {
      const row = await db
        .selectFrom('models')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('name', '=', name)
        .executeTakeFirst();
      return row && (await modelsFrom([row]))[0];
    },

    async findRegisteredModels(q: RegistryModelQuery): Promise<RegisteredModelRecord[]> {
      let query = db.selectFrom('models as m').selectAll('m').where('m.project_id', '=', q.projectId);
      for (const c of q.name) query = query.where(textMatch(sql.ref('m.name'), c.comparator, c.value));
      for (const t of q.tags) {
        query = query.where(
          sql<boolean>`exists (select 1 from model_tags t where t.model_id = m.id and t.key = ${t.key}
            and ${textMatch(sql.ref('t.value'), t.comparator, t.value)})`,
        );
      }
      for (const o of q.orderBy) {
        const column = o.key === 'name' ? sql.ref('m.name') : sql`coalesce(m.updated_at, m.created_at)`;
        query = query.orderBy(column, o.ascending ? 'asc' : 'desc');
      }
      const rows = await query.orderBy('m.name').offset(q.offset).limit(q.limit).execute();
      return modelsFrom(rows);
    },

    async updateRegisteredModel(
      modelId: string,
      change: { name?: string; description?: string },
      by: AuditBy,
    ): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('models')
          .set({
            ...(change.name !== undefined && { name: change.name }),
            ...(change.description !== undefined && { description: change.description }),
            updated_at: now(),
          })
          .where('id', '=', modelId)
          .execute();
        await auditWrite(trx as never, { ...by, details: { ...by.details, ...change } }, 'model', modelId);
      });
    },

    /** Deletes the model with its versions, aliases and tags. */
    async deleteRegisteredModel(modelId: string, by: AuditBy): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('model_version_tags').where('model_id', '=', modelId).execute();
        await trx.deleteFrom('model_tags').where('model_id', '=', modelId).execute();
        await trx.deleteFrom('model_aliases').where('model_id', '=', modelId).execute();
        await trx.deleteFrom('model_versions').where('model_id', '=', modelId).execute();
        await trx.deleteFrom('models').where('id', '=', modelId).execute();
        await auditWrite(trx as never, by, 'model', modelId);
      });
    },

    async setRegisteredModelTag(modelId: string, key: string, value: string | null, by: AuditBy): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const gone = await trx
          .deleteFrom('model_tags')
          .where('model_id', '=', modelId)
          .where('key', '=', key)
          .executeTakeFirst();
        if (value !== null) await trx.insertInto('model_tags').values({ model_id: modelId, key, value }).execute();
        else if (Number(gone.numDeletedRows) === 0) return false;
        await touchModel(trx, modelId, now());
        await auditWrite(trx as never, { ...by, details: { ...by.details, key } }, 'model', modelId);
        return true;
      });
    },

    /** Appends version max+1 with its MLflow details, atomically. */
    async createRegistryVersion(v: NewRegistryVersion, by: AuditBy): Promise<RegistryVersionRecord> {
      const row = await retryOnUniqueViolation(() =>
        db.transaction().execute(async (trx) => {
          const last = await trx
            .selectFrom('model_versions')
            .select((eb) => eb.fn.max('version').as('v'))
            .where('model_id', '=', v.modelId)
            .executeTakeFirst();
          const at = now();
          const row: VersionRow = {
            model_id: v.modelId,
            version: Number(last?.v ?? 0) + 1,
            run_id: v.runId,
            created_at: at,
            created_by: v.createdBy,
            source: v.source,
            description: v.description,
            updated_at: at,
          };
          await trx.insertInto('model_versions').values(row).execute();
          const tags = Object.entries(v.tags);
          if (tags.length > 0) {
            await trx
              .insertInto('model_version_tags')
              .values(tags.map(([key, value]) => ({ model_id: v.modelId, version: row.version, key, value })))
              .execute();
          }
          await touchModel(trx, v.modelId, at);
          await auditWrite(
            trx as never,
            { ...by, details: { ...by.details, version: row.version, run: v.runId } },
            'model',
            v.modelId,
          );
          return row;
        }),
      );
      return (await versionsFrom([row]))[0]!;
    },

    async getRegistryVersion(modelId: string, version: number): Promise<RegistryVersionRecord | undefined> {
      const row = await db
        .selectFrom('model_versions')
        .selectAll()
        .where('model_id', '=', modelId)
        .where('version', '=', version)
        .executeTakeFirst();
      return row && (await versionsFrom([row]))[0];
    },

    async findRegistryVersions(q: RegistryVersionQuery): Promise<RegistryVersionRecord[]> {
      let query = db
        .selectFrom('model_versions as v')
        .innerJoin('models as m', 'm.id', 'v.model_id')
        .selectAll('v')
        .where('m.project_id', '=', q.projectId);
      if (q.modelIds !== undefined) {
        if (q.modelIds.length === 0) return [];
        query = query.where('v.model_id', 'in', q.modelIds);
      }
      for (const c of q.name) query = query.where(textMatch(sql.ref('m.name'), c.comparator, c.value));
      for (const c of q.runId) query = query.where(textMatch(sql.ref('v.run_id'), c.comparator, c.value));
      for (const t of q.tags) {
        query = query.where(
          sql<boolean>`exists (select 1 from model_version_tags t where t.model_id = v.model_id
            and t.version = v.version and t.key = ${t.key} and ${textMatch(sql.ref('t.value'), t.comparator, t.value)})`,
        );
      }
      const rows = await query.orderBy('m.name').orderBy('v.version', 'desc').offset(q.offset).limit(q.limit).execute();
      return versionsFrom(rows);
    },

    async updateRegistryVersion(
      modelId: string,
      version: number,
      change: { description: string },
      by: AuditBy,
    ): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('model_versions')
          .set({ description: change.description, updated_at: now() })
          .where('model_id', '=', modelId)
          .where('version', '=', version)
          .execute();
        await auditWrite(trx as never, { ...by, details: { ...by.details, version } }, 'model', modelId);
      });
    },

    /** Deletes a version, its tags and the aliases pointing at it. */
    async deleteRegistryVersion(modelId: string, version: number, by: AuditBy): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx
          .deleteFrom('model_version_tags')
          .where('model_id', '=', modelId)
          .where('version', '=', version)
          .execute();
        await trx.deleteFrom('model_aliases').where('model_id', '=', modelId).where('version', '=', version).execute();
        await trx.deleteFrom('model_versions').where('model_id', '=', modelId).where('version', '=', version).execute();
        await touchModel(trx, modelId, now());
        await auditWrite(trx as never, { ...by, details: { ...by.details, version } }, 'model', modelId);
      });
    },

    async setRegistryVersionTag(
      modelId: string,
      version: number,
      key: string,
      value: string | null,
      by: AuditBy,
    ): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const gone = await trx
          .deleteFrom('model_version_tags')
          .where('model_id', '=', modelId)
          .where('version', '=', version)
          .where('key', '=', key)
          .executeTakeFirst();
        if (value !== null) {
          await trx.insertInto('model_version_tags').values({ model_id: modelId, version, key, value }).execute();
        } else if (Number(gone.numDeletedRows) === 0) return false;
        await trx
          .updateTable('model_versions')
          .set({ updated_at: now() })
          .where('model_id', '=', modelId)
          .where('version', '=', version)
          .execute();
        await auditWrite(trx as never, { ...by, details: { ...by.details, version, key } }, 'model', modelId);
        return true;
      });
    },

    // Belongs with runs (run-store.ts); kept here until the lead's run-store rewrite settles.
    /** Each metric's latest point (value, step and timestamp) for the given runs. */
    async latestMetricPoints(runIds: string[]): Promise<LatestMetricPoint[]> {
      if (runIds.length === 0) return [];
      const rows = await db
        .selectFrom('run_latest_metrics')
        .selectAll()
        .where('run_id', 'in', runIds)
        .orderBy('run_id')
        .orderBy('key')
        .execute();
      return rows.map((r) => ({
        runId: r.run_id,
        key: r.key,
        value: Number(r.is_nan) === 1 || r.value === null ? NaN : Number(r.value),
        step: Number(r.step),
        timestamp: Number(r.timestamp),
      }));
    },
  };
}

/** `=`, `!=`, LIKE (case-sensitive, as MLflow) or ILIKE on a text column. */
function textMatch(column: ReturnType<typeof sql.ref>, comparator: string, value: string | string[]) {
  switch (comparator) {
    case '!=':
      return sql<boolean>`${column} <> ${value as string}`;
    case 'LIKE':
      // Case-sensitive on PostgreSQL as in MLflow; SQLite's LIKE ignores ASCII case (docs/architecture.md).
      return sql<boolean>`${column} like ${value as string}`;
    case 'ILIKE':
      return sql<boolean>`lower(${column}) like lower(${value as string})`;
    case 'IN': {
      const list = value as string[];
      return list.length === 0 ? sql<boolean>`1 = 0` : sql<boolean>`${column} in (${sql.join(list)})`;
    }
    default:
      return sql<boolean>`${column} = ${value as string}`;
  }
}
