import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsArtifactStore } from '../artifacts/fs-artifact-store.js';
import { openDuckDb, type DuckDb } from '../data/duckdb.js';
import { sha256File } from '../data/sha256-file.js';
import { quoteLiteral } from '../data/sql-quote.js';
import { ModelyardError } from '../errors.js';
import { specOf, TEST_MYSQL_URL, TEST_POSTGRES_URL } from './test-connections.js';
import { openConnector, type ConnectionSpec, type Connector, type ConnectorKind } from './connector.js';
import { daysFromCivil, snapshotQuery } from './query-snapshot.js';

const LIMITS = { connectTimeoutMs: 5_000, queryTimeoutMs: 30_000 };

/** A real server, an admin connection for set-up, and a unique prefix for everything the suite creates. */
interface Backend {
  spec: ConnectionSpec;
  /** A table name unique to this suite run, qualified as the server needs it. */
  table(name: string): string;
  exec(sql: string): Promise<void>;
  dispose(): Promise<void>;
}

async function openBackend(kind: ConnectorKind): Promise<Backend> {
  const suffix = randomBytes(5).toString('hex');
  if (kind === 'postgres') {
    const schema = `modelyard_snap_${suffix}`;
    const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    return {
      spec: specOf('postgres', TEST_POSTGRES_URL),
      table: (name) => `${schema}.${name}`,
      exec: async (sql) => void (await admin.query(sql)),
      async dispose() {
        await admin.query(`DROP SCHEMA ${schema} CASCADE`);
        await admin.end();
      },
    };
  }
  const prefix = `modelyard_snap_${suffix}_`;
  const admin = await mysql.createConnection(TEST_MYSQL_URL);
  return {
    spec: specOf('mysql', TEST_MYSQL_URL),
    table: (name) => `${prefix}${name}`,
    exec: async (sql) => void (await admin.query(sql)),
    async dispose() {
      const [tables] = await admin.query<mysql.RowDataPacket[]>(
        `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name LIKE ?`,
        [`${prefix}%`],
      );
      for (const { name } of tables) await admin.query(`DROP TABLE \`${String(name)}\``);
      await admin.end();
    },
  };
}

const MIXED_DDL: Record<ConnectorKind, string> = {
  postgres: 'id int4, big int8, amount float8, label text, day date, at timestamp, flag bool, note varchar(100)',
  mysql: 'id INT, big BIGINT, amount DOUBLE, label TEXT, day DATE, at DATETIME(6), flag BIT(1), note VARCHAR(100)',
};
const AWKWARD = `it''s, "quoted"\nand; -- not a comment`;
const MIXED_ROWS = [
  `(1, 9007199254740993, 1.5, 'a', '2024-02-29', '2024-02-29 13:45:06.123456', TRUE, 'plain')`,
  `(2, -5, -0.25, NULL, '1999-12-31', '1970-01-01 00:00:00', FALSE, '${AWKWARD}')`,
  `(3, 0, NULL, 'c', NULL, NULL, NULL, NULL)`,
];

