// Migration 0015: feedback. Delayed labels (ground truth) for records an endpoint answered, one row per record of a
// logged request; a later label for the same record replaces the earlier one.

import type { Kysely, Migration } from 'kysely';

export function feedbackMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('inference_feedback')
        .addColumn('endpoint_id', 'text', (c) => c.notNull())
        .addColumn('request_id', 'text', (c) => c.notNull())
        .addColumn('record_index', 'integer', (c) => c.notNull())
        // A class (classification) or null; label_number holds a regression target.
        .addColumn('label', 'text')
        .addColumn('label_number', 'double precision')
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('received_by', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('inference_feedback_pk', ['endpoint_id', 'request_id', 'record_index'])
        .execute();
    },
  };
}
