// Metadata store, models: The registry: models, numbered versions, and aliases.

import type { Kysely } from 'kysely';
import { newId } from './ids.js';
import type { AuditBy, ModelRecord, ModelVersionRecord, PageRequest, Paged } from './metadata-store.js';
import type { Database, ModelsTable } from './schema.js';
import { retryOnUniqueViolation, auditWrite, now, paged } from './store-support.js';
import type { SearchRow } from './metadata-store.js';
import { searchTable } from './text-search.js';

async function modelFrom(db: Kysely<Database>, r: ModelsTable): Promise<ModelRecord> {
  const aliases = await db.selectFrom('model_aliases').selectAll().where('model_id', '=', r.id).execute();
  const latest = await db
    .selectFrom('model_versions')
    .select((eb) => eb.fn.max('version').as('v'))
    .where('model_id', '=', r.id)
    .executeTakeFirst();
  return {
    id: r.id,
    projectId: r.project_id,
    name: r.name,
    description: r.description,
    createdAt: r.created_at,
    createdBy: r.created_by,
    aliases: Object.fromEntries(aliases.map((a) => [a.alias, Number(a.version)])),
    latestVersion: latest?.v === null || latest?.v === undefined ? null : Number(latest.v),
  };
}

export function modelStore(db: Kysely<Database>) {
  return {
    async createModel(
      m: { projectId: string; name: string; description: string; createdBy: string },
      by: AuditBy,
    ): Promise<ModelRecord> {
      const row: ModelsTable = {
        id: newId('mdl'),
        project_id: m.projectId,
        name: m.name,
        description: m.description,
        created_at: now(),
        created_by: m.createdBy,
      };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('models').values(row).execute();
        await auditWrite(trx, { ...by, projectId: m.projectId }, 'model', row.id);
      });
      return modelFrom(db, row);
    },

    async getModel(id: string): Promise<ModelRecord | undefined> {
      const r = await db.selectFrom('models').selectAll().where('id', '=', id).executeTakeFirst();
      return r && modelFrom(db, r);
    },

    async getModelByName(projectId: string, name: string): Promise<ModelRecord | undefined> {
      const r = await db
        .selectFrom('models')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('name', '=', name)
        .executeTakeFirst();
      return r && modelFrom(db, r);
    },

    async listModels(projectId: string, page: PageRequest): Promise<Paged<ModelRecord>> {
      let q = db
        .selectFrom('models')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('id')
        .limit(page.limit + 1);
      if (page.after) q = q.where('id', '>', page.after);
      const rows = await Promise.all((await q.execute()).map((r) => modelFrom(db, r)));
      return paged(rows, page.limit);
    },

    async addModelVersion(modelId: string, runId: string, createdBy: string, by: AuditBy): Promise<ModelVersionRecord> {
      return retryOnUniqueViolation(() =>
        db.transaction().execute(async (trx) => {
          const last = await trx
            .selectFrom('model_versions')
            .select((eb) => eb.fn.max('version').as('v'))
            .where('model_id', '=', modelId)
            .executeTakeFirst();
          const record: ModelVersionRecord = {
            modelId,
            version: Number(last?.v ?? 0) + 1,
            runId,
            createdAt: now(),
            createdBy,
          };
          await trx
            .insertInto('model_versions')
            .values({
              model_id: modelId,
              version: record.version,
              run_id: runId,
              created_at: record.createdAt,
              created_by: createdBy,
            })
            .execute();
          await auditWrite(
            trx,
            { ...by, details: { ...by.details, version: record.version, run: runId } },
            'model',
            modelId,
          );
          return record;
        }),
      );
    },

    async getModelVersion(modelId: string, version: number): Promise<ModelVersionRecord | undefined> {
      const r = await db
        .selectFrom('model_versions')
        .selectAll()
        .where('model_id', '=', modelId)
        .where('version', '=', version)
        .executeTakeFirst();
      return (
        r && {
          modelId: r.model_id,
          version: Number(r.version),
          runId: r.run_id,
          createdAt: r.created_at,
          createdBy: r.created_by,
        }
      );
    },

    async listModelVersions(
      modelId: string,
      page: { limit: number; below?: number | undefined },
    ): Promise<ModelVersionRecord[]> {
      let q = db
        .selectFrom('model_versions')
        .selectAll()
        .where('model_id', '=', modelId)
        .orderBy('version', 'desc')
        .limit(page.limit);
      if (page.below !== undefined) q = q.where('version', '<', page.below);
      return (await q.execute()).map((r) => ({
        modelId: r.model_id,
        version: Number(r.version),
        runId: r.run_id,
        createdAt: r.created_at,
        createdBy: r.created_by,
      }));
    },

    async listModelVersionsOfRun(runId: string): Promise<ModelVersionRecord[]> {
      const rows = await db
        .selectFrom('model_versions')
        .selectAll()
        .where('run_id', '=', runId)
        .orderBy('model_id')
        .orderBy('version')
        .execute();
      return rows.map((r) => ({
        modelId: r.model_id,
        version: Number(r.version),
        runId: r.run_id,
        createdAt: r.created_at,
        createdBy: r.created_by,
      }));
    },

    async setAlias(modelId: string, alias: string, version: number, by: AuditBy): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('model_aliases')
          .values({ model_id: modelId, alias, version })
          .onConflict((oc) => oc.columns(['model_id', 'alias']).doUpdateSet({ version }))
          .execute();
        await auditWrite(trx, { ...by, details: { ...by.details, alias, version } }, 'model', modelId);
      });
    },

    async deleteAlias(modelId: string, alias: string, by: AuditBy): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const r = await trx
          .deleteFrom('model_aliases')
          .where('model_id', '=', modelId)
          .where('alias', '=', alias)
          .executeTakeFirst();
        if (Number(r.numDeletedRows) === 0) return false;
        await auditWrite(trx, { ...by, details: { ...by.details, alias } }, 'model', modelId);
        return true;
      });
    },

    searchModels(projectIds: string[], text: string, limit: number): Promise<SearchRow[]> {
      return searchTable(db, 'models', true, projectIds, text, limit);
    },
  };
}
