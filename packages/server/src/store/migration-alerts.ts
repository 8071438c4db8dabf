// Migration 0017: alerts. Rules on an endpoint's metrics (the webhook secret only sealed), the history of alerts they
// and raised events fired, and the durable outbox of webhook deliveries, which a restarted server picks up again.

import type { Kysely, Migration } from 'kysely';

export function alertsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('alert_rules')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
        .addColumn('endpoint_id', 'text', (c) => c.notNull().references('endpoints.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('metric', 'text', (c) => c.notNull())
        .addColumn('window', 'text', (c) => c.notNull())
        .addColumn('comparison', 'text', (c) => c.notNull())
        .addColumn('threshold', 'double precision', (c) => c.notNull())
        .addColumn('min_samples', 'integer', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('webhook_url', 'text')
        .addColumn('webhook_secret', 'text')
        .addColumn('action', 'text')
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('cooldown', 'text', (c) => c.notNull())
        .addColumn('last_evaluation', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text')
        .addUniqueConstraint('alert_rules_endpoint_name', ['endpoint_id', 'name'])
        .execute();
      await db.schema
        .createTable('alerts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('project_id', 'text', (c) => c.notNull())
        .addColumn('endpoint_id', 'text', (c) => c.notNull())
        .addColumn('rule_id', 'text')
        .addColumn('rule_name', 'text')
        .addColumn('metric', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('value', 'double precision')
        .addColumn('threshold', 'double precision')
        .addColumn('comparison', 'text')
        .addColumn('window', 'text')
        .addColumn('samples', 'integer')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('delivery_status', 'text', (c) => c.notNull())
        .addColumn('action', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('resolved_at', 'text')
        .execute();
      await db.schema.createIndex('alerts_endpoint').on('alerts').columns(['endpoint_id', 'id']).execute();
      await db.schema.createIndex('alerts_rule').on('alerts').columns(['rule_id', 'id']).execute();
      await db.schema
        .createTable('webhook_deliveries')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('alert_id', 'text', (c) => c.notNull())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        // The HMAC of the payload, computed when the delivery was queued: the secret itself never enters the outbox.
        .addColumn('signature', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', 'text')
        .addColumn('last_error', 'text')
        .addColumn('history', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('delivered_at', 'text')
        .execute();
      await db.schema
        .createIndex('webhook_deliveries_due')
        .on('webhook_deliveries')
        .columns(['status', 'next_attempt_at'])
        .execute();
      await db.schema.createIndex('webhook_deliveries_alert').on('webhook_deliveries').column('alert_id').execute();
    },
  };
}
