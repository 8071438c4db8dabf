// Migration 0007: experiment tracking. Runs become general (a training run is one kind; runs logged from outside,
// e.g. through the MLflow API, are another), belong to an experiment, and keep params, tags and metric history in
// their own tables, indexed for search.

import { sql, type Kysely, type Migration } from 'kysely';
import { newId } from './ids.js';
import type { Dialect } from './migrations.js';

type Db = Kysely<unknown>;

interface OldRun {
  id: string;
  project_id: string;
  params: string;
  metrics: string;
  created_at: string;
  finished_at: string | null;
}

/** Runs columns after this migration, in order (SQLite rebuilds the table with them). */
const RUN_COLUMNS = [
  'id',
  'project_id',
  'experiment_id',
  'parent_run_id',
  'name',
  'kind',
  'status',
  'lifecycle_stage',
  'task',
  'algorithm',
  'target',
  'dataset_id',
  'dataset_version',
  'params',
  'progress',
  'error',
  'environment',
  'artifact_key',
  'created_at',
  'started_at',
  'finished_at',
  'duration_ms',
  'created_by',
  'deleted_at',
] as const;

async function createTrackingTables(db: Db, dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('experiments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('project_id', 'text', (c) => c.notNull().references('projects.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('lifecycle_stage', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addUniqueConstraint('experiments_project_name', ['project_id', 'name'])
    .execute();
  await db.schema
    .createTable('experiment_tags')
    .addColumn('experiment_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('experiment_tags_pk', ['experiment_id', 'key'])
    .execute();
  for (const table of ['run_params', 'run_tags'] as const) {
    await db.schema
      .createTable(table)
      .addColumn('run_id', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('value', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['run_id', 'key'])
      .execute();
    await db.schema.createIndex(`${table}_key_value`).on(table).columns(['key', 'value', 'run_id']).execute();
  }
  // Every logged point, in arrival order; NaN is kept as a flag because SQLite stores NaN as NULL.
  await db.schema
    .createTable('run_metrics')
    .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
      dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
    )
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision')
    .addColumn('is_nan', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('step', 'bigint', (c) => c.notNull())
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('run_metrics_history').on('run_metrics').columns(['run_id', 'key', 'id']).execute();
  // The latest point per run and key (greatest step, then timestamp, then value), what search filters and sorts on.
  await db.schema
    .createTable('run_latest_metrics')
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'double precision')
    .addColumn('is_nan', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('step', 'bigint', (c) => c.notNull())
    .addColumn('timestamp', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('run_latest_metrics_pk', ['run_id', 'key'])
    .execute();
  // Search walks this index in order when sorting by one metric (run_id breaks ties in the same order).
  await db.schema
    .createIndex('run_latest_metrics_key_value')
    .on('run_latest_metrics')
    .columns(['key', 'value', 'run_id'])
    .execute();
}

/** SQLite cannot drop NOT NULL or columns in place: the runs table is rebuilt, with foreign keys off meanwhile. */
async function rebuildRunsSqlite(db: Db): Promise<void> {
  await sql`PRAGMA foreign_keys = OFF`.execute(db);
  try {
    await sql`BEGIN IMMEDIATE`.execute(db);
    await sql`CREATE TABLE runs_new (
      id text PRIMARY KEY,
      project_id text NOT NULL REFERENCES projects(id),
      experiment_id text NOT NULL REFERENCES experiments(id),
      parent_run_id text,
      name text NOT NULL,
      kind text NOT NULL,
      status text NOT NULL,
      lifecycle_stage text NOT NULL DEFAULT 'active',
      task text,
      algorithm text,
      target text,
      dataset_id text REFERENCES datasets(id),
      dataset_version text,
      params text NOT NULL,
      progress double precision NOT NULL DEFAULT 0,
      error text,
      environment text,
      artifact_key text,
      created_at text NOT NULL,
      started_at text,
      finished_at text,
      duration_ms double precision,
      created_by text NOT NULL,
      deleted_at text
    )`.execute(db);
    const columns = sql.join(RUN_COLUMNS.map((c) => sql.ref(c)));
    await sql`INSERT INTO runs_new (${columns})
      SELECT id, project_id, (SELECT e.id FROM experiments e WHERE e.project_id = runs.project_id AND e.name = 'Default'),
        NULL, name, 'training', status, 'active', task, algorithm, target, dataset_id, dataset_version, params,
        progress, error, environment, artifact_key, created_at, started_at, finished_at, duration_ms, created_by, NULL
      FROM runs`.execute(db);
    await sql`DROP TABLE runs`.execute(db);
    await sql`ALTER TABLE runs_new RENAME TO runs`.execute(db);
    const problems = await sql`PRAGMA foreign_key_check`.execute(db);
    if (problems.rows.length > 0) throw new Error(`runs rebuild broke foreign keys: ${JSON.stringify(problems.rows)}`);
    await sql`COMMIT`.execute(db);
  } catch (error) {
    await sql`ROLLBACK`.execute(db).catch(() => undefined);
    throw error;
  } finally {
    await sql`PRAGMA foreign_keys = ON`.execute(db);
  }
}

async function alterRunsPostgres(db: Db): Promise<void> {
  await sql`ALTER TABLE runs
    ADD COLUMN experiment_id text REFERENCES experiments(id),
    ADD COLUMN parent_run_id text,
    ADD COLUMN kind text NOT NULL DEFAULT 'training',
    ADD COLUMN lifecycle_stage text NOT NULL DEFAULT 'active',
    ADD COLUMN deleted_at text,
    ALTER COLUMN task DROP NOT NULL,
    ALTER COLUMN algorithm DROP NOT NULL,
    ALTER COLUMN target DROP NOT NULL,
    ALTER COLUMN dataset_id DROP NOT NULL,
    ALTER COLUMN dataset_version DROP NOT NULL,
    DROP COLUMN metrics`.execute(db);
  await sql`UPDATE runs SET experiment_id =
    (SELECT e.id FROM experiments e WHERE e.project_id = runs.project_id AND e.name = 'Default')`.execute(db);
  await sql`ALTER TABLE runs ALTER COLUMN experiment_id SET NOT NULL, ALTER COLUMN kind DROP DEFAULT`.execute(db);
}

/** Params and final metrics of runs made before this migration move into their tables. */
async function copyRunData(db: Db, runs: OldRun[]): Promise<void> {
  for (const run of runs) {
    const params = Object.entries(JSON.parse(run.params) as Record<string, unknown>);
    if (params.length > 0) {
      await db
        .insertInto('run_params' as never)
        .values(params.map(([key, value]) => ({ run_id: run.id, key, value: String(value) })) as never)
        .execute();
    }
    const metrics = Object.entries(JSON.parse(run.metrics) as Record<string, number | null>);
    if (metrics.length === 0) continue;
    const timestamp = Date.parse(run.finished_at ?? run.created_at);
    const points = metrics.map(([key, value]) => ({
      run_id: run.id,
      key,
      value: value === null || Number.isNaN(value) ? null : value,
      is_nan: value === null || Number.isNaN(value) ? 1 : 0,
      step: 0,
      timestamp,
    }));
    await db
      .insertInto('run_metrics' as never)
      .values(points as never)
      .execute();
    await db
      .insertInto('run_latest_metrics' as never)
      .values(points as never)
      .execute();
  }
}

export function trackingMigration(dialect: Dialect): Migration {
  return {
    async up(db: Db) {
      await createTrackingTables(db, dialect);
      // Every project gets its Default experiment, which holds the runs made so far.
      const at = new Date().toISOString();
      const projects = await sql<{ id: string; created_by: string }>`SELECT id, created_by FROM projects`.execute(db);
      for (const p of projects.rows) {
        await sql`INSERT INTO experiments (id, project_id, name, description, lifecycle_stage, created_at, updated_at, created_by)
          VALUES (${newId('exp')}, ${p.id}, 'Default', '', 'active', ${at}, ${at}, ${p.created_by})`.execute(db);
      }
      const old = await sql<OldRun>`SELECT id, project_id, params, metrics, created_at, finished_at FROM runs`.execute(
        db,
      );
      if (dialect === 'sqlite') await rebuildRunsSqlite(db);
      else await alterRunsPostgres(db);
      await copyRunData(db, old.rows);
      await db.schema.createIndex('runs_project').ifNotExists().on('runs').columns(['project_id', 'id']).execute();
      await db.schema.createIndex('runs_status').ifNotExists().on('runs').column('status').execute();
      await db.schema
        .createIndex('runs_dataset_version')
        .ifNotExists()
        .on('runs')
        .columns(['dataset_id', 'dataset_version'])
        .execute();
      await db.schema
        .createIndex('runs_experiment')
        .on('runs')
        .columns(['experiment_id', 'lifecycle_stage', 'id'])
        .execute();
      await db.schema.createIndex('runs_parent').on('runs').column('parent_run_id').execute();
    },
  };
}
