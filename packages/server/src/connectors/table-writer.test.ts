// Table writers on real PostgreSQL and MariaDB servers: types from a DuckDB snapshot round-trip (NaN and ±Infinity
// become NULL), quoting of odd names and values, many batches, replace swapping atomically (the old table intact when
// a write fails midway), append checking columns and leaving nothing behind on failure, and errors without passwords.

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb, type DuckDb } from '../data/duckdb.js';
import { quoteLiteral } from '../data/sql-quote.js';
import { ModelyardError } from '../errors.js';
import type { ConnectorKind, ConnectorLimits } from './connector.js';
import { copySnapshotToTable } from './copy-snapshot-to-table.js';
import {
  openTableWriter,
  parseTableName,
  rowsPerInsert,
  type RowBatches,
  type TableColumn,
  type TableName,
  type TableWriter,
} from './table-writer.js';
import { specOf, TEST_MYSQL_URL, TEST_POSTGRES_URL } from './test-connections.js';

const LIMITS: ConnectorLimits = { connectTimeoutMs: 2_000, queryTimeoutMs: 60_000 };

/** An admin connection to the server, and a schema (or, on MySQL, a name prefix) unique to this run. */
interface Backend {
  kind: ConnectorKind;
  /** A table name for the writer: `schema.name` on PostgreSQL, `name` or `test.name` on MySQL. */
  table(name: string, qualified?: boolean): TableName;
  rows(sql: string): Promise<Record<string, unknown>[]>;
  exec(sql: string): Promise<void>;
  /** The table as the admin connection names it in SQL. */
  sqlName(table: TableName): string;
  tables(): Promise<string[]>;
  dispose(): Promise<void>;
}

async function openBackend(kind: ConnectorKind): Promise<Backend> {
  const suffix = randomBytes(4).toString('hex');
  if (kind === 'postgres') {
    const schema = `modelyard_tw_${suffix}`;
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    return {
      kind,
      table: (name) => ({ schema, name }),
      rows: async (sql) => (await admin.query(sql)).rows as Record<string, unknown>[],
      exec: async (sql) => void (await admin.query(sql)),
      sqlName: (t) => `${t.schema ?? 'public'}."${t.name}"`,
      tables: async () =>
        (
          await admin.query<{ name: string }>(
            'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1',
            [schema],
          )
        ).rows.map((r) => r.name),
      async dispose() {
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
        await admin.end();
      },
    };
  }
  const prefix = `modelyard_tw_${suffix}_`;
  const admin = await mysql.createConnection({ uri: TEST_MYSQL_URL, dateStrings: true, supportBigNumbers: true });
  const database = new URL(TEST_MYSQL_URL).pathname.slice(1);
  const tables = async () => {
    const [rows] = await admin.query<mysql.RowDataPacket[]>(
      'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE ? ORDER BY 1',
      [`${prefix}%`],
    );
    return rows.map((r) => String(r.name));
  };
  return {
    kind,
    table: (name, qualified = false) => ({ schema: qualified ? database : null, name: `${prefix}${name}` }),
    rows: async (sql) => (await admin.query<mysql.RowDataPacket[]>(sql))[0] as Record<string, unknown>[],
    exec: async (sql) => void (await admin.query(sql)),
    sqlName: (t) => `\`${t.name}\``,
    tables,
    async dispose() {
      for (const name of await tables()) await admin.query(`DROP TABLE IF EXISTS \`${name}\``);
      await admin.end();
    },
  };
}

async function* batchesOf(rows: unknown[][], size: number, failAfter?: number): RowBatches {
  for (let i = 0; i < rows.length; i += size) {
    if (failAfter !== undefined && i >= failAfter) throw new Error('the reader broke down');
    yield rows.slice(i, i + size);
  }
}

async function failure(promise: Promise<unknown>): Promise<ModelyardError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ModelyardError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('parseTableName', () => {
  it('takes name and schema.name, and nothing else', () => {
    expect(parseTableName('scores')).toEqual({ schema: null, name: 'scores' });
    expect(parseTableName('analytics.Scores_2')).toEqual({ schema: 'analytics', name: 'Scores_2' });
    for (const bad of ['', 'a.b.c', '1abc', 'x;drop table y', 'a b', '"q"', 'a.', '.a', 'é', 'x'.repeat(49)]) {
      expect(() => parseTableName(bad), bad).toThrowError(expect.objectContaining({ code: 'invalid_table_name' }));
    }
  });

  it('keeps each INSERT within 1,000 rows and 65,535 parameters', () => {
    expect(rowsPerInsert(3)).toBe(1_000);
    expect(rowsPerInsert(100)).toBe(655);
    expect(rowsPerInsert(1_600)).toBe(40);
  });
});

