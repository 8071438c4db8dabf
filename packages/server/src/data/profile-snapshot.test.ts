import { mkdtemp, readFile, rm } from 'node:fs/promises';
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
      semanticType: 'categorical',
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
    const none = Array.from([0.05, 0.25, 0.5, 0.75, 0.95], (p) => ({ p, value: null }));
    expect(await profileSnapshot(db, path)).toEqual({
      rows: 0,
      columns: [
        {
          name: 'a',
          dbType: 'INTEGER',
          type: 'integer',
          semanticType: 'categorical',
          nulls: 0,
          distinct: 0,
          min: null,
          max: null,
          mean: null,
          std: null,
          quantiles: none,
        },
        {
          name: 'b',
          dbType: 'VARCHAR',
          type: 'string',
          semanticType: 'categorical',
          nulls: 0,
          distinct: 0,
          topValues: [],
        },
      ],
      summary: { columns: 2, missingCells: 0, semanticTypes: { categorical: 2 } },
    });
  });

  it('gives the standard deviation, quantiles and histogram of a numeric column as an independent computation does', async () => {
    const path = await toParquet('credit-stats.parquet', `SELECT * FROM read_csv(${quoteLiteral(CREDIT)})`);
    const profile = await profileSnapshot(db, path);
    const income = profile.columns.find((c) => c.name === 'Income')!;
    // The same figures from the CSV text, computed here without DuckDB (numpy's conventions: ddof 0, linear
    // interpolation between order statistics).
    const lines = (await readFile(CREDIT, 'utf8')).trim().split('\n');
    const at = lines[0]!.replace(/"/g, '').split(',').indexOf('Income');
    const values = lines
      .slice(1)
      .map((line) => line.split(',')[at]!)
      .filter((v) => v !== '' && v !== 'NA')
      .map(Number)
      .sort((a, b) => a - b);
    expect(values).toHaveLength(4454 - 381);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
    expect(income.std).toBeCloseTo(std, 9);
    const quantile = (p: number) => {
      const h = (values.length - 1) * p;
      const lo = Math.floor(h);
      return values[lo]! + (h - lo) * ((values[Math.min(lo + 1, values.length - 1)] ?? 0) - values[lo]!);
    };
    for (const { p, value } of income.quantiles!) expect(value).toBeCloseTo(quantile(p), 9);
    const { edges, counts } = income.histogram!;
    expect(edges).toHaveLength(21);
    expect([edges[0], edges[20]]).toEqual([6, 959]);
    const width = (959 - 6) / 20;
    const expected = new Array<number>(20).fill(0);
    for (const v of values) expected[Math.min(19, Math.floor((v - 6) / width))]!++;
    expect(counts).toEqual(expected);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(values.length);
    expect(income.semanticType).toBe('numeric');
    expect(profile.summary?.columns).toBe(14);
    expect(profile.summary?.missingCells).toBe(profile.columns.reduce((a, c) => a + c.nulls, 0));
  });

  it('tells ids, categories, text, numbers, booleans and datetimes apart', async () => {
    const path = await toParquet(
      'semantic.parquet',
      `SELECT i AS id, 'user-' || i AS login, i % 3 AS code, i * 1.5 AS amount, 'group ' || (i % 4) AS grp,
         md5(i::VARCHAR) || md5((i % 7)::VARCHAR) AS note, i % 2 = 0 AS flag, DATE '2020-01-01' + i::INTEGER AS day,
         i % 2 AS twin, 7 AS constant
       FROM range(200) t(i)`,
    );
    const types = Object.fromEntries((await profileSnapshot(db, path)).columns.map((c) => [c.name, c.semanticType]));
    expect(types).toEqual({
      id: 'id',
      login: 'id',
      code: 'categorical',
      amount: 'numeric',
      grp: 'categorical',
      note: 'id',
      flag: 'boolean',
      day: 'datetime',
      twin: 'categorical',
      constant: 'categorical',
    });
    // One value everywhere: a single histogram bin holding every row.
    const constant = (await profileSnapshot(db, path)).columns.find((c) => c.name === 'constant')!;
    expect(constant.histogram).toEqual({ edges: [7, 7], counts: [200] });
  });
});
