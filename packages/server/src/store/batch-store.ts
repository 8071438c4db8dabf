// Metadata store, batch scoring: job definitions, their runs, and the partitions each run has finished.

import { sql, type Kysely } from 'kysely';
import type {
  BatchJob,
  BatchOutputColumns,
  BatchOutputTable,
  BatchRun,
  BatchRunStatus,
  BatchSource,
} from '@modelyard/client';
import { newId } from './ids.js';
import type { AuditBy, DatasetVersionRef, PageRequest, Paged } from './metadata-store.js';
import type { BatchJobsTable, BatchRunsTable, Database } from './schema.js';
import { auditWrite, now, paged } from './store-support.js';

export type NewBatchJobRecord = Omit<BatchJob, 'id' | 'createdAt'>;
export type BatchJobUpdate = Partial<
  Pick<
    BatchJob,
    'model' | 'source' | 'outputDataset' | 'partitions' | 'schedule' | 'keepColumns' | 'outputColumns' | 'outputTable'
  >
>;

/** A run as the runner sees it: the wire shape plus what it needs to resume. */
export interface BatchRunRecord extends BatchRun {
  /** The model version's artifact, fixed when the run started. */
  artifactKey: string | null;
  /** The dataset versions a datasets-SQL source read (its lineage parents besides `inputVersion`). */
  inputParents: DatasetVersionRef[];
}

export type NewBatchRun = Pick<BatchRun, 'jobId' | 'projectId' | 'trigger' | 'status' | 'modelRef' | 'createdBy'> & {
  partitionsTotal: number;
  error?: { code: string; message: string } | null;
};

export type BatchRunUpdate = Partial<
  Pick<
    BatchRunRecord,
    | 'status'
    | 'modelVersion'
    | 'artifactKey'
    | 'inputDatasetId'
    | 'inputVersion'
    | 'inputParents'
    | 'rowsTotal'
    | 'outputDatasetId'
    | 'outputVersion'
    | 'outputTable'
    | 'error'
    | 'startedAt'
    | 'finishedAt'
  >
>;

export interface BatchStore {
  createBatchJob(job: NewBatchJobRecord, by: AuditBy): Promise<BatchJob>;
  getBatchJob(id: string): Promise<BatchJob | undefined>;
  listBatchJobs(projectId: string, page: PageRequest): Promise<Paged<BatchJob>>;
  /** Every job with a schedule, in any project. */
  scheduledBatchJobs(): Promise<BatchJob[]>;
  updateBatchJob(id: string, change: BatchJobUpdate & { nextRunAt?: string | null }, by: AuditBy): Promise<void>;
  /** Deletes the job with its runs and their partitions. */
  deleteBatchJob(id: string, by: AuditBy): Promise<boolean>;
  /**
   * Moves `next_run_at` from `expected` to `next` only if it still is `expected`: of several replicas seeing the
   * same tick, exactly one gets true and starts the run.
   */
  claimBatchTick(jobId: string, expected: string, next: string | null): Promise<boolean>;

  createBatchRun(run: NewBatchRun): Promise<BatchRunRecord>;
  getBatchRun(id: string): Promise<BatchRunRecord | undefined>;
  listBatchRuns(jobId: string, page: PageRequest): Promise<Paged<BatchRunRecord>>;
  updateBatchRun(id: string, change: BatchRunUpdate): Promise<void>;
  /** Runs queued or running, oldest first (to resume after a restart, and to skip overlapping ticks). */
  activeBatchRuns(jobId?: string): Promise<BatchRunRecord[]>;
  /** Records a finished partition (again: the later record wins). */
  recordBatchPartition(runId: string, part: number, rows: number): Promise<void>;
  batchPartitions(runId: string): Promise<{ part: number; rows: number }[]>;
  /** Forgets every finished partition of a run (its input has to be read again). */
  clearBatchPartitions(runId: string): Promise<void>;
}

