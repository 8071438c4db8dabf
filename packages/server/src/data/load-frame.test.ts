import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CategoryColumn, Column, NumericColumn } from '@modelyard/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDb, type DuckDb } from './duckdb.js';
import { loadFrame } from './load-frame.js';
import { profileSnapshot } from './profile-snapshot.js';
import { quoteLiteral } from './sql-quote.js';

const CREDIT = fileURLToPath(new URL('../../../../examples/data/credit_data.csv', import.meta.url));

function numeric(column: Column): NumericColumn {
  if (column.kind !== 'number') throw new Error(`${column.name} is not numeric`);
  return column;
}
function category(column: Column): CategoryColumn {
  if (column.kind !== 'category') throw new Error(`${column.name} is not a category`);
  return column;
}
function label(column: CategoryColumn, row: number): string | null {
  const code = column.codes[row];
  if (code === undefined) throw new Error(`row ${row} out of range`);
  return code === -1 ? null : (column.dictionary[code] ?? 'BAD CODE');
}

describe('loadFrame', () => {
  let db: DuckDb;
  let dir: string;
  let credit: string;
  const toParquet = async (name: string, select: string): Promise<string> => {
    const path = join(dir, name);
    await db.withConnection((c) => c.run(`COPY (${select}) TO ${quoteLiteral(path)} (FORMAT parquet)`));
    return path;
  };

  beforeAll(async () => {
    db = await openDuckDb();
    dir = await mkdtemp(join(tmpdir(), 'modelyard-frame-test-'));
    credit = await toParquet('credit.parquet', `SELECT * FROM read_csv(${quoteLiteral(CREDIT)})`);
  });
  afterAll(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('loads credit_data.csv across several chunks with known cells', async () => {
    const frame = await loadFrame(db, credit);
    expect(frame.nRows).toBe(4454);
    expect(frame.names).toHaveLength(14);
    const status = category(frame.column('Status'));
    expect(status.dictionary).toEqual(['good', 'bad']);
    expect(label(status, 0)).toBe('good');
    expect(label(status, 2)).toBe('bad');
    expect(numeric(frame.column('Seniority')).values[0]).toBe(9);
    expect(numeric(frame.column('Price')).values[1]).toBe(1658);
    // File line 31: "bad",0,,48,37,"single","no",,35,,,,1500,1850
    const row = 29;
    expect(label(status, row)).toBe('bad');
    expect(label(category(frame.column('Home')), row)).toBeNull();
    expect(label(category(frame.column('Job')), row)).toBeNull();
    expect(numeric(frame.column('Income')).values[row]).toBeNaN();
    expect(numeric(frame.column('Amount')).values[row]).toBe(1500);
    // The last row, read from the last chunk.
    expect(numeric(frame.column('Income')).values[4453]).toBe(140);
    expect(label(category(frame.column('Home')), 4453)).toBe('owner');
  });

  it('has the same missing counts as the profile', async () => {
    const frame = await loadFrame(db, credit);
    const profile = await profileSnapshot(db, credit);
    for (const columnProfile of profile.columns) {
      const column = frame.column(columnProfile.name);
      const missing =
        column.kind === 'number'
          ? column.values.filter((v) => Number.isNaN(v)).length
          : column.codes.filter((c) => c === -1).length;
      expect({ name: columnProfile.name, missing }).toEqual({ name: columnProfile.name, missing: columnProfile.nulls });
    }
    expect(profile.columns.find((c) => c.name === 'Income')?.nulls).toBe(381);
  });

  it('loads only the named columns, in the given order', async () => {
    const frame = await loadFrame(db, credit, ['Income', 'Status']);
    expect(frame.names).toEqual(['Income', 'Status']);
    expect(frame.nRows).toBe(4454);
    await expect(loadFrame(db, credit, ['Status', 'Nope'])).rejects.toMatchObject({
      status: 422,
      code: 'unknown_column',
      details: { column: 'Nope' },
    });
    await expect(loadFrame(db, credit, ['Status', 'Income', 'Status'])).rejects.toMatchObject({
      status: 422,
      code: 'duplicate_column',
      details: { column: 'Status' },
    });
  });

  it('turns dates, timestamps, booleans and other types into numbers and categories', async () => {
    const path = await toParquet(
      'types.parquet',
      `SELECT * FROM (VALUES
         (1::TINYINT, 1.5::FLOAT, true, DATE '2020-01-02', TIMESTAMP '2020-01-02 03:04:05.678', [1, 2], 1.25::DECIMAL(5,2), 'x'),
         (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
         (3::TINYINT, -2.5::FLOAT, false, DATE '1969-12-31', TIMESTAMP '1969-12-31 23:59:59', [3], 2.75::DECIMAL(5,2), 'y')
       ) t(i, f, b, d, ts, l, dec, "we""ird name")`,
    );
    const frame = await loadFrame(db, path);
    expect(Array.from(numeric(frame.column('i')).values)).toEqual([1, NaN, 3]);
    expect(Array.from(numeric(frame.column('f')).values)).toEqual([1.5, NaN, -2.5]);
    const b = category(frame.column('b'));
    expect([label(b, 0), label(b, 1), label(b, 2)]).toEqual(['true', null, 'false']);
    expect(Array.from(numeric(frame.column('d')).values)).toEqual([18263, NaN, -1]);
    expect(Array.from(numeric(frame.column('ts')).values)).toEqual([Date.UTC(2020, 0, 2, 3, 4, 5, 678), NaN, -1000]);
    const l = category(frame.column('l'));
    expect([label(l, 0), label(l, 1), label(l, 2)]).toEqual(['[1, 2]', null, '[3]']);
    expect(Array.from(numeric(frame.column('dec')).values)).toEqual([1.25, NaN, 2.75]);
    expect(category(frame.column('we"ird name')).dictionary).toEqual(['x', 'y']);
  });

  it('loads a snapshot with no rows and one with no selected columns', async () => {
    const empty = await toParquet('empty.parquet', "SELECT 1 AS a, 'x' AS b WHERE false");
    const frame = await loadFrame(db, empty);
    expect(frame.nRows).toBe(0);
    expect(frame.names).toEqual(['a', 'b']);
    expect((await loadFrame(db, credit, [])).names).toEqual([]);
  });

  it('streams a large snapshot into typed arrays', async () => {
    const path = await toParquet(
      'large.parquet',
      "SELECT i::DOUBLE / 2 AS x, CASE WHEN i % 5 = 0 THEN NULL ELSE 'c' || (i % 7) END AS c FROM range(500000) t(i)",
    );
    const frame = await loadFrame(db, path);
    const x = numeric(frame.column('x'));
    const c = category(frame.column('c'));
    expect(frame.nRows).toBe(500_000);
    expect(x.values).toBeInstanceOf(Float64Array);
    expect(x.values[499_999]).toBe(249_999.5);
    expect(c.codes).toBeInstanceOf(Int32Array);
    expect(c.dictionary).toHaveLength(7);
    expect(c.codes.filter((code) => code === -1).length).toBe(100_000);
    expect(label(c, 499_999)).toBe(`c${499_999 % 7}`);
  });
});
