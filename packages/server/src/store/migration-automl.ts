// Migration 0010: AutoML jobs. A job is a parent run whose candidates (cross-validated baselines, a tuned GBDT from a
// TPE study, and a stacked ensemble) are its child runs; the job row keeps the stage it has reached, so a restart
// carries on from there.

import type { Kysely, Migration } from 'kysely';

export function automlMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('automl_jobs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
        .addColumn('experiment_id', 'text', (c) => c.notNull().references('experiments.id'))
        .addColumn('run_id', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('dataset_id', 'text', (c) => c.notNull().references('datasets.id'))
        .addColumn('dataset_version', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('task', 'text', (c) => c.notNull())
        .addColumn('metric', 'text', (c) => c.notNull())
        .addColumn('direction', 'text', (c) => c.notNull())
        .addColumn('time_budget_s', 'double precision', (c) => c.notNull())
        .addColumn('folds', 'integer', (c) => c.notNull())
        .addColumn('seed', 'integer', (c) => c.notNull())
        .addColumn('register_model', 'text')
        .addColumn('register_alias', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('study_id', 'text')
        .addColumn('leader_run_id', 'text')
        .addColumn('model_version', 'integer')
        .addColumn('error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('automl_jobs_project').on('automl_jobs').columns(['project_id', 'id']).execute();
    },
  };
}