describe.each(['postgres', 'mysql'] as const)('table writer on %s', (kind) => {
  let backend: Backend;
  let writer: TableWriter;
  let duck: DuckDb;
  let dir: string;

  beforeAll(async () => {
    backend = await openBackend(kind);
    writer = openTableWriter(specOf(kind, kind === 'postgres' ? TEST_POSTGRES_URL : TEST_MYSQL_URL), LIMITS);
    duck = await openDuckDb({ threads: 1 });
    dir = await mkdtemp(join(tmpdir(), 'modelyard-table-writer-'));
  });

  afterAll(async () => {
    await writer?.close();
    await duck?.close();
    await backend?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** A Parquet file written by DuckDB from a SELECT. */
  async function parquet(name: string, select: string): Promise<string> {
    const path = join(dir, `${name}.parquet`);
    await duck.withConnection((c) => c.run(`COPY (${select}) TO ${quoteLiteral(path)} (FORMAT parquet)`));
    return path;
  }

  it('round-trips the snapshot types, NULLs, odd names and strings', async () => {
    const path = await parquet(
      'types',
      `SELECT * FROM (VALUES
        (1::INTEGER, 9007199254740993::BIGINT, 1.5::DOUBLE, 'NaN'::DOUBLE, 'it''s "q" \\ ✓ 日本 🙂', true,
         DATE '2024-02-29', TIMESTAMP '2024-02-29 12:34:56.123456', 0.25::FLOAT, 12.5::DECIMAL(10, 2), 7::UBIGINT),
        (NULL, -1, -0.1, 'Infinity'::DOUBLE, '', false, NULL, TIMESTAMP '1970-01-01 00:00:00', NULL, NULL, NULL),
        (NULL, NULL, NULL, '-Infinity'::DOUBLE, NULL, NULL, DATE '1999-12-31', NULL, NULL, NULL, 18446744073709551615::UBIGINT)
      ) t(i, "big", "order", "nan", "Mixed ""Case"" \`col\`", b, day, ts, f, dec, u)`,
    );
    const table = backend.table('types');
    expect(await copySnapshotToTable(duck, path, writer, table, 'replace')).toBe(3);
    const strange = kind === 'postgres' ? '"Mixed ""Case"" `col`"' : '`Mixed "Case" ``col```';
    const text = (c: string) => (kind === 'postgres' ? `${c}::text` : `CAST(${c} AS CHAR)`);
    const rows = await backend.rows(
      `SELECT ${text('i')} AS i, ${text('big')} AS big, ${kind === 'postgres' ? '"order"' : '`order`'} AS o, nan, ` +
        `${strange} AS s, b, ${text('day')} AS day, ${text('ts')} AS ts, f, ${kind === 'postgres' ? 'dec' : '`dec`'} AS ${kind === 'postgres' ? 'dec' : '`dec`'}, ` +
        `${text('u')} AS u ` +
        `FROM ${backend.sqlName(table)} ORDER BY ${text('big')} IS NULL, big DESC`,
    );
    const bool = (v: boolean) => (kind === 'postgres' ? v : v ? 1 : 0);
    expect(rows).toEqual([
      {
        i: '1',
        big: '9007199254740993',
        o: 1.5,
        nan: null,
        s: 'it\'s "q" \\ ✓ 日本 🙂',
        b: bool(true),
        day: '2024-02-29',
        ts: '2024-02-29 12:34:56.123456',
        f: 0.25,
        dec: 12.5,
        u: '7',
      },
      {
        i: null,
        big: '-1',
        o: -0.1,
        nan: null,
        s: '',
        b: bool(false),
        day: null,
        ts: kind === 'postgres' ? '1970-01-01 00:00:00' : '1970-01-01 00:00:00.000000',
        f: null,
        dec: null,
        u: null,
      },
      {
        i: null,
        big: null,
        o: null,
        nan: null,
        s: null,
        b: null,
        day: '1999-12-31',
        ts: null,
        f: null,
        dec: null,
        u: '18446744073709551615',
      },
    ]);
  });

  it('writes 12,345 rows over many INSERTs, replaces them, and appends to them', async () => {
    const path = await parquet(
      'many',
      `SELECT i::BIGINT AS id, i * 0.5 AS half, 'row ' || i AS label FROM range(12345) r(i)`,
    );
    const table = backend.table('many', kind === 'mysql');
    const summary = async () =>
      (
        await backend.rows(
          `SELECT count(*) AS n, sum(id) AS ids, sum(half) AS halves, max(label) AS top FROM ${backend.sqlName(table)}`,
        )
      )[0]!;
    expect(await copySnapshotToTable(duck, path, writer, table, 'replace')).toBe(12_345);
    const once = await summary();
    expect([Number(once.n), Number(once.ids), Number(once.halves), once.top]).toEqual([
      12_345,
      (12_344 * 12_345) / 2,
      (12_344 * 12_345) / 4,
      'row 9999',
    ]);
    expect(await copySnapshotToTable(duck, path, writer, table, 'replace')).toBe(12_345);
    expect(Number((await summary()).n)).toBe(12_345);
    expect(await copySnapshotToTable(duck, path, writer, table, 'append')).toBe(12_345);
    expect(Number((await summary()).n)).toBe(24_690);
    expect((await backend.tables()).filter((t) => t.includes('__modelyard'))).toEqual([]);
  });

  const columns: TableColumn[] = [
    { name: 'id', type: 'BIGINT' },
    { name: 'day', type: 'DATE' },
  ];
  const goodRows = (n: number): unknown[][] => Array.from({ length: n }, (_, i) => [BigInt(i), '2024-01-01']);

  it('replaces atomically: a write failing midway leaves the old table as it was', async () => {
    const table = backend.table('atomic');
    expect(await writer.write(table, columns, 'replace', batchesOf(goodRows(3), 2))).toBe(3);
    const count = async () => Number((await backend.rows(`SELECT count(*) AS n FROM ${backend.sqlName(table)}`))[0]!.n);

    // The reader breaks down after 2,500 rows (some INSERTs went through).
    const broken = await failure(writer.write(table, columns, 'replace', batchesOf(goodRows(5_000), 500, 2_500)));
    expect(broken.code).toBe('output_table_failed');
    expect(broken.message).toContain('the reader broke down');
    expect(await count()).toBe(3);

    // The server rejects a value in the third INSERT.
    const rows = goodRows(3_000);
    rows[2_500]![1] = 'not a date';
    const rejected = await failure(writer.write(table, columns, 'replace', batchesOf(rows, 700)));
    expect(rejected.code).toBe('output_table_failed');
    expect(await count()).toBe(3);
    expect((await backend.tables()).filter((t) => t.includes('__modelyard'))).toEqual([]);

    // A leftover staging table from a crash is no obstacle.
    await backend.exec(`CREATE TABLE ${backend.sqlName({ ...table, name: `${table.name}__modelyard_new` })} (x int)`);
    expect(await writer.write(table, columns, 'replace', batchesOf(goodRows(5), 2))).toBe(5);
    expect(await count()).toBe(5);
    expect((await backend.tables()).filter((t) => t.includes('__modelyard'))).toEqual([]);
  });

  it('appends only to a table with the same columns, and all or nothing', async () => {
    const table = backend.table('append');
    await backend.exec(`CREATE TABLE ${backend.sqlName(table)} (id bigint, other text)`);
    const mismatch = await failure(writer.write(table, columns, 'append', batchesOf(goodRows(3), 2)));
    expect(mismatch.code).toBe('output_table_mismatch');
    expect(mismatch.status).toBe(422);
    expect(mismatch.details).toMatchObject({ missing: ['day'], extra: ['other'] });
    expect(mismatch.message).toContain("'day'");

    // A missing table is created; a failure midway leaves the rows appended before as they were.
    const fresh = backend.table('append_new');
    expect(await writer.write(fresh, columns, 'append', batchesOf(goodRows(10), 4))).toBe(10);
    const count = async () => Number((await backend.rows(`SELECT count(*) AS n FROM ${backend.sqlName(fresh)}`))[0]!.n);
    const rows = goodRows(4_000);
    rows[3_999]![1] = 'not a date';
    expect((await failure(writer.write(fresh, columns, 'append', batchesOf(rows, 1_000)))).code).toBe(
      'output_table_failed',
    );
    expect(await count()).toBe(10);

    // A table the failed append would have created is not left behind.
    const never = backend.table('append_never');
    await failure(writer.write(never, columns, 'append', batchesOf(goodRows(3_000), 1_000, 1_500)));
    expect(await backend.tables()).not.toContain(never.name);
  });

  it('answers connection errors without the password', async () => {
    const password = 'S3cret-Pa55word-4-test';
    const spec = { ...specOf(kind, kind === 'postgres' ? TEST_POSTGRES_URL : TEST_MYSQL_URL), port: 1, password };
    const closed = openTableWriter(spec, LIMITS);
    try {
      const error = await failure(closed.write(backend.table('never'), columns, 'replace', batchesOf([], 1)));
      expect(error.code).toBe('connection_failed');
      expect(JSON.stringify([error.message, error.details])).not.toContain(password);
    } finally {
      await closed.close();
    }
  });
});
