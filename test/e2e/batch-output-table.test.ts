// Batch jobs writing their output to a table on a PostgreSQL connection, on a real server: replace and append runs
// whose table holds the registered output version's rows, an append to a table with other columns failing the run
// (the version stays), a connection that fails without leaking its password, validation at create and change, and
// `modelyard batch create --output-table`.

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardClient, type BatchRun, type NewBatchJob } from '@modelyard/client';
import { runCli } from '../../packages/server/src/cli/run-cli.js';
import { specOf, TEST_POSTGRES_URL } from '../../packages/server/src/connectors/test-connections.js';
import { apiFailure } from '../helpers/api-calls.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const PASSWORD = 'E2e-Output-Pa55word';
const schema = `modelyard_bt_${randomBytes(4).toString('hex')}`;

let server: TestServer;
let admin: ModelyardClient;
let db: pg.Client;

beforeAll(async () => {
  server = await startTestServer({ demo: true });
  admin = new ModelyardClient({ baseUrl: server.url, token: server.token });
  db = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await db.connect();
  await db.query(`CREATE SCHEMA ${schema}`);
  // PostgreSQL here trusts local users, so the password is only carried along (and must never come back).
  const { kind, ...spec } = specOf('postgres', TEST_POSTGRES_URL);
  await admin.createConnection('demo', { name: 'warehouse', kind, ...spec, password: PASSWORD });
  await admin.createConnection('demo', { name: 'nowhere', kind, ...spec, port: 1, password: PASSWORD });
  const run = await admin.createRun('demo', {
    dataset: 'credit_data',
    target: 'Status',
    task: 'classification',
    algorithm: 'gbdt',
    params: { nTrees: 20, maxDepth: 3, learningRate: 0.1 },
  });
  expect((await admin.waitForRun(run.id, { intervalMs: 100, timeoutMs: 120_000 })).status).toBe('succeeded');
  const model = await admin.createModel('demo', { name: 'credit-gbdt' });
  const version = await admin.registerModelVersion(model.id, run.id);
  await admin.setAlias(model.id, 'champion', version.version);
}, 180_000);

afterAll(async () => {
  await db?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
  await db?.end();
  await server?.close();
});

async function waitForRun(id: string): Promise<BatchRun> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const run = await admin.getBatchRun(id);
    if (run.status === 'succeeded' || run.status === 'failed') return run;
    if (Date.now() > deadline) throw new Error(`batch run ${id} still ${run.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function runJob(jobId: string): Promise<BatchRun> {
  return waitForRun((await admin.runBatchJob(jobId)).id);
}

/** Every row of a dataset version's snapshot as JS values (bigints as numbers), in file order. */
async function snapshotRows(datasetId: string, version: string): Promise<Record<string, unknown>[]> {
  const { store, artifacts, duck } = server.server.services;
  const v = (await store.getDatasetVersion(datasetId, version))!;
  return artifacts.withLocalFile(v.snapshotKey, (path) =>
    duck.withConnection(async (c) => {
      const r = await c.runAndReadAll(`SELECT * FROM read_parquet('${path.replace(/'/g, "''")}')`);
      return r
        .getRowObjectsJS()
        .map((row) =>
          Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
        );
    }),
  );
}

const base = (name: string, table: string, mode: 'replace' | 'append'): NewBatchJob => ({
  name,
  model: 'credit-gbdt@champion',
  source: { kind: 'dataset', dataset: 'credit_data', version: null },
  outputDataset: `${name.replace(/-/g, '_')}_out`,
  partitions: 2,
  outputTable: { connection: 'warehouse', table: `${schema}.${table}`, mode },
});

const count = async (table: string) =>
  Number((await db.query(`SELECT count(*) AS n FROM ${schema}.${table}`)).rows[0].n);

