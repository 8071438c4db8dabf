// Upgrading a store that already holds training runs: they move into each project's Default experiment with their
// params and metrics, and model versions still point at them.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migrationProvider, type Dialect } from './migrations.js';
import { openPostgresStore, openSqliteStore } from './open-metadata-store.js';
import { createPostgresDatabase } from './test-databases.js';

async function seedAt0006(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
  const { error } = await migrator.migrateTo('0006_dataset_governance');
  if (error) throw error instanceof Error ? error : new Error(String(error));
  const at = '2026-01-02T03:04:05.000Z';
  await sql`INSERT INTO users (id, name, is_admin, created_at) VALUES ('usr_a', 'ann', 1, ${at})`.execute(db);
  await sql`INSERT INTO projects (id, name, description, created_at, created_by)
    VALUES ('prj_a', 'alpha', '', ${at}, 'usr_a'), ('prj_b', 'beta', '', ${at}, 'usr_a')`.execute(db);
  await sql`INSERT INTO datasets (id, project_id, name, description, created_at, created_by, retention)
    VALUES ('ds_a', 'prj_a', 'd', '', ${at}, 'usr_a', NULL)`.execute(db);
  await sql`INSERT INTO runs (id, project_id, name, status, task, algorithm, target, dataset_id, dataset_version,
      params, metrics, progress, error, environment, artifact_key, created_at, started_at, finished_at, duration_ms,
      created_by)
    VALUES ('run_a', 'prj_a', 'first', 'succeeded', 'classification', 'glm', 'y', 'ds_a', 'abcd',
      ${JSON.stringify({ lambda: 0.01, family: 'binomial' })}, ${JSON.stringify({ auc: 0.91, train_rows: 80 })}, 1,
      NULL, NULL, 'models/run_a.json', ${at}, ${at}, '2026-01-02T03:04:06.500Z', 1500, 'usr_a')`.execute(db);
  await sql`INSERT INTO models (id, project_id, name, description, created_at, created_by)
    VALUES ('mdl_a', 'prj_a', 'm', '', ${at}, 'usr_a')`.execute(db);
  await sql`INSERT INTO model_versions (model_id, version, run_id, created_at, created_by)
    VALUES ('mdl_a', 1, 'run_a', ${at}, 'usr_a')`.execute(db);
}

async function checkUpgraded(store: ReturnType<typeof openSqliteStore>): Promise<void> {
  await store.migrate();
  const run = (await store.getRun('run_a'))!;
  const experiment = (await store.getExperiment(run.experimentId))!;
  expect([experiment.name, experiment.projectId]).toEqual(['Default', 'prj_a']);
  expect((await store.getExperimentByName('prj_b', 'Default'))?.projectId).toBe('prj_b');
  expect(run).toMatchObject({
    kind: 'training',
    status: 'succeeded',
    lifecycleStage: 'active',
    parentRunId: null,
    params: { lambda: 0.01, family: 'binomial' },
    metrics: { auc: 0.91, train_rows: 80 },
    datasetId: 'ds_a',
    artifactKey: 'models/run_a.json',
    durationMs: 1500,
  });
  const history = await store.metricHistory('run_a', 'auc', { limit: 10 });
  expect(history.points).toEqual([
    { key: 'auc', value: 0.91, step: 0, timestamp: Date.parse('2026-01-02T03:04:06.500Z') },
  ]);
  expect((await store.listModelVersionsOfRun('run_a')).map((v) => v.version)).toEqual([1]);
  expect((await store.listRunsOfDatasetVersion('ds_a', 'abcd')).map((r) => r.id)).toEqual(['run_a']);
}

describe('migration 0007 (tracking) over existing runs', () => {
  it('upgrades a SQLite store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'modelyard-migrate-'));
    try {
      const path = join(dir, 'metadata.sqlite');
      const sqlite = new Database(path);
      sqlite.pragma('foreign_keys = ON');
      const db = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
      await seedAt0006(db, 'sqlite');
      await db.destroy();
      const store = openSqliteStore(path);
      try {
        await checkUpgraded(store);
      } finally {
        await store.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('upgrades a PostgreSQL store', async () => {
    const database = await createPostgresDatabase();
    try {
      const db = new Kysely<unknown>({
        dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: database.url, max: 2 }) }),
      });
      await seedAt0006(db, 'postgres');
      await db.destroy();
      const store = openPostgresStore(database.url);
      try {
        await checkUpgraded(store);
      } finally {
        await store.close();
      }
    } finally {
      await database.drop();
    }
  });
});