describe.each<ConnectorKind>(['postgres', 'mysql'])('snapshotQuery on %s', (kind) => {
  let backend: Backend;
  let connector: Connector;
  let db: DuckDb;
  let dir: string;
  let artifacts: FsArtifactStore;
  let mixed: string;
  let big: string;

  /** The snapshot stored under `key`, read back: column types, and every value as DuckDB text. */
  const readBack = (key: string) =>
    artifacts.withLocalFile(key, (path) =>
      db.withConnection(async (connection) => {
        const source = `read_parquet(${quoteLiteral(path)})`;
        const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`);
        const values = await connection.runAndReadAll(`SELECT COLUMNS(*)::VARCHAR FROM ${source}`);
        return {
          types: Object.fromEntries(described.getRows().map((row) => [String(row[0]), String(row[1])])),
          rows: values.getRows(),
          hash: await sha256File(path),
        };
      }),
    );

  beforeAll(async () => {
    backend = await openBackend(kind);
    connector = openConnector(backend.spec, LIMITS);
    db = await openDuckDb({ threads: 2 });
    dir = await mkdtemp(join(tmpdir(), 'modelyard-query-test-'));
    artifacts = new FsArtifactStore(join(dir, 'artifacts'));
    mixed = backend.table('mixed');
    big = backend.table('big');
    await backend.exec(`CREATE TABLE ${mixed} (${MIXED_DDL[kind]})`);
    await backend.exec(`INSERT INTO ${mixed} VALUES ${MIXED_ROWS.join(', ')}`);
    await backend.exec(`CREATE TABLE ${big} (id INT, x DOUBLE PRECISION, s VARCHAR(20))`);
    for (let start = 0; start < 10_000; start += 1_000) {
      const values = Array.from({ length: 1_000 }, (_, i) => start + i).map(
        (id) => `(${id}, ${id / 7}, ${id % 3 === 0 ? 'NULL' : `'s${id % 11}'`})`,
      );
      await backend.exec(`INSERT INTO ${big} VALUES ${values.join(', ')}`);
    }
  });
  afterAll(async () => {
    await connector?.close();
    await backend?.dispose();
    await db?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it('snapshots ints, doubles, text with NULLs and quotes, dates, timestamps and booleans', async () => {
    const sql = `SELECT id, big, amount, label, day, at, flag, note FROM ${mixed} ORDER BY id`;
    const result = await snapshotQuery(db, artifacts, connector, sql);
    expect(result.rows).toBe(3);
    expect(result.snapshotKey).toBe(`snapshots/${result.version}.parquet`);
    expect(result.profile.columns.map((column) => column.name)).toEqual(
      expect.arrayContaining(['id', 'big', 'amount', 'label', 'day', 'at', 'flag', 'note']),
    );
    const back = await readBack(result.snapshotKey);
    expect(back.hash).toBe(result.version);
    expect(back.types).toEqual({
      id: 'BIGINT',
      big: 'BIGINT',
      amount: 'DOUBLE',
      label: 'VARCHAR',
      day: 'DATE',
      at: 'TIMESTAMP',
      flag: 'BOOLEAN',
      note: 'VARCHAR',
    });
    expect(back.rows).toEqual([
      ['1', '9007199254740993', '1.5', 'a', '2024-02-29', '2024-02-29 13:45:06.123456', 'true', 'plain'],
      ['2', '-5', '-0.25', null, '1999-12-31', '1970-01-01 00:00:00', 'false', AWKWARD.replace("''", "'")],
      ['3', '0', null, 'c', null, null, null, null],
    ]);
  });

  it('gives the same rows the same version, and changed rows a new one', async () => {
    const sql = `SELECT * FROM ${mixed} ORDER BY id`;
    const first = await snapshotQuery(db, artifacts, connector, sql);
    const again = await snapshotQuery(db, artifacts, connector, sql);
    expect(again.version).toBe(first.version);
    await backend.exec(`INSERT INTO ${mixed} (id, label) VALUES (4, 'new')`);
    try {
      const changed = await snapshotQuery(db, artifacts, connector, sql);
      expect(changed.version).not.toBe(first.version);
      expect(changed.rows).toBe(4);
    } finally {
      await backend.exec(`DELETE FROM ${mixed} WHERE id = 4`);
    }
    expect((await snapshotQuery(db, artifacts, connector, sql)).version).toBe(first.version);
  });

  it('gives the same version whatever the batch size', async () => {
    const sql = `SELECT * FROM ${big} ORDER BY id`;
    const small = await snapshotQuery(db, artifacts, connector, sql, { batchRows: 1_000 });
    const odd = await snapshotQuery(db, artifacts, connector, sql, { batchRows: 333 });
    const large = await snapshotQuery(db, artifacts, connector, sql, { batchRows: 100_000 });
    expect(small.rows).toBe(10_000);
    expect(odd.version).toBe(small.version);
    expect(large.version).toBe(small.version);
    const back = await readBack(small.snapshotKey);
    expect(back.rows[9_999]).toEqual(['9999', String(9_999 / 7), null]);
    // Another order is other content.
    const reversed = await snapshotQuery(db, artifacts, connector, `SELECT * FROM ${big} ORDER BY id DESC`);
    expect(reversed.version).not.toBe(small.version);
  });

  it('refuses an empty result with empty_dataset and leaves no temporary files', async () => {
    const tempDir = await mkdtemp(join(dir, 'tmp-'));
    const error = await snapshotQuery(db, artifacts, connector, `SELECT * FROM ${mixed} WHERE id < 0`, {
      tempDir,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelyardError);
    expect(error).toMatchObject({ status: 422, code: 'empty_dataset' });
    expect(await readdir(tempDir)).toEqual([]);
  });

  it('renames repeated and empty column names the way DuckDB does for files', async () => {
    const result = await snapshotQuery(db, artifacts, connector, `SELECT 1 AS a, 2 AS a, 3 AS ${q(kind, 'A')}`);
    expect(Object.keys((await readBack(result.snapshotKey)).types)).toEqual(['a', 'a_1', 'A_2']);
  });

  it('passes the not_a_select refusal through', async () => {
    await expect(snapshotQuery(db, artifacts, connector, `DELETE FROM ${mixed}`)).rejects.toMatchObject({
      status: 400,
      code: 'not_a_select',
    });
  });

  if (kind === 'postgres') {
    it('maps PostgreSQL-only types: BC dates, infinity, timestamptz, numeric, int2, float4, arrays, json', async () => {
      const sql =
        `SELECT '0044-03-15 BC'::date AS bc, 'infinity'::timestamp AS inf, ` +
        `'2024-06-01 12:00:00.5+02'::timestamptz AS tz, 12.5::numeric AS num, 7::int2 AS small, ` +
        `1.5::float4 AS f4, '{1,2}'::int4[] AS arr, '{"a": 1}'::json AS j, '0001-01-01 BC'::date AS one_bc`;
      const back = await readBack((await snapshotQuery(db, artifacts, connector, sql)).snapshotKey);
      expect(back.types).toEqual({
        bc: 'DATE',
        inf: 'TIMESTAMP',
        tz: 'TIMESTAMP',
        num: 'DOUBLE',
        small: 'BIGINT',
        f4: 'DOUBLE',
        arr: 'VARCHAR',
        j: 'VARCHAR',
        one_bc: 'DATE',
      });
      expect(back.rows).toEqual([
        [
          '0044-03-15 (BC)',
          'infinity',
          '2024-06-01 10:00:00.5',
          '12.5',
          '7',
          '1.5',
          '{1,2}',
          '{"a": 1}',
          '0001-01-01 (BC)',
        ],
      ]);
    });

    it('writes the same snapshot whatever the session time zone and date style', async () => {
      const sql = `SELECT '2024-06-01 12:00:00+02'::timestamptz AS tz, '2024-02-29'::date AS day`;
      const reference = await snapshotQuery(db, artifacts, connector, sql);
      const saved = process.env.PGOPTIONS;
      // pg passes PGOPTIONS to the server as the session's starting settings.
      process.env.PGOPTIONS = '-c TimeZone=Asia/Kolkata -c DateStyle=SQL,DMY';
      const local = openConnector(backend.spec, LIMITS);
      try {
        const other = await snapshotQuery(db, artifacts, local, sql);
        expect(other.version).toBe(reference.version);
        expect((await readBack(other.snapshotKey)).rows).toEqual([['2024-06-01 10:00:00', '2024-02-29']]);
      } finally {
        if (saved === undefined) delete process.env.PGOPTIONS;
        else process.env.PGOPTIONS = saved;
        await local.close();
      }
    });
  } else {
    it('maps MySQL-only types: unsigned BIGINT, DECIMAL, binary, TIMESTAMP in UTC, zero dates', async () => {
      const t = backend.table('mysql_types');
      await backend.exec(`CREATE TABLE ${t} (ts TIMESTAMP NULL, d DATE NULL)`);
      // Written at 12:00 in +02:00, so 10:00 UTC; zero dates need a permissive sql_mode.
      await backend.exec(`SET SESSION time_zone = '+02:00', SESSION sql_mode = ''`);
      await backend.exec(`INSERT INTO ${t} VALUES ('2024-06-01 12:00:00', '0000-00-00')`);
      await backend.exec(`SET SESSION time_zone = SYSTEM, SESSION sql_mode = DEFAULT`);
      const sql =
        `SELECT CAST(18446744073709551615 AS UNSIGNED) AS u, CAST(12.50 AS DECIMAL(5,2)) AS d, ` +
        `X'CAFE' AS bin, TRUE AS t, ts, ${t}.d AS zero FROM ${t}`;
      const back = await readBack((await snapshotQuery(db, artifacts, connector, sql)).snapshotKey);
      expect(back.types).toEqual({
        u: 'UBIGINT',
        d: 'DOUBLE',
        bin: 'VARCHAR',
        t: 'BIGINT',
        ts: 'TIMESTAMP',
        zero: 'DATE',
      });
      expect(back.rows).toEqual([['18446744073709551615', '12.5', '\\xcafe', '1', '2024-06-01 10:00:00', null]]);
    });
  }
});

describe('daysFromCivil', () => {
  it('counts days from 1970-01-01 across leap years, centuries and BC years', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(2000, 3, 1)).toBe(11_017);
    expect(daysFromCivil(1969, 12, 31)).toBe(-1);
    for (const [y, m, d] of [
      [2024, 2, 29],
      [1900, 3, 1],
      [1, 1, 1],
      [-43, 3, 15],
    ] as const) {
      const date = new Date(0);
      date.setUTCFullYear(y, m - 1, d);
      expect(daysFromCivil(y, m, d)).toBe(date.getTime() / 86_400_000);
    }
  });
});

function q(kind: ConnectorKind, name: string): string {
  return kind === 'postgres' ? `"${name}"` : `\`${name}\``;
}
