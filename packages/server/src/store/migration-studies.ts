// Migration 0009: hyperparameter search studies. A study is a parent run whose trials are child training runs; each
// trial's number is claimed once in `study_trials` (with the run id chosen before the run exists), so a restart can
// finish what a crash interrupted without losing or repeating a trial.

import type { Kysely, Migration } from 'kysely';

export function studiesMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('studies')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
        .addColumn('experiment_id', 'text', (c) => c.notNull().references('experiments.id'))
        .addColumn('run_id', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('dataset_id', 'text', (c) => c.notNull().references('datasets.id'))
        .addColumn('dataset_version', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('task', 'text', (c) => c.notNull())
        .addColumn('algorithm', 'text', (c) => c.notNull())
        .addColumn('space', 'text', (c) => c.notNull())
        .addColumn('params', 'text', (c) => c.notNull())
        .addColumn('sampler', 'text', (c) => c.notNull())
        .addColumn('pruner', 'text', (c) => c.notNull())
        .addColumn('metric', 'text', (c) => c.notNull())
        .addColumn('direction', 'text', (c) => c.notNull())
        .addColumn('parallelism', 'integer', (c) => c.notNull())
        .addColumn('max_trials', 'integer', (c) => c.notNull())
        .addColumn('time_budget_s', 'double precision')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('best_run_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('finished_at', 'text')
        .addColumn('created_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('studies_project').on('studies').columns(['project_id', 'id']).execute();
      await db.schema
        .createTable('study_trials')
        .addColumn('study_id', 'text', (c) => c.notNull().references('studies.id'))
        .addColumn('number', 'integer', (c) => c.notNull())
        .addColumn('run_id', 'text', (c) => c.notNull().unique())
        .addPrimaryKeyConstraint('study_trials_pk', ['study_id', 'number'])
        .execute();
    },
  };
}
