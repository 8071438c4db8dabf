// The Trino connector against a local server that speaks the documented client protocol (trino.io, "Trino client
// REST API"): POST /v1/statement answers QueryResults with a nextUri, each GET of it the next page, the last page has
// no nextUri; errors travel in `error`; 502/503/504 mean "try again"; DELETE of the nextUri cancels. No Trino server
// runs here, so this tests the connector up to the client boundary.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardError } from '../errors.js';
import { openTrinoConnector, trinoDuckType, type TrinoSpec } from './trino-connector.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const COLUMNS = [
  { name: 'id', type: 'bigint' },
  { name: 'price', type: 'decimal(10,2)' },
  { name: 'ratio', type: 'double' },
  { name: 'name', type: 'varchar(20)' },
  { name: 'ok', type: 'boolean' },
  { name: 'day', type: 'date' },
  { name: 'at', type: 'timestamp(3)' },
  { name: 'tags', type: 'array(varchar)' },
];
const ROWS: unknown[][] = Array.from({ length: 7 }, (_, i) => [
  // Above 2^53 on purpose: the protocol sends bigint as a JSON number, exact only where a double is (even ones here).
  2 ** 53 + 2 * i,
  `${i}.50`,
  i === 3 ? 'NaN' : i / 4,
  i === 2 ? null : `name ${i}`,
  i % 2 === 0,
  `2026-01-0${i + 1}`,
  `2026-01-0${i + 1} 10:00:00.123`,
  ['a', String(i)],
]);

let server: Server;
let base: TrinoSpec;
const seen: Seen[] = [];
let busyAnswers = 0;

/** Pages of the scripted queries: 'SELECT * FROM t' in three data pages after a queued one. */
function pagesOf(sql: string): object[] | { status: number } {
  if (sql === 'SELECT 1') return [{ columns: [{ name: '_col0', type: 'integer' }], data: [[1]] }];
  if (sql === 'SELECT * FROM t') {
    return [
      { stats: { state: 'QUEUED' } },
      { columns: COLUMNS, data: ROWS.slice(0, 3) },
      { columns: COLUMNS, data: [] },
      { columns: COLUMNS, data: ROWS.slice(3) },
    ];
  }
  if (sql === 'SELECT nothing FROM t') return [{ columns: [{ name: 'nothing', type: 'varchar' }] }];
  if (sql === 'SELECT broken') {
    return [
      { stats: { state: 'QUEUED' } },
      {
        error: {
          message: "line 1:8: Column 'broken' cannot be resolved",
          errorName: 'COLUMN_NOT_FOUND',
          errorType: 'USER_ERROR',
        },
      },
    ];
  }
  if (sql === 'SELECT slow') {
    return [
      {
        error: {
          message: 'Query exceeded maximum time limit of 1.00s',
          errorName: 'EXCEEDED_TIME_LIMIT',
          errorType: 'INSUFFICIENT_RESOURCES',
        },
      },
    ];
  }
  if (sql === 'SELECT hang') return [{ stats: { state: 'RUNNING' } }, { hang: true }];
  return { status: 400 };
}

function answer(res: ServerResponse, id: string, pages: object[], page: number): void {
  const body = pages[page] as Record<string, unknown>;
  if (body.hang) return; // never answers
  const uri = `http://127.0.0.1:${base.port}/v1/statement/executing/${id}/${page + 1}`;
  const next = page + 1 < pages.length ? { nextUri: uri } : {};
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ id, infoUri: `http://x/ui/${id}`, ...body, ...next }));
}

const queries = new Map<string, object[]>();

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (
        req.headers.authorization !== undefined &&
        req.headers.authorization !== `Basic ${Buffer.from('ann:s3cret-pass').toString('base64')}`
      ) {
        res.writeHead(401).end('Unauthorized');
        return;
      }
      if (req.method === 'POST' && req.url === '/v1/statement') {
        const pages = pagesOf(body);
        if (!Array.isArray(pages)) {
          res.writeHead(pages.status, { 'content-type': 'text/plain' }).end('bad request');
          return;
        }
        const id = `q${queries.size}`;
        queries.set(id, pages);
        answer(res, id, pages, 0);
        return;
      }
      const match = /^\/v1\/statement\/executing\/(q\d+)\/(\d+)$/.exec(req.url ?? '');
      if (req.method === 'DELETE' && match) {
        res.writeHead(204).end();
        return;
      }
      if (req.method === 'GET' && match) {
        if (busyAnswers > 0) {
          busyAnswers--;
          res.writeHead(503).end();
          return;
        }
        answer(res, match[1]!, queries.get(match[1]!)!, Number(match[2]));
        return;
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  base = { host: '127.0.0.1', port, database: 'hive.sales', user: 'ann', password: '' };
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const limits = { connectTimeoutMs: 1500, queryTimeoutMs: 1500 };

async function collect(spec: TrinoSpec, sql: string, batchRows: number) {
  const batches: { columns: string[]; rows: unknown[][] }[] = [];
  for await (const batch of openTrinoConnector(spec, limits).query(sql, batchRows)) {
    batches.push({ columns: batch.columns.map((c) => `${c.name}:${c.duckType}`), rows: batch.rows });
  }
  return batches;
}

async function failure(promise: Promise<unknown>): Promise<ModelyardError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ModelyardError);
    expect((error as Error).message).not.toContain('s3cret-pass');
    return error as ModelyardError;
  }
  throw new Error('expected a failure');
}

