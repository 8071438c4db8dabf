// Migration 0011: the dataset versions a run read besides its training data (a tracked run's inputs, MLflow's
// log-inputs), so lineage reaches runs logged from outside too.

import type { Kysely, Migration } from 'kysely';

export function runInputsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('run_inputs')
        .addColumn('run_id', 'text', (c) => c.notNull())
        .addColumn('dataset_id', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('context', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('run_inputs_pk', ['run_id', 'dataset_id', 'version'])
        .execute();
      await db.schema.createIndex('run_inputs_version').on('run_inputs').columns(['dataset_id', 'version']).execute();
    },
  };
}
