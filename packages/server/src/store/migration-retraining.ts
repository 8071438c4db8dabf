// Migration 0019: retraining schedules. A cron schedule per model that starts a retraining run from a template on
// every tick (claimed by compare-and-set on next_run_at), and the history of what each tick came to.

import type { Kysely, Migration } from 'kysely';

export function retrainingMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('retrain_schedules')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('model_id', 'text', (c) => c.notNull())
        .addColumn('schedule', 'text', (c) => c.notNull())
        // JSON: a CreateRun body or {run}, as an alert rule's retraining action takes.
        .addColumn('run_template', 'text', (c) => c.notNull())
        .addColumn('register_as', 'text', (c) => c.notNull())
        .addColumn('promote_alias', 'text')
        .addColumn('next_run_at', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('retrain_schedules_model').on('retrain_schedules').column('model_id').execute();
      await db.schema
        .createTable('retrain_schedule_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('schedule_id', 'text', (c) => c.notNull())
        // The tick this run belongs to (the claimed next_run_at), or when it was started by hand.
        .addColumn('tick_at', 'text', (c) => c.notNull())
        .addColumn('started_at', 'text', (c) => c.notNull())
        // training | failed | registered | promoted | gates_failed
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('run_id', 'text')
        .addColumn('model', 'text', (c) => c.notNull())
        .addColumn('model_version', 'integer')
        .addColumn('message', 'text')
        // JSON: the failing gates of a gates_failed outcome.
        .addColumn('failing', 'text')
        .addColumn('finished_at', 'text')
        .execute();
      await db.schema
        .createIndex('retrain_schedule_runs_schedule')
        .on('retrain_schedule_runs')
        .columns(['schedule_id', 'started_at'])
        .execute();
    },
  };
}