describe('batch output tables', () => {
  it('writes the registered output version to a table, replacing it on every run or appending', async () => {
    const job = await admin.createBatchJob('demo', base('to-table', 'credit_scores', 'replace'));
    expect(job.outputTable).toEqual({ connection: 'warehouse', table: `${schema}.credit_scores`, mode: 'replace' });
    const run = await runJob(job.id);
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
    expect(run.outputTable).toEqual({ connection: 'warehouse', table: `${schema}.credit_scores`, rows: run.rowsTotal });

    const rows = await snapshotRows(run.outputDatasetId!, run.outputVersion!);
    expect(await count('credit_scores')).toBe(rows.length);
    // The same columns in the same order, typed from the snapshot.
    const columns = await db.query<{ name: string; type: string }>(
      'SELECT column_name AS name, data_type AS type FROM information_schema.columns ' +
        'WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position',
      [schema, 'credit_scores'],
    );
    expect(columns.rows.map((c) => c.name)).toEqual(Object.keys(rows[0]!));
    const typeOf = new Map(columns.rows.map((c) => [c.name, c.type]));
    expect([typeOf.get('probability'), typeOf.get('label'), typeOf.get('Seniority')]).toEqual([
      'double precision',
      'text',
      'bigint',
    ]);
    // Row for row the same values: each snapshot row's (Seniority, Income, probability, label) is in the table as
    // often as in the snapshot.
    const key = (r: Record<string, unknown>) => JSON.stringify([r.Seniority, r.Income, r.probability, r.label]);
    const table = await db.query(
      `SELECT "Seniority"::float8 AS "Seniority", "Income"::float8 AS "Income", probability, label ` +
        `FROM ${schema}.credit_scores`,
    );
    expect(table.rows.map(key).sort()).toEqual(rows.map(key).sort());

    // Replace: a second run leaves this run's rows only.
    const again = await runJob(job.id);
    expect(again.status).toBe('succeeded');
    expect(await count('credit_scores')).toBe(rows.length);

    // Append: a change of mode, and each run adds its rows.
    const changed = await admin.updateBatchJob(job.id, {
      outputTable: { connection: 'warehouse', table: `${schema}.credit_scores`, mode: 'append' },
    });
    expect(changed.outputTable?.mode).toBe('append');
    const appended = await runJob(job.id);
    expect(appended.status).toBe('succeeded');
    expect(appended.outputTable?.rows).toBe(rows.length);
    expect(await count('credit_scores')).toBe(2 * rows.length);

    // No table: the job goes back to the dataset alone.
    expect((await admin.updateBatchJob(job.id, { outputTable: null })).outputTable).toBeNull();
    const plain = await runJob(job.id);
    expect([plain.status, plain.outputTable]).toEqual(['succeeded', null]);
    expect(await count('credit_scores')).toBe(2 * rows.length);
  });

  it('fails the run, keeping the registered version, when the table cannot take the rows', async () => {
    await db.query(`CREATE TABLE ${schema}.other_columns (id bigint, note text)`);
    await db.query(`INSERT INTO ${schema}.other_columns VALUES (1, 'kept')`);
    const job = await admin.createBatchJob('demo', base('mismatch', 'other_columns', 'append'));
    const run = await runJob(job.id);
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('output_table_mismatch');
    expect(run.error?.message).toContain("'probability'");
    expect(run.outputVersion).not.toBeNull();
    expect(run.outputTable).toBeNull();
    expect(await count('other_columns')).toBe(1);

    const unreachable = await admin.createBatchJob('demo', {
      ...base('unreachable', 'never', 'replace'),
      outputTable: { connection: 'nowhere', table: `${schema}.never`, mode: 'replace' },
    });
    const failed = await runJob(unreachable.id);
    expect([failed.status, failed.error?.code]).toEqual(['failed', 'connection_failed']);
    expect(JSON.stringify(failed)).not.toContain(PASSWORD);
    expect(failed.outputVersion).not.toBeNull();
  });

  it('refuses bad table names and unknown connections at create and change', async () => {
    const bad = await apiFailure(
      admin.createBatchJob('demo', {
        ...base('bad-name', 'x', 'replace'),
        outputTable: { connection: 'warehouse', table: 'a.b.c', mode: 'replace' },
      }),
    );
    expect([bad.status, bad.code]).toEqual([400, 'invalid_table_name']);
    const unknown = await apiFailure(
      admin.createBatchJob('demo', {
        ...base('unknown-conn', 'x', 'replace'),
        outputTable: { connection: 'no-such', table: 'x', mode: 'replace' },
      }),
    );
    expect([unknown.status, unknown.code]).toEqual([404, 'connection_not_found']);
    const job = await admin.createBatchJob('demo', { ...base('later', 'x', 'replace'), outputTable: null });
    const patched = await apiFailure(
      admin.updateBatchJob(job.id, { outputTable: { connection: 'warehouse', table: 'x;drop', mode: 'append' } }),
    );
    expect(patched.code).toBe('invalid_table_name');
    expect((await admin.getBatchJob(job.id)).outputTable).toBeNull();
  });

  it('takes --output-table and --output-mode in modelyard batch create', async () => {
    const configDir = await mkdtemp(join(tmpdir(), 'modelyard-cli-batch-table-'));
    const cli = async (argv: string[]) => {
      let stdout = '';
      let stderr = '';
      const code = await runCli([...argv, '--json'], {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text), isTTY: false },
        env: { MODELYARD_CONFIG_DIR: configDir, MODELYARD_PROJECT: 'demo', HOME: configDir },
        cwd: configDir,
      });
      return { code, stdout, stderr };
    };
    try {
      expect((await cli(['login', '--url', server.url, '--token', server.token])).code).toBe(0);
      const args = ['batch', 'create', 'cli-table', '--model', 'credit-gbdt@champion', '--dataset', 'credit_data'];
      const wrong = await cli([...args, '--output', 'cli_table_out', '--output-table', 'no-colon']);
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toContain('invalid_output_table');
      const created = await cli([
        ...args,
        '--output',
        'cli_table_out',
        '--output-table',
        `warehouse:${schema}.cli_scores`,
        '--output-mode',
        'append',
      ]);
      expect(created.stderr).toBe('');
      expect(JSON.parse(created.stdout).outputTable).toEqual({
        connection: 'warehouse',
        table: `${schema}.cli_scores`,
        mode: 'append',
      });
    } finally {
      await rm(configDir, { recursive: true, force: true });
    }
  });
});