describe('Trino connector (documented client protocol)', () => {
  it('follows nextUri through queued and empty pages, converts the types and batches the rows', async () => {
    const batches = await collect(base, 'SELECT * FROM t;', 4);
    expect(batches[0]!.rows).toEqual([]);
    expect(batches[0]!.columns).toEqual([
      'id:BIGINT',
      'price:DOUBLE',
      'ratio:DOUBLE',
      'name:VARCHAR',
      'ok:BOOLEAN',
      'day:DATE',
      'at:TIMESTAMP',
      'tags:VARCHAR',
    ]);
    expect(batches.slice(1).map((b) => b.rows.length)).toEqual([4, 3]);
    const rows = batches.flatMap((b) => b.rows);
    expect(rows[0]).toEqual([
      9007199254740992n,
      0.5,
      0,
      'name 0',
      true,
      '2026-01-01',
      '2026-01-01 10:00:00.123',
      '["a","0"]',
    ]);
    expect(rows[2]![3]).toBeNull();
    expect(rows[3]![2]).toBeNaN();
    // The statement goes without its semicolon, with the user, catalog, schema and a server-side time limit.
    const post = seen.find((s) => s.method === 'POST' && s.body === 'SELECT * FROM t')!;
    expect(post.headers['x-trino-user']).toBe('ann');
    expect(post.headers['x-trino-catalog']).toBe('hive');
    expect(post.headers['x-trino-schema']).toBe('sales');
    expect(post.headers['x-trino-session']).toBe('query_max_run_time=2s');
    expect(post.headers.authorization).toBeUndefined();
  });

  it('gives the same rows whatever the batch size, and retries 503 answers', async () => {
    const rowsOf = async (batchRows: number) =>
      (await collect(base, 'SELECT * FROM t', batchRows)).flatMap((b) => b.rows);
    busyAnswers = 2;
    expect(await rowsOf(1)).toEqual(await rowsOf(100));
    expect(busyAnswers).toBe(0);
  });

  it('yields the columns of an empty result', async () => {
    expect(await collect(base, 'SELECT nothing FROM t', 10)).toEqual([{ columns: ['nothing:VARCHAR'], rows: [] }]);
  });

  it('sends a password only as basic auth, and reports a refused one without echoing it', async () => {
    await openTrinoConnector({ ...base, password: 's3cret-pass' }, limits).test();
    const authorized = seen.filter((s) => s.headers.authorization !== undefined);
    expect(authorized.length).toBeGreaterThan(0);
    const wrong = await failure(openTrinoConnector({ ...base, password: 'not-it-at-all' }, limits).test());
    expect(wrong.code).toBe('authentication_failed');
  });

  it('maps query errors, the time limit and non-SELECT statements to their codes', async () => {
    const broken = await failure(collect(base, 'SELECT broken', 10));
    expect([broken.code, broken.status]).toEqual(['query_failed', 422]);
    expect(broken.message).toContain('COLUMN_NOT_FOUND');
    expect((await failure(collect(base, 'SELECT slow', 10))).code).toBe('query_timeout');
    expect((await failure(collect(base, 'DELETE FROM t', 10))).code).toBe('not_a_select');
    expect((await failure(collect(base, 'SELECT 1; DROP TABLE t', 10))).code).toBe('not_a_select');
  });

  it('stops a query that hangs at the time limit and cancels it on the server', async () => {
    const started = Date.now();
    const hung = await failure(collect(base, 'SELECT hang', 10));
    expect(hung.code).toBe('query_timeout');
    expect(Date.now() - started).toBeLessThan(4000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(seen.some((s) => s.method === 'DELETE')).toBe(true);
  });

  it('fails fast on a closed port and on an address that never answers', async () => {
    const refused = await failure(openTrinoConnector({ ...base, port: 1 }, limits).test());
    expect(refused.code).toBe('connection_failed');
    const started = Date.now();
    const silent = await failure(openTrinoConnector({ ...base, host: '10.255.255.1' }, limits).test());
    expect(['connection_timeout', 'connection_failed']).toContain(silent.code);
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it('maps Trino type names to DuckDB types', () => {
    expect(
      ['integer', 'varchar', 'timestamp(6) with time zone', 'real', 'map(varchar, bigint)'].map(trinoDuckType),
    ).toEqual(['BIGINT', 'VARCHAR', 'VARCHAR', 'DOUBLE', 'VARCHAR']);
  });
});
