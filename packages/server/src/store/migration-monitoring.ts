// Migration 0016: monitoring. How many records of each logged request fell outside the training profile; drift
// reports (one per comparison of an endpoint's traffic window with a reference, as a time series); and each
// endpoint's drift monitor (schedule, window, reference, per-column tests).

import type { Kysely, Migration } from 'kysely';

export function monitoringMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('inference_log')
        .addColumn('flagged_records', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('drift_reports')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('endpoint_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('window_from', 'text', (c) => c.notNull())
        .addColumn('window_to', 'text', (c) => c.notNull())
        // 'training', or 'window' with reference_from / reference_to.
        .addColumn('reference_kind', 'text', (c) => c.notNull())
        .addColumn('reference_from', 'text')
        .addColumn('reference_to', 'text')
        .addColumn('model_ref', 'text')
        .addColumn('current_rows', 'integer', (c) => c.notNull())
        .addColumn('reference_rows', 'integer', (c) => c.notNull())
        .addColumn('drifted_columns', 'integer', (c) => c.notNull())
        .addColumn('tested_columns', 'integer', (c) => c.notNull())
        .addColumn('dataset_drift', 'integer', (c) => c.notNull())
        .addColumn('columns', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('drift_reports_endpoint_time')
        .on('drift_reports')
        .columns(['endpoint_id', 'created_at'])
        .execute();
      await db.schema
        .createTable('drift_monitors')
        .addColumn('endpoint_id', 'text', (c) => c.primaryKey())
        .addColumn('schedule', 'text')
        .addColumn('window', 'text', (c) => c.notNull())
        .addColumn('reference', 'text', (c) => c.notNull())
        .addColumn('options', 'text', (c) => c.notNull())
        .addColumn('next_run_at', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute();
    },
  };
}
