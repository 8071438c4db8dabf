// Metadata store, AutoML jobs: what each job was asked for and the stage it has reached.

import type { Kysely } from 'kysely';
import type { AutomlJob, AutomlStage } from '@modelyard/client';
import { newId } from './ids.js';
import type { AuditBy, NewAutomlJob, PageRequest, Paged } from './metadata-store.js';
import type { AutomlJobsTable, Database } from './schema.js';
import { auditWrite, now, paged } from './store-support.js';

const toJob = (r: AutomlJobsTable): AutomlJob => ({
  id: r.id,
  projectId: r.project_id,
  experimentId: r.experiment_id,
  runId: r.run_id,
  name: r.name,
  datasetId: r.dataset_id,
  datasetVersion: r.dataset_version,
  target: r.target,
  task: r.task as AutomlJob['task'],
  metric: r.metric,
  direction: r.direction as AutomlJob['direction'],
  timeBudgetSeconds: Number(r.time_budget_s),
  folds: Number(r.folds),
  seed: Number(r.seed),
  register: r.register_model === null ? null : { model: r.register_model, alias: r.register_alias },
  status: r.status as AutomlJob['status'],
  stage: r.stage as AutomlStage,
  studyId: r.study_id,
  leaderRunId: r.leader_run_id,
  modelVersion: r.model_version === null ? null : Number(r.model_version),
  error: r.error,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
  createdBy: r.created_by,
});

export type AutomlUpdate = Partial<
  Pick<AutomlJob, 'status' | 'stage' | 'studyId' | 'leaderRunId' | 'modelVersion' | 'error' | 'finishedAt'>
>;

export function automlStore(db: Kysely<Database>) {
  return {
    async createAutomlJob(j: NewAutomlJob, by: AuditBy): Promise<AutomlJob> {
      const row: AutomlJobsTable = {
        id: newId('aml'),
        project_id: j.projectId,
        experiment_id: j.experimentId,
        run_id: j.runId,
        name: j.name,
        dataset_id: j.datasetId,
        dataset_version: j.datasetVersion,
        target: j.target,
        task: j.task,
        metric: j.metric,
        direction: j.direction,
        time_budget_s: j.timeBudgetSeconds,
        folds: j.folds,
        seed: j.seed,
        register_model: j.register?.model ?? null,
        register_alias: j.register?.alias ?? null,
        status: 'running',
        stage: 'baselines',
        study_id: null,
        leader_run_id: null,
        model_version: null,
        error: null,
        created_at: now(),
        finished_at: null,
        created_by: j.createdBy,
      };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('automl_jobs').values(row).execute();
        await auditWrite(trx, { ...by, projectId: j.projectId }, 'automl', row.id);
      });
      return toJob(row);
    },

    async getAutomlJob(id: string): Promise<AutomlJob | undefined> {
      const r = await db.selectFrom('automl_jobs').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toJob(r);
    },

    async getAutomlJobOfRun(runId: string): Promise<AutomlJob | undefined> {
      const r = await db.selectFrom('automl_jobs').selectAll().where('run_id', '=', runId).executeTakeFirst();
      return r && toJob(r);
    },

    async getAutomlJobOfStudy(studyId: string): Promise<AutomlJob | undefined> {
      const r = await db.selectFrom('automl_jobs').selectAll().where('study_id', '=', studyId).executeTakeFirst();
      return r && toJob(r);
    },

    async listAutomlJobs(projectId: string, page: PageRequest): Promise<Paged<AutomlJob>> {
      let q = db
        .selectFrom('automl_jobs')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('id', 'desc')
        .limit(page.limit + 1);
      if (page.after) q = q.where('id', '<', page.after);
      return paged((await q.execute()).map(toJob), page.limit);
    },

    async runningAutomlJobs(): Promise<AutomlJob[]> {
      const rows = await db.selectFrom('automl_jobs').selectAll().where('status', '=', 'running').execute();
      return rows.map(toJob);
    },

    async updateAutomlJob(id: string, change: AutomlUpdate): Promise<void> {
      const set: Partial<AutomlJobsTable> = {};
      if (change.status !== undefined) set.status = change.status;
      if (change.stage !== undefined) set.stage = change.stage;
      if (change.studyId !== undefined) set.study_id = change.studyId;
      if (change.leaderRunId !== undefined) set.leader_run_id = change.leaderRunId;
      if (change.modelVersion !== undefined) set.model_version = change.modelVersion;
      if (change.error !== undefined) set.error = change.error;
      if (change.finishedAt !== undefined) set.finished_at = change.finishedAt;
      if (Object.keys(set).length > 0) await db.updateTable('automl_jobs').set(set).where('id', '=', id).execute();
    },

    /** The child runs of a parent run, oldest first. */
    async childRuns(parentRunId: string): Promise<string[]> {
      const rows = await db
        .selectFrom('runs')
        .select('id')
        .where('parent_run_id', '=', parentRunId)
        .orderBy('id')
        .execute();
      return rows.map((r) => r.id);
    },
  };
}
