// Migration 0020: what an alert rule's metric is about (`options`, JSON {column?, positiveClass?, minGroupSize?}),
// which the fairness metrics need to know the column they slice by; null for every other rule.

import type { Kysely, Migration } from 'kysely';

export function alertOptionsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('alert_rules').addColumn('options', 'text').execute();
    },
  };
}
