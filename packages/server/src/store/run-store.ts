// Metadata store, runs: Training runs: their state, params, metrics and environment.

import type { Kysely } from 'kysely';
import type { AuditBy, MetadataStore, PageRequest, Paged, RunRecord, RunUpdate } from './metadata-store.js';
import type { Database, RunsTable } from './schema.js';
import { auditWrite, now, paged } from './store-support.js';
import type { SearchRow } from './metadata-store.js';
import { searchTable } from './text-search.js';

const toRun = (r: RunsTable): RunRecord => ({
  id: r.id,
  projectId: r.project_id,
  name: r.name,
  status: r.status as RunRecord['status'],
  task: r.task as RunRecord['task'],
  algorithm: r.algorithm,
  target: r.target,
  datasetId: r.dataset_id,
  datasetVersion: r.dataset_version,
  params: JSON.parse(r.params) as RunRecord['params'],
  metrics: JSON.parse(r.metrics) as RunRecord['metrics'],
  progress: Number(r.progress),
  error: r.error === null ? null : (JSON.parse(r.error) as RunRecord['error']),
  environment: r.environment === null ? null : (JSON.parse(r.environment) as RunRecord['environment']),
  artifactKey: r.artifact_key,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  durationMs: r.duration_ms === null ? null : Number(r.duration_ms),
  createdBy: r.created_by,
});

export function runStore(db: Kysely<Database>) {
  return {
    async createRun(run: Parameters<MetadataStore['createRun']>[0], by: AuditBy): Promise<RunRecord> {
      const row: RunsTable = {
        id: run.id,
        project_id: run.projectId,
        name: run.name,
        status: 'queued',
        task: run.task,
        algorithm: run.algorithm,
        target: run.target,
        dataset_id: run.datasetId,
        dataset_version: run.datasetVersion,
        params: JSON.stringify(run.params),
        metrics: '{}',
        progress: 0,
        error: null,
        environment: null,
        artifact_key: null,
        created_at: now(),
        started_at: null,
        finished_at: null,
        duration_ms: null,
        created_by: run.createdBy,
      };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('runs').values(row).execute();
        await auditWrite(trx, { ...by, projectId: run.projectId }, 'run', row.id);
      });
      return toRun(row);
    },

    async getRun(id: string): Promise<RunRecord | undefined> {
      const r = await db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toRun(r);
    },

    async listRuns(projectId: string, page: PageRequest): Promise<Paged<RunRecord>> {
      let q = db
        .selectFrom('runs')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('id', 'desc')
        .limit(page.limit + 1);
      if (page.after) q = q.where('id', '<', page.after);
      return paged((await q.execute()).map(toRun), page.limit);
    },

    async updateRun(id: string, u: RunUpdate): Promise<void> {
      const set: Partial<RunsTable> = {};
      if (u.status !== undefined) set.status = u.status;
      if (u.metrics !== undefined) set.metrics = JSON.stringify(u.metrics);
      if (u.progress !== undefined) set.progress = u.progress;
      if (u.error !== undefined) set.error = u.error === null ? null : JSON.stringify(u.error);
      if (u.environment !== undefined) set.environment = u.environment === null ? null : JSON.stringify(u.environment);
      if (u.artifactKey !== undefined) set.artifact_key = u.artifactKey;
      if (u.startedAt !== undefined) set.started_at = u.startedAt;
      if (u.finishedAt !== undefined) set.finished_at = u.finishedAt;
      if (u.durationMs !== undefined) set.duration_ms = u.durationMs;
      if (Object.keys(set).length === 0) return;
      await db.updateTable('runs').set(set).where('id', '=', id).execute();
    },

    async runsWithStatus(statuses: RunRecord['status'][]): Promise<RunRecord[]> {
      const rows = await db.selectFrom('runs').selectAll().where('status', 'in', statuses).orderBy('id').execute();
      return rows.map(toRun);
    },

    async listRunsOfDatasetVersion(datasetId: string, version: string, limit?: number): Promise<RunRecord[]> {
      let q = db
        .selectFrom('runs')
        .selectAll()
        .where('dataset_id', '=', datasetId)
        .where('dataset_version', '=', version)
        .orderBy('id');
      if (limit !== undefined) q = q.limit(limit);
      const rows = await q.execute();
      return rows.map(toRun);
    },

    searchRuns(projectIds: string[], text: string, limit: number): Promise<SearchRow[]> {
      return searchTable(db, 'runs', false, projectIds, text, limit);
    },
  };
}
