import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardError } from '../errors.js';
import { specOf, TEST_MYSQL_URL, TEST_POSTGRES_URL } from './test-connections.js';
import {
  openConnector,
  type ConnectionSpec,
  type Connector,
  type ConnectorKind,
  type ConnectorLimits,
} from './connector.js';

const LIMITS: ConnectorLimits = { connectTimeoutMs: 1_500, queryTimeoutMs: 30_000 };
const PASSWORD = 'Wrong-Pa55word-4-test';

/** The server, an admin connection for set-up and checks, and names unique to this run. */
interface Backend {
  spec: ConnectionSpec;
  table: string;
  /** A function that inserts into `table` and returns 1. */
  writer: string;
  exec(sql: string): Promise<void>;
  count(): Promise<number>;
  dispose(): Promise<void>;
}

async function openBackend(kind: ConnectorKind): Promise<Backend> {
  const suffix = randomBytes(5).toString('hex');
  if (kind === 'postgres') {
    const schema = `modelyard_conn_${suffix}`;
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    const table = `${schema}.t`;
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.query(`CREATE TABLE ${table} (id int4)`);
    await admin.query(`INSERT INTO ${table} SELECT generate_series(1, 10000)`);
    await admin.query(
      `CREATE FUNCTION ${schema}.writer() RETURNS int4 LANGUAGE sql AS ` +
        `'INSERT INTO ${table} VALUES (-1); SELECT 1'`,
    );
    return {
      spec: specOf('postgres', TEST_POSTGRES_URL),
      table,
      writer: `${schema}.writer()`,
      exec: async (sql) => void (await admin.query(sql)),
      count: async () => Number((await admin.query(`SELECT count(*) AS n FROM ${table}`)).rows[0].n),
      async dispose() {
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
        await admin.end();
      },
    };
  }
  const table = `modelyard_conn_${suffix}_t`;
  const writer = `modelyard_conn_${suffix}_writer`;
  const admin = await mysql.createConnection(TEST_MYSQL_URL);
  await admin.query(`CREATE TABLE ${table} (id INT)`);
  for (let start = 1; start <= 10_000; start += 1_000) {
    const values = Array.from({ length: 1_000 }, (_, i) => `(${start + i})`);
    await admin.query(`INSERT INTO ${table} VALUES ${values.join(', ')}`);
  }
  await admin.query(
    `CREATE FUNCTION ${writer}() RETURNS INT MODIFIES SQL DATA BEGIN INSERT INTO ${table} VALUES (-1); RETURN 1; END`,
  );
  return {
    spec: specOf('mysql', TEST_MYSQL_URL),
    table,
    writer: `${writer}()`,
    exec: async (sql) => void (await admin.query(sql)),
    count: async () => {
      const [rows] = await admin.query<mysql.RowDataPacket[]>(`SELECT count(*) AS n FROM ${table}`);
      return Number(rows[0]?.n);
    },
    async dispose() {
      await admin.query(`DROP FUNCTION IF EXISTS ${writer}`);
      await admin.query(`DROP TABLE IF EXISTS ${table}`);
      await admin.end();
    },
  };
}

/** A TCP server that accepts connections and never says a word: a connect must time out on it. */
async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Runs `fn`, expecting a ModelyardError; returns it with the time it took. */
async function failure(fn: () => Promise<unknown>): Promise<{ error: ModelyardError; ms: number }> {
  const start = Date.now();
  try {
    await fn();
  } catch (error) {
    if (error instanceof ModelyardError) return { error, ms: Date.now() - start };
    throw error;
  }
  throw new Error('expected a ModelyardError, but the call succeeded');
}

async function drain(connector: Connector, sql: string, batchRows = 1_000): Promise<number[]> {
  const sizes: number[] = [];
  for await (const batch of connector.query(sql, batchRows)) sizes.push(batch.rows.length);
  return sizes;
}

