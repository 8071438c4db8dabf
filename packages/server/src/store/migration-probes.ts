// Migration 0018: ground-truth probes. One probe set per registered model (records with expected outputs, and how
// often live endpoints are probed), and every run of a set against a version or an endpoint's route.

import type { Kysely, Migration } from 'kysely';

export function probesMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('probe_sets')
        .addColumn('model_id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull())
        // JSON list of probes: {name, record, expect}.
        .addColumn('probes', 'text', (c) => c.notNull())
        // Minutes between live probes of the model's endpoints; null when they are not probed on a schedule.
        .addColumn('every_minutes', 'integer')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('probe_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('model_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        // Null for a run against a version; the endpoint and route (primary, canary, shadow) for a live run.
        .addColumn('endpoint_id', 'text')
        .addColumn('route', 'text')
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('passed', 'integer', (c) => c.notNull())
        .addColumn('failed', 'integer', (c) => c.notNull())
        // JSON list of results: {name, passed, actual, reason}.
        .addColumn('results', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('probe_runs_endpoint').on('probe_runs').columns(['endpoint_id', 'id']).execute();
      await db.schema
        .createIndex('probe_runs_version')
        .on('probe_runs')
        .columns(['model_id', 'version', 'id'])
        .execute();
    },
  };
}
