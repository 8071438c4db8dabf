// The MetadataStore on Kysely: one implementation for SQLite and PostgreSQL, composed of one part per room.

import type BetterSqlite3 from 'better-sqlite3';
import { Migrator, sql, type Kysely } from 'kysely';
import { auditStore } from './audit-store.js';
import { connectionStore } from './connection-store.js';
import { datasetGovernanceStore } from './dataset-governance-store.js';
import { datasetStore } from './dataset-store.js';
import { endpointStore } from './endpoint-store.js';
import { driftStore } from './drift-store.js';
import { retrainingStore } from './retraining-store.js';
import { gateStore } from './gate-store.js';
import { probeStore } from './probe-store.js';
import { alertStore } from './alert-store.js';
import { experimentStore } from './experiment-store.js';
import { studyStore } from './study-store.js';
import { automlStore } from './automl-store.js';
import { batchStore } from './batch-store.js';
import type { MetadataStore } from './metadata-store.js';
import { migrationProvider, type Dialect } from './migrations.js';
import { modelStore } from './model-store.js';
import { projectStore } from './project-store.js';
import { registryStore } from './registry-store.js';
import { runStore } from './run-store.js';
import type { Database } from './schema.js';
import { userStore } from './user-store.js';

export function createKyselyMetadataStore(
  db: Kysely<Database>,
  dialect: Dialect,
  /** The embedded store's own handle, for the few reads that go faster without Kysely's row objects. */
  sqlite?: BetterSqlite3.Database,
): MetadataStore {
  return {
    dialect,
    async migrate() {
      const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
      const { error } = await migrator.migrateToLatest();
      if (error) throw error instanceof Error ? error : new Error(String(error));
    },
    async close() {
      await db.destroy();
    },
    async ping() {
      await sql`select 1`.execute(db);
    },
    ...userStore(db),
    ...projectStore(db),
    ...datasetStore(db),
    ...datasetGovernanceStore(db),
    ...runStore(db, dialect, sqlite),
    ...experimentStore(db),
    ...studyStore(db),
    ...automlStore(db),
    ...modelStore(db),
    ...endpointStore(db, dialect),
    ...driftStore(db, dialect),
    ...connectionStore(db),
    ...auditStore(db),
    ...registryStore(db),
    ...gateStore(db),
    ...batchStore(db),
    ...probeStore(db),
    ...alertStore(db),
    ...retrainingStore(db),
  };
}
