// The SQL workbench and its governance: one read-only SELECT over the caller's project's datasets, paged and time
// limited; nothing else on the server (files, settings, other projects' data, connection secrets) can be reached.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardClient } from '@modelyard/client';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { apiFailure, userClient } from '../helpers/api-calls.js';

const SECRET = 'workbench-secret-pass-5521';

let server: TestServer;
let admin: ModelyardClient;
let viewer: ModelyardClient;
let outsider: ModelyardClient;

beforeAll(async () => {
  server = await startTestServer();
  admin = new ModelyardClient({ baseUrl: server.url, token: server.token });
  viewer = await userClient(admin, server.url, 'vera', { project: 'demo', role: 'viewer' });
  await admin.createProject({ name: 'other' });
  await admin.createDatasetFromFile('other', {
    name: 'hidden_ledger',
    data: new Blob(['account,balance\nzurich-7,1000\n']),
    filename: 'ledger.csv',
  });
  outsider = await userClient(admin, server.url, 'otto', { project: 'other', role: 'admin' });
  await admin.createConnection('demo', {
    name: 'warehouse',
    kind: 'postgres',
    host: '127.0.0.1',
    port: 5432,
    database: 'postgres',
    user: 'reader',
    password: SECRET,
  });
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe('SQL workbench', () => {
  it("answers a SELECT over the project's datasets, each a view named after it", async () => {
    const result = await viewer.sql('demo', {
      sql: 'SELECT Status, count(*) AS n, avg(Income) AS income FROM credit_data GROUP BY Status ORDER BY Status;',
    });
    expect(result.columns.map((c) => c.name)).toEqual(['Status', 'n', 'income']);
    expect(result.rows.map((r) => [r[0], Number(r[1])])).toEqual([
      ['bad', 1254],
      ['good', 3200],
    ]);
    expect(result.nextCursor).toBeNull();
  });

  it('pages through large results with a cursor', async () => {
    let cursor: string | undefined;
    const sizes: number[] = [];
    const ids = new Set<string>();
    do {
      const page = await viewer.sql('demo', {
        sql: 'SELECT row_number() OVER () AS k, * FROM credit_data ORDER BY k',
        limit: 1000,
        ...(cursor === undefined ? {} : { cursor }),
      });
      sizes.push(page.rows.length);
      for (const row of page.rows) ids.add(String(row[0]));
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(sizes).toEqual([1000, 1000, 1000, 1000, 454]);
    expect(ids.size).toBe(4454);
  });

  it('runs one SELECT only: no DDL, SET, ATTACH, COPY, INSTALL, LOAD, PRAGMA or second statement', async () => {
    for (const sql of [
      "ATTACH ':memory:' AS x",
      "COPY credit_data TO '/tmp/modelyard-leak.csv'",
      'INSTALL httpfs',
      'LOAD httpfs',
      'SET enable_external_access = true',
      'CREATE TABLE t AS SELECT 1',
      'PRAGMA database_list',
      'SELECT 1; SELECT 2',
      'CALL duckdb_settings()',
      'WITH x AS (SELECT 1) DELETE FROM credit_data',
      'DROP VIEW credit_data',
    ]) {
      const refused = await apiFailure(viewer.sql('demo', { sql }));
      expect([sql, refused.status]).toEqual([sql, 400]);
      expect([sql, refused.code]).toEqual([sql, 'not_a_select']);
    }
    // The view is still there afterwards.
    expect((await viewer.sql('demo', { sql: 'SELECT count(*) FROM credit_data' })).rows[0]).toEqual(['4454']);
  });

  it('reads no file on the server, whatever function asks', async () => {
    for (const sql of [
      "SELECT * FROM read_csv('/etc/passwd')",
      "SELECT * FROM read_text('/etc/hostname')",
      "SELECT * FROM glob('/**')",
      `SELECT * FROM read_parquet('${server.dataDir}/artifacts/snapshots/*.parquet')`,
    ]) {
      const refused = await apiFailure(viewer.sql('demo', { sql }));
      expect([sql, refused.status]).toEqual([sql, 400]);
      expect(['sql_refused', 'sql_error']).toContain(refused.code);
    }
  });

  it("shows nothing of other projects, of the server's paths or of connection secrets", async () => {
    const missing = await apiFailure(viewer.sql('demo', { sql: 'SELECT * FROM hidden_ledger' }));
    expect([missing.status, missing.code]).toEqual([400, 'sql_error']);
    const settings = await viewer.sql('demo', { sql: 'SELECT * FROM duckdb_settings()', limit: 1000 });
    const tables = await viewer
      .sql('demo', { sql: 'SELECT * FROM duckdb_tables() UNION ALL SELECT * FROM duckdb_tables()' })
      .catch(() => null);
    const views = await viewer.sql('demo', {
      sql: 'SELECT view_name, sql FROM duckdb_views() WHERE NOT internal',
      limit: 1000,
    });
    for (const answer of [settings, tables, views]) {
      const text = JSON.stringify(answer);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('hidden_ledger');
      expect(text).not.toContain(server.dataDir);
    }
    expect(views.rows.map((r) => r[0])).toEqual(['credit_data']);
    // Another project's member cannot query this project at all; its own dataset is there for it.
    const stranger = await apiFailure(outsider.sql('demo', { sql: 'SELECT 1' }));
    expect([stranger.status, stranger.code]).toEqual([404, 'project_not_found']);
    expect((await outsider.sql('other', { sql: 'SELECT account FROM hidden_ledger' })).rows).toEqual([['zurich-7']]);
  });

  it('stops a query at its time limit', async () => {
    const started = Date.now();
    const slow = await apiFailure(
      viewer.sql('demo', { sql: 'SELECT count(*) FROM range(1000000000000) a', timeoutMs: 300 }),
    );
    expect([slow.status, slow.code]).toEqual([422, 'query_timeout']);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('reports SQL mistakes with DuckDB’s message', async () => {
    const typo = await apiFailure(viewer.sql('demo', { sql: 'SELECT 1 +' }));
    expect([typo.status, typo.code]).toEqual([400, 'sql_error']);
    expect(typo.message).toMatch(/syntax/i);
    const column = await apiFailure(viewer.sql('demo', { sql: 'SELECT no_such_column FROM credit_data' }));
    expect(column.code).toBe('sql_error');
  });
});

describe('derived datasets', () => {
  it('save a query result as a dataset whose lineage names the version it read', async () => {
    const editor = await userClient(admin, server.url, 'edda', { project: 'demo', role: 'editor' });
    const sql = 'SELECT Status, Income, Amount FROM credit_data WHERE Income > 200 ORDER BY Income, Amount';
    const derived = await editor.createDatasetFromQuery('demo', { name: 'high_income', sql });
    const expected = await viewer.sql('demo', { sql: 'SELECT count(*) FROM credit_data WHERE Income > 200' });
    expect(derived.latestVersion!.rows).toBe(Number(expected.rows[0]![0]));
    expect(derived.latestVersion!.source).toBe('query');
    expect(derived.latestVersion!.profile.columns.map((c) => c.name)).toEqual(['Status', 'Income', 'Amount']);

    // The workbench sees it like any dataset; a refresh over unchanged parents keeps its version.
    const counted = await viewer.sql('demo', { sql: 'SELECT min(Income) FROM high_income' });
    expect(Number(counted.rows[0]![0])).toBeGreaterThan(200);
    expect((await editor.refreshDataset(derived.id)).latestVersion!.version).toBe(derived.latestVersion!.version);

    const credit = (await admin.listDatasets('demo')).items.find((d) => d.name === 'credit_data')!;
    const parentId = `${credit.id}@${credit.latestVersion!.version}`;
    const childId = `${derived.id}@${derived.latestVersion!.version}`;
    const up = await viewer.lineage('dataset_version', childId, { direction: 'up', depth: 1 });
    expect(up.edges).toContainEqual({
      from: { kind: 'dataset_version', id: parentId },
      to: { kind: 'dataset_version', id: childId },
    });
    const down = await viewer.lineage('dataset_version', parentId, { direction: 'down', depth: 1 });
    expect(down.nodes.map((n) => n.id)).toContain(childId);
  });

  it('refuse non-SELECT SQL, empty results and viewers', async () => {
    const editor = await userClient(admin, server.url, 'ezra', { project: 'demo', role: 'editor' });
    const notSelect = await apiFailure(
      editor.createDatasetFromQuery('demo', { name: 'x', sql: 'DROP VIEW credit_data' }),
    );
    expect(notSelect.code).toBe('not_a_select');
    const empty = await apiFailure(
      editor.createDatasetFromQuery('demo', { name: 'x', sql: 'SELECT * FROM credit_data WHERE false' }),
    );
    expect([empty.status, empty.code]).toEqual([422, 'empty_dataset']);
    const denied = await apiFailure(viewer.createDatasetFromQuery('demo', { name: 'x', sql: 'SELECT 1 AS one' }));
    expect(denied.status).toBe(403);
    expect((await admin.listDatasets('demo')).items.map((d) => d.name)).not.toContain('x');
  });
});
