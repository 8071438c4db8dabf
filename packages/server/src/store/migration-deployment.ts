// Migration 0012: deployment. Endpoints gain canary and shadow routing and a concurrency limit; the inference log says
// which route answered; shadow answers are kept apart (never returned); registered models gain readiness gates and
// versions gain reviews (approvals and rejections).

import type { Kysely, Migration } from 'kysely';

export function deploymentMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('endpoints').addColumn('canary_ref', 'text').execute();
      await db.schema
        .alterTable('endpoints')
        .addColumn('canary_weight', 'real', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema.alterTable('endpoints').addColumn('shadow_ref', 'text').execute();
      await db.schema
        .alterTable('endpoints')
        .addColumn('shadow_sample', 'real', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .alterTable('endpoints')
        .addColumn('max_concurrency', 'integer', (c) => c.notNull().defaultTo(64))
        .execute();
      await db.schema.alterTable('endpoints').addColumn('updated_at', 'text').execute();
      await db.schema
        .alterTable('inference_log')
        .addColumn('route', 'text', (c) => c.notNull().defaultTo('primary'))
        .execute();
      await db.schema.alterTable('inference_log').addColumn('model_ref', 'text').execute();
      await db.schema
        .createTable('shadow_log')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('endpoint_id', 'text', (c) => c.notNull())
        .addColumn('model_ref', 'text', (c) => c.notNull())
        .addColumn('model_version', 'integer')
        .addColumn('outputs', 'text')
        .addColumn('error', 'text')
        .addColumn('latency_ms', 'real', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('shadow_log_endpoint').on('shadow_log').columns(['endpoint_id', 'id']).execute();
      await db.schema
        .createTable('model_gates')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('model_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('config', 'text', (c) => c.notNull())
        .addColumn('aliases', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('model_gates_model').on('model_gates').columns(['model_id']).execute();
      await db.schema
        .createTable('model_version_reviews')
        .addColumn('model_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('decision', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('comment', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('model_version_reviews_pk', ['model_id', 'version', 'user_id'])
        .execute();
    },
  };
}
