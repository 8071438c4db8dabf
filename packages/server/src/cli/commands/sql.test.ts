import type { ModelyardClient, SqlQuery, SqlResult } from '@modelyard/client';
import { describe, expect, it } from 'vitest';
import { fetchRows, formatSqlResult } from './sql.js';

const result = (over: Partial<SqlResult>): SqlResult => ({
  columns: [
    { name: 'Status', type: 'VARCHAR' },
    { name: 'n', type: 'BIGINT' },
    { name: 'mean', type: 'DECIMAL(18,3)' },
  ],
  rows: [],
  nextCursor: null,
  elapsedMs: 12,
  ...over,
});

describe('formatSqlResult', () => {
  it('aligns numeric columns right by type, spells out NULL, and counts the rows', () => {
    const text = formatSqlResult(
      result({
        rows: [
          ['good', '3200', '12.500'],
          [null, '4', null],
        ],
      }),
    );
    expect(text.split('\n')).toEqual([
      'Status     n    mean',
      'good    3200  12.500',
      'NULL       4    NULL',
      '',
      '2 rows in 12ms',
    ]);
  });

  it('prints nested values as JSON and says where the next rows start', () => {
    const text = formatSqlResult(
      {
        columns: [{ name: 'x', type: 'STRUCT(a INTEGER)' }],
        rows: [[{ a: 1 }]],
        nextCursor: 'abc',
        elapsedMs: 1500,
      },
      40,
    );
    expect(text).toBe('x\n{"a":1}\n\n1 row in 1.5s; more with --offset 41');
  });
});

/** A stand-in for the API: `total` rows numbered from 0, paged by offset like the server. */
function fakeClient(total: number, calls: SqlQuery[]): ModelyardClient {
  const sql = (_project: string, q: SqlQuery): Promise<SqlResult> => {
    calls.push(q);
    const offset = q.cursor === undefined ? 0 : Number(q.cursor);
    const limit = q.limit ?? 100;
    const end = Math.min(total, offset + limit);
    const rows = Array.from({ length: Math.max(0, end - offset) }, (_, i) => [offset + i]);
    return Promise.resolve({
      columns: [{ name: 'i', type: 'INTEGER' }],
      rows,
      nextCursor: end < total ? String(end) : null,
      elapsedMs: 1,
    });
  };
  return { sql } as unknown as ModelyardClient;
}

describe('fetchRows', () => {
  it('answers the first page when there is no offset', async () => {
    const calls: SqlQuery[] = [];
    const got = await fetchRows(fakeClient(10, calls), 'demo', 'SELECT', 0, 4);
    expect(got.rows).toEqual([[0], [1], [2], [3]]);
    expect(got.nextCursor).toBe('4');
    expect(calls.map((c) => [c.limit, c.cursor])).toEqual([[4, undefined]]);
  });

  it('reads past an offset, then beyond the server page size', async () => {
    const calls: SqlQuery[] = [];
    const got = await fetchRows(fakeClient(5000, calls), 'demo', 'SELECT', 1500, 1200);
    expect(got.rows).toHaveLength(1200);
    expect(got.rows[0]).toEqual([1500]);
    expect(got.rows.at(-1)).toEqual([2699]);
    expect(got.nextCursor).toBe('2700');
    expect(got.elapsedMs).toBe(calls.length);
    expect(calls.map((c) => [c.limit, c.cursor])).toEqual([
      [1000, undefined],
      [500, '1000'],
      [1000, '1500'],
      [200, '2500'],
    ]);
  });

  it('stops at the end of the result, also when the offset lies beyond it', async () => {
    const short = await fetchRows(fakeClient(3, []), 'demo', 'SELECT', 1, 10);
    expect(short.rows).toEqual([[1], [2]]);
    expect(short.nextCursor).toBeNull();
    const past = await fetchRows(fakeClient(3, []), 'demo', 'SELECT', 7, 10);
    expect(past.rows).toEqual([]);
    expect(past.columns).toEqual([{ name: 'i', type: 'INTEGER' }]);
  });
});
