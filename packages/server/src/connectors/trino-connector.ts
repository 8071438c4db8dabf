// Trino through its documented client REST protocol (POST /v1/statement, then GET each nextUri until there is none;
// DELETE the nextUri to cancel). Written on fetch rather than the trino-client package: that one has no timeouts and
// drops the rows and the error of the first answer when the query finishes at once.

import { ModelyardError } from '../errors.js';
import {
  checkBatchRows,
  driverMessage,
  type ColumnInfo,
  type ConnectionSpec,
  type Connector,
  type ConnectorLimits,
  type DuckType,
} from './connector.js';
import { checkSingleSelect } from './read-only-sql.js';

/** `database` is `catalog` or `catalog.schema`; a password goes over HTTPS only (Trino refuses it otherwise). */
export type TrinoSpec = Omit<ConnectionSpec, 'kind'>;

interface QueryResults {
  id?: string;
  nextUri?: string;
  columns?: { name: string; type: string }[];
  data?: unknown[][];
  error?: { message?: string; errorName?: string; errorType?: string };
}

const fail = (status: number, code: string, message: string): ModelyardError =>
  new ModelyardError(status, code, message);

/** DuckDB type for a Trino type name (parameters such as varchar(20) or timestamp(3) ignored). */
export function trinoDuckType(type: string): DuckType {
  const base = type.toLowerCase().replace(/\(.*$/, '').trim();
  if (['tinyint', 'smallint', 'integer', 'bigint'].includes(base)) return 'BIGINT';
  if (['real', 'double', 'decimal'].includes(base)) return 'DOUBLE';
  if (base === 'boolean') return 'BOOLEAN';
  if (base === 'date') return 'DATE';
  // Zoned timestamps carry their zone name in the text: kept as text rather than guessed into UTC.
  if (base === 'timestamp' && !/with time zone/.test(type.toLowerCase())) return 'TIMESTAMP';
  return 'VARCHAR';
}

/** A Trino JSON value as the JS value the DuckDB column type takes (see DuckType in connector.ts). */
function convert(value: unknown, type: DuckType): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'BIGINT':
      return BigInt(value as number | string);
    case 'DOUBLE':
      // Decimals arrive as strings, and doubles as "NaN" / "Infinity" when not finite.
      return typeof value === 'number' ? value : Number(value);
    case 'BOOLEAN':
      return value === true;
    case 'VARCHAR':
      return typeof value === 'string' ? value : JSON.stringify(value);
    default:
      return String(value);
  }
}