function toJob(r: BatchJobsTable): BatchJob {
  return {
    id: r.id,
    projectId: r.project_id,
    name: r.name,
    model: r.model_ref,
    source: JSON.parse(r.source) as BatchSource,
    outputDataset: r.output_dataset,
    partitions: Number(r.partitions),
    schedule: r.schedule,
    keepColumns: r.keep_columns === null ? null : (JSON.parse(r.keep_columns) as string[]),
    outputColumns: JSON.parse(r.output_columns) as BatchOutputColumns,
    outputTable: r.output_table === null ? null : (JSON.parse(r.output_table) as BatchOutputTable),
    nextRunAt: r.next_run_at,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

type RunRow = BatchRunsTable & {
  parts_done: number | string | bigint | null;
  rows_done: number | string | bigint | null;
};

function toRun(r: RunRow): BatchRunRecord {
  return {
    id: r.id,
    jobId: r.job_id,
    projectId: r.project_id,
    trigger: r.trigger === 'schedule' ? 'schedule' : 'manual',
    status: r.status as BatchRunStatus,
    modelRef: r.model_ref,
    modelVersion: r.model_version === null ? null : Number(r.model_version),
    artifactKey: r.artifact_key,
    inputDatasetId: r.input_dataset_id,
    inputVersion: r.input_version,
    inputParents: JSON.parse(r.input_parents) as DatasetVersionRef[],
    partitionsTotal: Number(r.partitions_total),
    partitionsDone: Number(r.parts_done ?? 0),
    rowsTotal: r.rows_total === null ? null : Number(r.rows_total),
    rowsDone: Number(r.rows_done ?? 0),
    outputDatasetId: r.output_dataset_id,
    outputVersion: r.output_version,
    outputTable: r.output_table === null ? null : (JSON.parse(r.output_table) as BatchRun['outputTable']),
    error: r.error_code === null ? null : { code: r.error_code, message: r.error_message ?? '' },
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    createdBy: r.created_by,
  };
}

export function batchStore(db: Kysely<Database>): BatchStore {
  const runs = () =>
    db
      .selectFrom('batch_runs as r')
      .selectAll('r')
      .select([
        sql<number>`(select count(*) from batch_run_partitions p where p.run_id = r.id)`.as('parts_done'),
        sql<number>`(select sum(p.rows) from batch_run_partitions p where p.run_id = r.id)`.as('rows_done'),
      ]);

  return {
    async createBatchJob(job, by) {
      const row: BatchJobsTable = {
        id: newId('bj'),
        project_id: job.projectId,
        name: job.name,
        model_ref: job.model,
        source: JSON.stringify(job.source),
        output_dataset: job.outputDataset,
        partitions: job.partitions,
        schedule: job.schedule,
        keep_columns: job.keepColumns === null ? null : JSON.stringify(job.keepColumns),
        output_columns: JSON.stringify(job.outputColumns),
        output_table: job.outputTable === null ? null : JSON.stringify(job.outputTable),
        next_run_at: job.nextRunAt,
        created_at: now(),
        created_by: job.createdBy,
      };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('batch_jobs').values(row).execute();
        await auditWrite(trx, { ...by, projectId: job.projectId }, 'batch_job', row.id);
      });
      return toJob(row);
    },

    async getBatchJob(id) {
      const r = await db.selectFrom('batch_jobs').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toJob(r);
    },

    async listBatchJobs(projectId, page) {
      let q = db
        .selectFrom('batch_jobs')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('id', 'desc')
        .limit(page.limit + 1);
      if (page.after) q = q.where('id', '<', page.after);
      return paged((await q.execute()).map(toJob), page.limit);
    },

    async scheduledBatchJobs() {
      const rows = await db.selectFrom('batch_jobs').selectAll().where('schedule', 'is not', null).execute();
      return rows.map(toJob);
    },

    async updateBatchJob(id, change, by) {
      const set: Partial<BatchJobsTable> = {};
      if (change.model !== undefined) set.model_ref = change.model;
      if (change.source !== undefined) set.source = JSON.stringify(change.source);
      if (change.outputDataset !== undefined) set.output_dataset = change.outputDataset;
      if (change.partitions !== undefined) set.partitions = change.partitions;
      if (change.schedule !== undefined) set.schedule = change.schedule;
      if (change.keepColumns !== undefined) {
        set.keep_columns = change.keepColumns === null ? null : JSON.stringify(change.keepColumns);
      }
      if (change.outputColumns !== undefined) set.output_columns = JSON.stringify(change.outputColumns);
      if (change.outputTable !== undefined) {
        set.output_table = change.outputTable === null ? null : JSON.stringify(change.outputTable);
      }
      if (change.nextRunAt !== undefined) set.next_run_at = change.nextRunAt;
      await db.transaction().execute(async (trx) => {
        if (Object.keys(set).length > 0) await trx.updateTable('batch_jobs').set(set).where('id', '=', id).execute();
        await auditWrite(trx, by, 'batch_job', id);
      });
    },

    async deleteBatchJob(id, by) {
      return db.transaction().execute(async (trx) => {
        const runIds = trx.selectFrom('batch_runs').select('id').where('job_id', '=', id);
        await trx.deleteFrom('batch_run_partitions').where('run_id', 'in', runIds).execute();
        await trx.deleteFrom('batch_runs').where('job_id', '=', id).execute();
        const r = await trx.deleteFrom('batch_jobs').where('id', '=', id).executeTakeFirst();
        if (Number(r.numDeletedRows) === 0) return false;
        await auditWrite(trx, by, 'batch_job', id);
        return true;
      });
    },

    async claimBatchTick(jobId, expected, next) {
      const r = await db
        .updateTable('batch_jobs')
        .set({ next_run_at: next })
        .where('id', '=', jobId)
        .where('next_run_at', '=', expected)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },

    async createBatchRun(run) {
      const row: BatchRunsTable = {
        id: newId('br'),
        job_id: run.jobId,
        project_id: run.projectId,
        trigger: run.trigger,
        status: run.status,
        model_ref: run.modelRef,
        model_version: null,
        artifact_key: null,
        input_dataset_id: null,
        input_version: null,
        input_parents: '[]',
        partitions_total: run.partitionsTotal,
        rows_total: null,
        output_dataset_id: null,
        output_version: null,
        output_table: null,
        error_code: run.error?.code ?? null,
        error_message: run.error?.message ?? null,
        created_at: now(),
        started_at: null,
        finished_at: run.status === 'skipped' ? now() : null,
        created_by: run.createdBy,
      };
      await db.insertInto('batch_runs').values(row).execute();
      return toRun({ ...row, parts_done: 0, rows_done: 0 });
    },

    async getBatchRun(id) {
      const r = await runs().where('r.id', '=', id).executeTakeFirst();
      return r && toRun(r);
    },

    async listBatchRuns(jobId, page) {
      let q = runs()
        .where('r.job_id', '=', jobId)
        .orderBy('r.id', 'desc')
        .limit(page.limit + 1);
      if (page.after) q = q.where('r.id', '<', page.after);
      return paged((await q.execute()).map(toRun), page.limit);
    },

    async updateBatchRun(id, change) {
      const set: Partial<BatchRunsTable> = {};
      if (change.status !== undefined) set.status = change.status;
      if (change.modelVersion !== undefined) set.model_version = change.modelVersion;
      if (change.artifactKey !== undefined) set.artifact_key = change.artifactKey;
      if (change.inputDatasetId !== undefined) set.input_dataset_id = change.inputDatasetId;
      if (change.inputVersion !== undefined) set.input_version = change.inputVersion;
      if (change.inputParents !== undefined) set.input_parents = JSON.stringify(change.inputParents);
      if (change.rowsTotal !== undefined) set.rows_total = change.rowsTotal;
      if (change.outputDatasetId !== undefined) set.output_dataset_id = change.outputDatasetId;
      if (change.outputVersion !== undefined) set.output_version = change.outputVersion;
      if (change.outputTable !== undefined) {
        set.output_table = change.outputTable === null ? null : JSON.stringify(change.outputTable);
      }
      if (change.error !== undefined) {
        set.error_code = change.error?.code ?? null;
        set.error_message = change.error?.message ?? null;
      }
      if (change.startedAt !== undefined) set.started_at = change.startedAt;
      if (change.finishedAt !== undefined) set.finished_at = change.finishedAt;
      if (Object.keys(set).length > 0) await db.updateTable('batch_runs').set(set).where('id', '=', id).execute();
    },

    async activeBatchRuns(jobId) {
      let q = runs().where('r.status', 'in', ['queued', 'running']).orderBy('r.id');
      if (jobId !== undefined) q = q.where('r.job_id', '=', jobId);
      return (await q.execute()).map(toRun);
    },

    async recordBatchPartition(runId, part, rows) {
      const finished = now();
      await db
        .insertInto('batch_run_partitions')
        .values({ run_id: runId, part, rows, finished_at: finished })
        .onConflict((oc) => oc.columns(['run_id', 'part']).doUpdateSet({ rows, finished_at: finished }))
        .execute();
    },

    async batchPartitions(runId) {
      const rows = await db
        .selectFrom('batch_run_partitions')
        .select(['part', 'rows'])
        .where('run_id', '=', runId)
        .orderBy('part')
        .execute();
      return rows.map((r) => ({ part: Number(r.part), rows: Number(r.rows) }));
    },

    async clearBatchPartitions(runId) {
      await db.deleteFrom('batch_run_partitions').where('run_id', '=', runId).execute();
    },
  };
}
