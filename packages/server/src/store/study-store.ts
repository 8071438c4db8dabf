// Metadata store, studies: hyperparameter searches and the trial numbers they have claimed.

import type { Kysely } from 'kysely';
import type { StudyStatus } from '@modelyard/client';
import { newId } from './ids.js';
import type { AuditBy, NewStudy, PageRequest, Paged, StudyRecord } from './metadata-store.js';
import type { Database, StudiesTable } from './schema.js';
import { auditWrite, isUniqueViolation, now, paged } from './store-support.js';

const toStudy = (r: StudiesTable): StudyRecord => ({
  id: r.id,
  projectId: r.project_id,
  experimentId: r.experiment_id,
  runId: r.run_id,
  name: r.name,
  datasetId: r.dataset_id,
  datasetVersion: r.dataset_version,
  target: r.target,
  task: r.task as StudyRecord['task'],
  algorithm: r.algorithm as StudyRecord['algorithm'],
  space: JSON.parse(r.space) as StudyRecord['space'],
  params: JSON.parse(r.params) as StudyRecord['params'],
  sampler: JSON.parse(r.sampler) as StudyRecord['sampler'],
  pruner: JSON.parse(r.pruner) as StudyRecord['pruner'],
  metric: r.metric,
  direction: r.direction as StudyRecord['direction'],
  parallelism: Number(r.parallelism),
  maxTrials: Number(r.max_trials),
  timeBudgetSeconds: r.time_budget_s === null ? null : Number(r.time_budget_s),
  status: r.status as StudyStatus,
  bestRunId: r.best_run_id,
  createdAt: r.created_at,
  finishedAt: r.finished_at,
  createdBy: r.created_by,
});

export function studyStore(db: Kysely<Database>) {
  return {
    async createStudy(s: NewStudy, by: AuditBy): Promise<StudyRecord> {
      const row: StudiesTable = {
        id: newId('std'),
        project_id: s.projectId,
        experiment_id: s.experimentId,
        run_id: s.runId,
        name: s.name,
        dataset_id: s.datasetId,
        dataset_version: s.datasetVersion,
        target: s.target,
        task: s.task,
        algorithm: s.algorithm,
        space: JSON.stringify(s.space),
        params: JSON.stringify(s.params),
        sampler: JSON.stringify(s.sampler),
        pruner: JSON.stringify(s.pruner),
        metric: s.metric,
        direction: s.direction,
        parallelism: s.parallelism,
        max_trials: s.maxTrials,
        time_budget_s: s.timeBudgetSeconds,
        status: 'running',
        best_run_id: null,
        created_at: now(),
        finished_at: null,
        created_by: s.createdBy,
      };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('studies').values(row).execute();
        await auditWrite(trx, { ...by, projectId: s.projectId }, 'study', row.id);
      });
      return toStudy(row);
    },

    async getStudy(id: string): Promise<StudyRecord | undefined> {
      const r = await db.selectFrom('studies').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toStudy(r);
    },

    async getStudyOfRun(runId: string): Promise<StudyRecord | undefined> {
      const r = await db.selectFrom('studies').selectAll().where('run_id', '=', runId).executeTakeFirst();
      return r && toStudy(r);
    },

    async listStudies(projectId: string, page: PageRequest): Promise<Paged<StudyRecord>> {
      let q = db
        .selectFrom('studies')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('id', 'desc')
        .limit(page.limit + 1);
      if (page.after) q = q.where('id', '<', page.after);
      return paged((await q.execute()).map(toStudy), page.limit);
    },

    async studiesWithStatus(status: StudyStatus): Promise<StudyRecord[]> {
      const rows = await db.selectFrom('studies').selectAll().where('status', '=', status).orderBy('id').execute();
      return rows.map(toStudy);
    },

    async updateStudy(
      id: string,
      change: { status?: StudyStatus; bestRunId?: string | null; finishedAt?: string },
    ): Promise<void> {
      const set: Partial<StudiesTable> = {};
      if (change.status !== undefined) set.status = change.status;
      if (change.bestRunId !== undefined) set.best_run_id = change.bestRunId;
      if (change.finishedAt !== undefined) set.finished_at = change.finishedAt;
      if (Object.keys(set).length > 0) await db.updateTable('studies').set(set).where('id', '=', id).execute();
    },

    async claimTrial(studyId: string, number: number, runId: string): Promise<boolean> {
      try {
        await db.insertInto('study_trials').values({ study_id: studyId, number, run_id: runId }).execute();
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },

    async listTrials(studyId: string): Promise<{ number: number; runId: string }[]> {
      const rows = await db
        .selectFrom('study_trials')
        .select(['number', 'run_id'])
        .where('study_id', '=', studyId)
        .orderBy('number')
        .execute();
      return rows.map((r) => ({ number: Number(r.number), runId: r.run_id }));
    },
  };
}