export function openTrinoConnector(spec: TrinoSpec, limits: ConnectorLimits): Connector {
  const base = `${spec.ssl === true ? 'https' : 'http'}://${spec.host}:${spec.port}`;
  const [catalog, schema] = spec.database.split('.', 2);
  const headers: Record<string, string> = { 'X-Trino-User': spec.user, 'X-Trino-Source': 'modelyard' };
  if (catalog) headers['X-Trino-Catalog'] = catalog;
  if (schema) headers['X-Trino-Schema'] = schema;
  // The server stops the query at this limit too; the client-side deadline below covers a server that does not.
  headers['X-Trino-Session'] = `query_max_run_time=${Math.max(1, Math.ceil(limits.queryTimeoutMs / 1000))}s`;
  if (spec.password !== '') {
    headers.Authorization = `Basic ${Buffer.from(`${spec.user}:${spec.password}`).toString('base64')}`;
  }

  /** One HTTP exchange of the protocol, with the deadline and the protocol's retry on 502/503/504. */
  const exchange = async (url: string, init: RequestInit, deadline: number, first: boolean): Promise<QueryResults> => {
    for (let attempt = 0; ; attempt++) {
      const left = deadline - Date.now();
      if (left <= 0) throw timeout(first);
      let response: Response;
      try {
        response = await fetch(url, { ...init, signal: AbortSignal.timeout(left) });
      } catch (error) {
        if ((error as Error).name === 'TimeoutError') throw timeout(first);
        throw fail(
          422,
          'connection_failed',
          `Cannot reach Trino at ${base}: ${driverMessage(causeOf(error), spec.password)}`,
        );
      }
      if ([502, 503, 504].includes(response.status) && attempt < 20) {
        await response.body?.cancel();
        await new Promise((resolve) => setTimeout(resolve, 50 + 50 * Math.random()));
        continue;
      }
      if (response.status === 401 || response.status === 403) {
        await response.body?.cancel();
        throw fail(422, 'authentication_failed', `Trino refused user '${spec.user}' (HTTP ${response.status}).`);
      }
      if (response.status !== 200) {
        const text = (await response.text()).slice(0, 300);
        throw fail(
          422,
          'query_failed',
          `Trino answered HTTP ${response.status}: ${driverMessage(text, spec.password)}`,
        );
      }
      const results = (await response.json()) as QueryResults;
      if (results.error) {
        const name = results.error.errorName ?? 'ERROR';
        const message = driverMessage(results.error.message ?? name, spec.password);
        if (name === 'EXCEEDED_TIME_LIMIT') throw fail(422, 'query_timeout', `Trino stopped the query: ${message}`);
        throw fail(422, 'query_failed', `Trino rejected the query (${name}): ${message}`);
      }
      return results;
    }
  };
  const timeout = (connecting: boolean): ModelyardError =>
    connecting
      ? fail(422, 'connection_timeout', `No answer from Trino at ${base} within ${limits.connectTimeoutMs} ms.`)
      : fail(422, 'query_timeout', `The query did not finish within ${limits.queryTimeoutMs} ms.`);

  async function* run(sql: string, batchRows: number): AsyncGenerator<{ columns: ColumnInfo[]; rows: unknown[][] }> {
    checkBatchRows(batchRows);
    // Trino's lexical rules are ANSI SQL's, as PostgreSQL's. There is no read-only transaction over this protocol:
    // the check and the Trino user's own permissions are the guards.
    checkSingleSelect(sql, 'postgres');
    const statement = sql.replace(/;\s*$/, '');
    const started = Date.now();
    let results = await exchange(
      `${base}/v1/statement`,
      { method: 'POST', headers: { ...headers, 'Content-Type': 'text/plain' }, body: statement },
      started + Math.min(limits.connectTimeoutMs, limits.queryTimeoutMs),
      true,
    );
    let columns: ColumnInfo[] | undefined;
    let pending: unknown[][] = [];
    let finished = false;
    try {
      for (;;) {
        if (columns === undefined && results.columns) {
          columns = results.columns.map((c) => ({ name: c.name, duckType: trinoDuckType(c.type) }));
          yield { columns, rows: [] };
        }
        const types = columns?.map((c) => c.duckType) ?? [];
        for (const row of results.data ?? []) {
          pending.push(row.map((value, k) => convert(value, types[k]!)));
          if (pending.length === batchRows) {
            yield { columns: columns!, rows: pending };
            pending = [];
          }
        }
        if (results.nextUri === undefined) break;
        results = await exchange(results.nextUri, { headers }, started + limits.queryTimeoutMs, false);
      }
      finished = true;
    } finally {
      // Stopped early, failed or timed out: tell Trino to drop the query (best effort).
      if (!finished && results.nextUri !== undefined) {
        void fetch(results.nextUri, { method: 'DELETE', headers, signal: AbortSignal.timeout(2000) }).catch(() => {});
      }
    }
    if (columns === undefined)
      throw fail(422, 'query_failed', 'Trino finished the query without describing its columns.');
    if (pending.length > 0) yield { columns, rows: pending };
  }

  return {
    async test() {
      for await (const batch of run('SELECT 1', 1)) void batch;
    },
    query: run,
    async close() {},
  };
}

/** fetch wraps network errors: the cause holds the useful text (ECONNREFUSED, ENOTFOUND, ...). */
function causeOf(error: unknown): unknown {
  const cause = (error as { cause?: unknown }).cause;
  return cause instanceof Error ? cause : error;
}
