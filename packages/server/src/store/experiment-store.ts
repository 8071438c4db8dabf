// Metadata store, experiments: named groups of runs in a project, with tags and a lifecycle (deleted ones restorable).

import { sql, type Kysely } from 'kysely';
import type { LifecycleStage } from '@modelyard/client';
import { newId } from './ids.js';
import type { AuditBy, ExperimentRecord } from './metadata-store.js';
import type { Database, ExperimentsTable } from './schema.js';
import { auditWrite, isUniqueViolation, now } from './store-support.js';

export const DEFAULT_EXPERIMENT = 'Default';

async function withTags(db: Kysely<Database>, rows: ExperimentsTable[]): Promise<ExperimentRecord[]> {
  if (rows.length === 0) return [];
  const tags = await db
    .selectFrom('experiment_tags')
    .selectAll()
    .where(
      'experiment_id',
      'in',
      rows.map((r) => r.id),
    )
    .orderBy('key')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    projectId: r.project_id,
    name: r.name,
    description: r.description,
    lifecycleStage: r.lifecycle_stage as LifecycleStage,
    tags: Object.fromEntries(tags.filter((t) => t.experiment_id === r.id).map((t) => [t.key, t.value])),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    createdBy: r.created_by,
  }));
}

export function experimentStore(db: Kysely<Database>) {
  const store = {
    async createExperiment(
      e: { projectId: string; name: string; description: string; tags?: Record<string, string>; createdBy: string },
      by: AuditBy,
    ): Promise<ExperimentRecord> {
      const at = now();
      const row: ExperimentsTable = {
        id: newId('exp'),
        project_id: e.projectId,
        name: e.name,
        description: e.description,
        lifecycle_stage: 'active',
        created_at: at,
        updated_at: at,
        created_by: e.createdBy,
      };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('experiments').values(row).execute();
        const tags = Object.entries(e.tags ?? {});
        if (tags.length > 0) {
          await trx
            .insertInto('experiment_tags')
            .values(tags.map(([key, value]) => ({ experiment_id: row.id, key, value })))
            .execute();
        }
        await auditWrite(trx, { ...by, projectId: e.projectId, details: { name: e.name } }, 'experiment', row.id);
      });
      return (await withTags(db, [row]))[0]!;
    },

    async getExperiment(id: string): Promise<ExperimentRecord | undefined> {
      const row = await db.selectFrom('experiments').selectAll().where('id', '=', id).executeTakeFirst();
      return row && (await withTags(db, [row]))[0];
    },

    async getExperimentByName(projectId: string, name: string): Promise<ExperimentRecord | undefined> {
      const row = await db
        .selectFrom('experiments')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('name', '=', name)
        .executeTakeFirst();
      return row && (await withTags(db, [row]))[0];
    },

    async listExperiments(
      projectIds: string[],
      q: { stage: LifecycleStage | 'all'; nameLike?: string; limit: number; offset: number },
    ): Promise<ExperimentRecord[]> {
      if (projectIds.length === 0) return [];
      let query = db
        .selectFrom('experiments')
        .selectAll()
        .where('project_id', 'in', projectIds)
        .orderBy('name')
        .orderBy('id')
        .limit(q.limit)
        .offset(q.offset);
      if (q.stage !== 'all') query = query.where('lifecycle_stage', '=', q.stage);
      if (q.nameLike !== undefined) query = query.where(sql<boolean>`lower(name) like lower(${q.nameLike})`);
      return withTags(db, await query.execute());
    },

    async updateExperiment(
      id: string,
      change: { name?: string; description?: string; lifecycleStage?: LifecycleStage },
      by: AuditBy,
    ): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('experiments')
          .set({
            ...(change.name !== undefined && { name: change.name }),
            ...(change.description !== undefined && { description: change.description }),
            ...(change.lifecycleStage !== undefined && { lifecycle_stage: change.lifecycleStage }),
            updated_at: now(),
          })
          .where('id', '=', id)
          .execute();
        await auditWrite(trx, { ...by, details: { ...by.details, ...change } }, 'experiment', id);
      });
    },

    async setExperimentTag(id: string, key: string, value: string | null, by: AuditBy): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('experiment_tags').where('experiment_id', '=', id).where('key', '=', key).execute();
        if (value !== null) await trx.insertInto('experiment_tags').values({ experiment_id: id, key, value }).execute();
        await trx.updateTable('experiments').set({ updated_at: now() }).where('id', '=', id).execute();
        await auditWrite(trx, { ...by, details: { ...by.details, key } }, 'experiment', id);
      });
    },

    async defaultExperiment(projectId: string, createdBy: string): Promise<ExperimentRecord> {
      const existing = await store.getExperimentByName(projectId, DEFAULT_EXPERIMENT);
      if (existing) return existing;
      try {
        return await store.createExperiment(
          { projectId, name: DEFAULT_EXPERIMENT, description: '', createdBy },
          { actor: createdBy, action: 'experiment.create' },
        );
      } catch (error) {
        // Two first runs at once: the other one created it.
        if (!isUniqueViolation(error)) throw error;
        return (await store.getExperimentByName(projectId, DEFAULT_EXPERIMENT))!;
      }
    },
  };
  return store;
}
