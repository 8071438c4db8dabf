// Migration 0013: batch scoring. A job names a model reference, a source and an output dataset (and maybe a cron
// schedule, claimed by compare-and-set on next_run_at); a run records what it resolved and each partition it
// finished, so a restarted server resumes the run from the partitions still missing.

import type { Kysely, Migration } from 'kysely';

export function batchMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('batch_jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('model_ref', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('output_dataset', 'text', (c) => c.notNull())
        .addColumn('partitions', 'integer', (c) => c.notNull())
        .addColumn('schedule', 'text')
        .addColumn('keep_columns', 'text')
        .addColumn('output_columns', 'text', (c) => c.notNull())
        .addColumn('next_run_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addUniqueConstraint('batch_jobs_project_name', ['project_id', 'name'])
        .execute();
      await db.schema
        .createTable('batch_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('job_id', 'text', (c) => c.notNull().references('batch_jobs.id'))
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('model_ref', 'text', (c) => c.notNull())
        .addColumn('model_version', 'integer')
        .addColumn('artifact_key', 'text')
        .addColumn('input_dataset_id', 'text')
        .addColumn('input_version', 'text')
        .addColumn('input_parents', 'text', (c) => c.notNull())
        .addColumn('partitions_total', 'integer', (c) => c.notNull())
        .addColumn('rows_total', 'bigint')
        .addColumn('output_dataset_id', 'text')
        .addColumn('output_version', 'text')
        .addColumn('error_code', 'text')
        .addColumn('error_message', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text')
        .addColumn('finished_at', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('batch_runs_job').on('batch_runs').columns(['job_id', 'id']).execute();
      await db.schema.createIndex('batch_runs_status').on('batch_runs').column('status').execute();
      await db.schema
        .createTable('batch_run_partitions')
        .addColumn('run_id', 'text', (c) => c.notNull().references('batch_runs.id'))
        .addColumn('part', 'integer', (c) => c.notNull())
        .addColumn('rows', 'bigint', (c) => c.notNull())
        .addColumn('finished_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('batch_run_partitions_pk', ['run_id', 'part'])
        .execute();
    },
  };
}