describe.each<ConnectorKind>(['postgres', 'mysql'])('%s connector', (kind) => {
  let backend: Backend;
  let connector: Connector;
  const opened: Connector[] = [];
  const open = (spec: Partial<ConnectionSpec>, limits: Partial<ConnectorLimits> = {}): Connector => {
    const c = openConnector({ ...backend.spec, ...spec }, { ...LIMITS, ...limits });
    opened.push(c);
    return c;
  };
  const sleep = kind === 'postgres' ? 'SELECT pg_sleep(5)' : 'SELECT SLEEP(5)';

  beforeAll(async () => {
    backend = await openBackend(kind);
    connector = open({});
  });
  afterAll(async () => {
    for (const c of opened) await c.close();
    await backend?.dispose();
  });

  it('passes test() on a good connection', async () => {
    await expect(connector.test()).resolves.toBeUndefined();
  });

  it('yields the columns first, then batches of at most batchRows rows', async () => {
    const batches: { columns: string[]; rows: number }[] = [];
    for await (const batch of connector.query(`SELECT id FROM ${backend.table} ORDER BY id`, 3_000)) {
      batches.push({ columns: batch.columns.map((c) => `${c.name}:${c.duckType}`), rows: batch.rows.length });
    }
    expect(batches.map((b) => b.rows)).toEqual([0, 3_000, 3_000, 3_000, 1_000]);
    expect(new Set(batches.map((b) => b.columns.join()))).toEqual(new Set(['id:BIGINT']));
  });

  it('yields the columns of an empty result', async () => {
    const batches = [];
    for await (const batch of connector.query(`SELECT id FROM ${backend.table} WHERE id < 0`, 10)) batches.push(batch);
    expect(batches).toEqual([{ columns: [{ name: 'id', duckType: 'BIGINT' }], rows: [] }]);
  });

  it('stops a query when the caller stops reading, and runs the next one', async () => {
    for await (const batch of connector.query(`SELECT id FROM ${backend.table} ORDER BY id`, 100)) {
      if (batch.rows.length > 0) {
        expect(batch.rows[0]).toEqual([1n]);
        break;
      }
    }
    expect(await drain(connector, `SELECT id FROM ${backend.table}`, 6_000)).toEqual([0, 6_000, 4_000]);
  });

  it('refuses a wrong password with authentication_failed, never echoing the password', async () => {
    // The local PostgreSQL trusts every known role, so only an unknown one is refused there.
    const spec = kind === 'postgres' ? { user: `nobody_${randomBytes(4).toString('hex')}` } : {};
    const { error } = await failure(() => open({ ...spec, password: PASSWORD }).test());
    expect(error.code).toBe('authentication_failed');
    expect(error.status).toBe(422);
    expect(JSON.stringify({ message: error.message, details: error.details, stack: error.stack })).not.toContain(
      PASSWORD,
    );
  });

  it('fails fast with connection_failed on a closed port', async () => {
    const { error, ms } = await failure(() => open({ host: '127.0.0.1', port: 1 }).test());
    expect(error).toMatchObject({ status: 422, code: 'connection_failed' });
    expect(ms).toBeLessThan(1_500);
  });

  it('gives up on a server that accepts but never answers with connection_timeout', async () => {
    const silent = await silentServer();
    try {
      const { error, ms } = await failure(() => open({ host: '127.0.0.1', port: silent.port }).test());
      expect(error).toMatchObject({ status: 422, code: 'connection_timeout' });
      expect(ms).toBeGreaterThanOrEqual(1_400);
      expect(ms).toBeLessThan(3_500);
    } finally {
      await silent.close();
    }
  });

  it('does not hang on an unroutable address', async () => {
    // Depending on the network this address drops packets (a timeout) or is closed by a gateway (a failure).
    const { error, ms } = await failure(() => open({ host: '10.255.255.1' }).test());
    expect(['connection_timeout', 'connection_failed']).toContain(error.code);
    expect(error.status).toBe(422);
    expect(ms).toBeLessThan(3_500);
  });

  it('fails with connection_failed on a database that does not exist', async () => {
    const { error } = await failure(() => open({ database: `no_such_db_${randomBytes(4).toString('hex')}` }).test());
    expect(error).toMatchObject({ status: 422, code: 'connection_failed' });
    expect(error.message).toMatch(/does not exist/);
  });

  it('stops a slow query with query_timeout, and the connection stays usable', async () => {
    const slow = open({}, { queryTimeoutMs: 500 });
    const { error, ms } = await failure(() => drain(slow, sleep));
    expect(error).toMatchObject({ status: 422, code: 'query_timeout' });
    expect(ms).toBeLessThan(4_000);
    expect(await drain(slow, `SELECT id FROM ${backend.table} WHERE id <= 5`)).toEqual([0, 5]);
  });

  it('refuses statements other than one SELECT with not_a_select, before running anything', async () => {
    for (const sql of [`DELETE FROM ${backend.table}`, `SELECT 1; DROP TABLE ${backend.table}`]) {
      const { error } = await failure(() => drain(connector, sql));
      expect(error).toMatchObject({ status: 400, code: 'not_a_select' });
    }
    expect(await backend.count()).toBe(10_000);
  });

  it('lets the read-only transaction refuse a write hidden in a function with query_failed', async () => {
    const { error } = await failure(() => drain(connector, `SELECT ${backend.writer} AS one`));
    expect(error).toMatchObject({ status: 422, code: 'query_failed' });
    expect(await backend.count()).toBe(10_000);
  });

  if (kind === 'postgres') {
    it('lets the read-only transaction refuse an INSERT in a CTE with query_failed', async () => {
      const sql = `WITH w AS (INSERT INTO ${backend.table} VALUES (-2) RETURNING id) SELECT * FROM w`;
      const { error } = await failure(() => drain(connector, sql));
      expect(error).toMatchObject({ status: 422, code: 'query_failed' });
      expect(error.details).toMatchObject({ sqlState: '25006' });
      expect(await backend.count()).toBe(10_000);
    });
  }

  it('reports a bad query as query_failed with the server message', async () => {
    const { error } = await failure(() => drain(connector, `SELECT no_such_column FROM ${backend.table}`));
    expect(error).toMatchObject({ status: 422, code: 'query_failed' });
    expect(error.message).toMatch(/no_such_column/);
  });
});
