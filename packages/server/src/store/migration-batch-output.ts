// Migration 0014: a batch job may also write each run's output to a table on one of the project's connections
// (`output_table`, JSON {connection, table, mode}); a run records where it wrote and how many rows (JSON
// {connection, table, rows}). Both null when there is no table.

import type { Kysely, Migration } from 'kysely';

export function batchOutputTableMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // One column per ALTER: SQLite adds only one at a time.
      await db.schema.alterTable('batch_jobs').addColumn('output_table', 'text').execute();
      await db.schema.alterTable('batch_runs').addColumn('output_table', 'text').execute();
    },
  };
}
