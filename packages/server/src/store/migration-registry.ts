// Migration 0008: what the MLflow model registry keeps beyond our models and versions: tags on both, a version's
// source URI and description, and when each was last changed. Columns are added in place (nullable or defaulted), so
// neither dialect rebuilds a table.

import type { Kysely, Migration } from 'kysely';

type Db = Kysely<unknown>;

export function registryMigration(): Migration {
  return {
    async up(db: Db) {
      // One ADD COLUMN per statement: SQLite accepts no more.
      await db.schema.alterTable('models').addColumn('updated_at', 'text').execute();
      await db.schema.alterTable('model_versions').addColumn('source', 'text').execute();
      await db.schema
        .alterTable('model_versions')
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .execute();
      await db.schema.alterTable('model_versions').addColumn('updated_at', 'text').execute();
      await db.schema
        .createTable('model_tags')
        .addColumn('model_id', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('model_tags_pk', ['model_id', 'key'])
        .execute();
      await db.schema
        .createTable('model_version_tags')
        .addColumn('model_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('model_version_tags_pk', ['model_id', 'version', 'key'])
        .execute();
    },
  };
}
