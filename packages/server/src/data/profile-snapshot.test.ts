import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb, type DuckDb } from './duckdb.js';
import { profileSnapshot } from './profile-snapshot.js';
import { quoteLiteral } from './sql-quote.js';
import type { ColumnProfile } from './types.js';

const CREDIT = fileURLToPath(new URL('../../../../examples/data/credit_data.csv', import.meta.url));

describe('profileSnapshot', () => {
  let db: DuckDb;
  let dir: string;
  const toParquet = async (name: string, select: string): Promise<string> => {
    const path = join(dir, name);
    await db.withConnection((c) => c.run(`COPY (${select}) TO ${quoteLiteral(path)} (FORMAT parquet)`));
    return path;
  };

  beforeAll(async () => {
    db = await openDuckDb();
    dir = await mkdtemp(join(tmpdir(), 'modelyard-profile-test-'));
  });
  afterAll(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('profiles credit_data.csv (figures checked against Python csv)', async () => {
    const path = await toParquet('credit.parquet', `SELECT * FROM read_csv(${quoteLiteral(CREDIT)})`);
    const profile = await profileSnapshot(db, path);
    const col = (name: string): ColumnProfile => {
      const found = profile.columns.find((c) => c.name === name);
      if (found === undefined) throw new Error(`no column ${name}`);
      return found;
    };
    expect(profile.rows).toBe(4454);
    expect(profile.columns).toHaveLength(14);
    expect(col('Status')).toEqual({
      name: 'Status',
      dbType: 'VARCHAR',
      type: 'string',
      nulls: 0,
      distinct: 2,
      topValues: [
        { value: 'good', count: 3200 },
        { value: 'bad', count: 1254 },
      ],
    });
    expect(col('Home').nulls).toBe(6);
    expect(col('Home').distinct).toBe(6);
    expect(col('Home').topValues?.[0]).toEqual({ value: 'owner', count: 2107 });
    expect(col('Marital').nulls).toBe(1);
    expect(col('Job').nulls).toBe(2);
    const income = col('Income');
    expect(income.type).toBe('integer');
    expect(income.dbType).toBe('BIGINT');
    expect(income.nulls).toBe(381);
    expect(income.distinct).toBe(351);
    expect(income.min).toBe(6);
    expect(income.max).toBe(959);
    expect(income.mean).toBeCloseTo(141.68769948440953, 9);
    expect(income.topValues).toBeUndefined();
    expect(col('Assets').nulls).toBe(47);
    expect(col('Debt').nulls).toBe(18);
    expect(col('Price').distinct).toBe(1419);
  });

  it('types booleans, dates, timestamps and other columns', async () => {
    const path = await toParquet(
      'types.parquet',
      `SELECT * FROM (VALUES
         (1, 1.5::DOUBLE, 'x', true, DATE '2020-01-02', TIMESTAMP '2020-01-02 03:04:05.678', [1, 2], 1.25::DECIMAL(5,2)),
         (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
         (3, 2.5::DOUBLE, 'x', false, DATE '1969-12-31', TIMESTAMP '1970-01-01 00:00:00', [3], 2.75::DECIMAL(5,2))
       ) t(i, f, s, b, d, ts, l, dec)`,
    );
    const profile = await profileSnapshot(db, path);
    expect(profile.rows).toBe(3);
    const [i, f, s, b, d, ts, l, dec] = profile.columns;
    expect(i).toMatchObject({ type: 'integer', nulls: 1, distinct: 2, min: 1, max: 3, mean: 2 });
    expect(f).toMatchObject({ type: 'float', dbType: 'DOUBLE', min: 1.5, max: 2.5, mean: 2 });
    expect(s).toMatchObject({ type: 'string', nulls: 1, distinct: 1, topValues: [{ value: 'x', count: 2 }] });
    expect(b).toMatchObject({
      type: 'boolean',
      topValues: [
        { value: 'false', count: 1 },
        { value: 'true', count: 1 },
      ],
    });
    expect(d).toMatchObject({ type: 'date', min: '1969-12-31', max: '2020-01-02' });
    expect(ts).toMatchObject({ type: 'timestamp', min: '1970-01-01T00:00:00.000Z', max: '2020-01-02T03:04:05.678Z' });
    expect(l).toMatchObject({ type: 'other', nulls: 1, distinct: 2 });
    expect(l?.min).toBeUndefined();
    expect(dec).toMatchObject({ type: 'float', dbType: 'DECIMAL(5,2)', min: 1.25, max: 2.75, mean: 2 });
  });

  it('keeps only the ten most frequent values, ties by value', async () => {
    const path = await toParquet(
      'many.parquet',
      `SELECT 'v' || lpad((i % 15)::VARCHAR, 2, '0') AS v FROM range(150) t(i)`,
    );
    const [v] = (await profileSnapshot(db, path)).columns;
    expect(v?.distinct).toBe(15);
    expect(v?.topValues).toHaveLength(10);
    expect(v?.topValues?.[0]).toEqual({ value: 'v00', count: 10 });
    expect(v?.topValues?.[9]).toEqual({ value: 'v09', count: 10 });
  });

  it('estimates high distinct counts above a million rows, counts low ones exactly', async () => {
    const path = await toParquet('big.parquet', 'SELECT i, i % 1000 AS m FROM range(1200000) t(i)');
    const profile = await profileSnapshot(db, path);
    const [i, m] = profile.columns;
    expect(profile.rows).toBe(1_200_000);
    expect(Math.abs((i?.distinct ?? 0) - 1_200_000) / 1_200_000).toBeLessThan(0.1);
    // Low-cardinality columns are recounted exactly.
    expect(m?.distinct).toBe(1000);
    expect(i?.mean).toBeCloseTo(599_999.5, 3);
  });

  it('profiles a snapshot with no rows', async () => {
    const path = await toParquet('none.parquet', "SELECT 1 AS a, 'x' AS b WHERE false");
    expect(await profileSnapshot(db, path)).toEqual({
      rows: 0,
      columns: [
        { name: 'a', dbType: 'INTEGER', type: 'integer', nulls: 0, distinct: 0, min: null, max: null, mean: null },
        { name: 'b', dbType: 'VARCHAR', type: 'string', nulls: 0, distinct: 0, topValues: [] },
      ],
    });
  });
});
