// SQL datasets end to end on real PostgreSQL and MariaDB servers (started by .ci/run where missing): a connection is
// added and tested, a SELECT becomes a versioned dataset, a refresh without changes keeps the version, an insert makes
// a new one, and a model trains on it.

import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardClient, type ConnectionKind } from '@modelyard/client';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { apiFailure } from '../helpers/api-calls.js';
import { specOf, TEST_MYSQL_URL, TEST_POSTGRES_URL } from '../../packages/server/src/connectors/test-connections.js';

const TABLE = `modelyard_sql_e2e_${process.pid}`;
const WAIT = { intervalMs: 100, timeoutMs: 60_000 };

let server: TestServer;
let client: ModelyardClient;

interface Database {
  kind: Extract<ConnectionKind, 'postgres' | 'mysql'>;
  url: string;
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** 120 loan-like rows: the target depends on income and the purpose, with some noise and a few missing incomes. */
function rowsSql(from: number, to: number): string {
  const values: string[] = [];
  for (let i = from; i < to; i++) {
    const income = i % 17 === 0 ? 'NULL' : String(1000 + ((i * 7919) % 5000));
    const purpose = ['car', 'house', 'study'][i % 3]!;
    const good = 1000 + ((i * 7919) % 5000) > 3000 !== (i % 11 === 0) ? 1 : 0;
    values.push(`(${i}, ${income}, '${purpose}', ${good})`);
  }
  return `INSERT INTO ${TABLE} (id, income, purpose, good) VALUES ${values.join(', ')}`;
}

async function openDatabase(kind: Database['kind']): Promise<Database> {
  if (kind === 'postgres') {
    const connection = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await connection.connect();
    return {
      kind,
      url: TEST_POSTGRES_URL,
      exec: async (sql) => void (await connection.query(sql)),
      close: () => connection.end(),
    };
  }
  const connection = await mysql.createConnection(TEST_MYSQL_URL);
  return {
    kind,
    url: TEST_MYSQL_URL,
    exec: async (sql) => void (await connection.query(sql)),
    close: () => connection.end(),
  };
}

beforeAll(async () => {
  server = await startTestServer({ demo: false });
  client = new ModelyardClient({ baseUrl: server.url, token: server.token });
  await client.createProject({ name: 'warehouse' });
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe.each(['postgres', 'mysql'] as const)('a SQL dataset on %s', (kind) => {
  let db: Database;

  beforeAll(async () => {
    db = await openDatabase(kind);
    await db.exec(`DROP TABLE IF EXISTS ${TABLE}`);
    await db.exec(
      `CREATE TABLE ${TABLE} (id INTEGER PRIMARY KEY, income DOUBLE PRECISION, purpose VARCHAR(20), good INTEGER)`,
    );
    await db.exec(rowsSql(0, 120));
  });

  afterAll(async () => {
    await db?.exec(`DROP TABLE IF EXISTS ${TABLE}`);
    await db?.close();
  });

  it('is registered, kept on an unchanged refresh, versioned again after an insert, and trained on', async () => {
    const { kind: _kind, ...spec } = specOf(kind, db.url);
    const connection = await client.createConnection('warehouse', { name: `${kind}-main`, kind, ...spec });
    expect((await client.testConnection(connection.id)).ok).toBe(true);

    const sql = `SELECT id, income, purpose, good FROM ${TABLE} ORDER BY id`;
    const created = await client.createDatasetFromSql('warehouse', {
      name: `loans-${kind}`,
      connection: connection.name,
      sql,
    });
    const first = created.latestVersion!;
    expect(first.rows).toBe(120);
    expect(first.source).toBe(`sql:${kind}-main`);
    expect(first.profile.columns.map((c) => c.name)).toEqual(['id', 'income', 'purpose', 'good']);

    const unchanged = await client.refreshDataset(created.id);
    expect(unchanged.latestVersion!.version).toBe(first.version);
    expect((await client.listDatasetVersions(created.id)).items).toHaveLength(1);

    await db.exec(rowsSql(120, 121));
    const refreshed = await client.refreshDataset(created.id);
    expect(refreshed.latestVersion!.version).not.toBe(first.version);
    expect(refreshed.latestVersion!.rows).toBe(121);
    expect((await client.listDatasetVersions(created.id)).items).toHaveLength(2);

    const run = await client.createRun('warehouse', {
      dataset: created.id,
      target: 'good',
      task: 'classification',
      algorithm: 'gbdt',
      params: { nTrees: 20, maxDepth: 3, seed: 1 },
    });
    const done = await client.waitForRun(run.id, WAIT);
    expect(done.status).toBe('succeeded');
    expect(done.datasetVersion).toBe(refreshed.latestVersion!.version);
    expect(done.metrics.auc).toBeGreaterThan(0.6);
  }, 90_000);

  it('refuses statements that are not one SELECT, and reports query errors as 422', async () => {
    const name = `${kind}-main`;
    const notSelect = await apiFailure(
      client.createDatasetFromSql('warehouse', { name: 'bad', connection: name, sql: `DELETE FROM ${TABLE}` }),
    );
    expect([notSelect.status, notSelect.code]).toEqual([400, 'not_a_select']);
    const twoStatements = `SELECT 1; DROP TABLE ${TABLE}`;
    expect(
      (
        await apiFailure(
          client.createDatasetFromSql('warehouse', { name: 'bad', connection: name, sql: twoStatements }),
        )
      ).code,
    ).toBe('not_a_select');
    const missing = await apiFailure(
      client.createDatasetFromSql('warehouse', {
        name: 'bad',
        connection: name,
        sql: 'SELECT * FROM no_such_table_here',
      }),
    );
    expect([missing.status, missing.code]).toEqual([422, 'query_failed']);
    const empty = await apiFailure(
      client.createDatasetFromSql('warehouse', {
        name: 'bad',
        connection: name,
        sql: `SELECT * FROM ${TABLE} WHERE id < 0`,
      }),
    );
    expect(empty.code).toBe('empty_dataset');
    // The table is still there and nothing was registered.
    expect((await client.listDatasets('warehouse')).items.map((d) => d.name)).not.toContain('bad');
  });
});

describe('connection failures', () => {
  it('answers a wrong password with authentication_failed, without the password', async () => {
    const password = 'Definitely-Wrong-Pa55';
    const { kind, ...spec } = specOf('mysql', TEST_MYSQL_URL);
    const connection = await client.createConnection('warehouse', {
      ...spec,
      name: 'mysql-wrong',
      kind,
      user: spec.user || 'root',
      password,
    });
    const refused = await apiFailure(client.testConnection(connection.id), password);
    expect([refused.status, refused.code]).toEqual([422, 'authentication_failed']);
  });

  it('answers an unreachable database quickly with connection_failed', async () => {
    const connection = await client.createConnection('warehouse', {
      name: 'nowhere',
      kind: 'postgres',
      host: '127.0.0.1',
      port: 1,
      database: 'x',
      user: 'x',
      password: 'x',
    });
    const started = Date.now();
    expect((await apiFailure(client.testConnection(connection.id))).code).toBe('connection_failed');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses to refresh an uploaded dataset', async () => {
    const upload = await client.createDatasetFromFile('warehouse', {
      name: 'uploaded',
      data: new Blob(['a,b\n1,2\n3,4\n']),
      filename: 'tiny.csv',
    });
    expect((await apiFailure(client.refreshDataset(upload.id))).code).toBe('not_refreshable');
  });
});
