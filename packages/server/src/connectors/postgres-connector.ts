// PostgreSQL connector: each query runs in its own read-only transaction and is read through a cursor, batch by batch.

import type pg from 'pg';
import Cursor from 'pg-cursor';
import { ModelyardError, unprocessable } from '../errors.js';
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
import { lazyPostgresClient } from './postgres-client.js';

const OID = {
  bool: 16,
  int8: 20,
  int2: 21,
  int4: 23,
  float4: 700,
  float8: 701,
  numeric: 1700,
  date: 1082,
  timestamp: 1114,
  timestamptz: 1184,
} as const;

function duckTypeOf(oid: number): DuckType {
  switch (oid) {
    case OID.int2:
    case OID.int4:
    case OID.int8:
      return 'BIGINT';
    case OID.float4:
    case OID.float8:
    case OID.numeric:
      return 'DOUBLE';
    case OID.bool:
      return 'BOOLEAN';
    case OID.date:
      return 'DATE';
    case OID.timestamp:
    case OID.timestamptz:
      return 'TIMESTAMP';
    default:
      return 'VARCHAR';
  }
}

/**
 * Parsers from PostgreSQL's text format to the values of connector.ts. Every other type stays in its text form
 * (json, arrays, intervals, bytea as `\x…`), instead of pg's objects, so a VARCHAR column gets one stable spelling.
 */
function parserOf(oid: number): (text: string) => unknown {
  switch (duckTypeOf(oid)) {
    case 'BIGINT':
      return (text) => BigInt(text);
    case 'DOUBLE':
      return (text) => Number(text); // also 'NaN', 'Infinity', '-Infinity'
    case 'BOOLEAN':
      return (text) => text === 't';
    case 'DATE':
    case 'TIMESTAMP':
      return isoDateTime;
    default:
      return (text) => text;
  }
}

/**
 * With DateStyle ISO and TimeZone UTC (set per transaction) PostgreSQL writes `2020-01-05 12:34:56.5+00` and marks
 * BC years with a ` BC` suffix; ISO years count 1 BC as 0.
 */
function isoDateTime(text: string): string {
  const bc = text.endsWith(' BC');
  const plain = (bc ? text.slice(0, -3) : text).replace(/[+-]00(?::00)?$/, '');
  if (!bc) return plain;
  const dash = plain.indexOf('-');
  const year = 1 - Number(plain.slice(0, dash));
  const sign = year < 0 ? '-' : '';
  return `${sign}${String(Math.abs(year)).padStart(4, '0')}${plain.slice(dash)}`;
}

// pg's own declaration lists overloads for its built-in parsers; ours answers every OID with a text parser.
const TYPES = { getTypeParser: parserOf } as unknown as pg.CustomTypesConfig;

export function openPostgresConnector(spec: ConnectionSpec, limits: ConnectorLimits): Connector {
  const pool = lazyPostgresClient(spec, limits);
  const connect = pool.get;
  const discard = pool.discard;
  let busy = false;

  return {
    async test() {
      const c = await connect();
      try {
        await c.query('SELECT 1');
      } catch (error) {
        await discard(c);
        throw queryError(error, spec, limits);
      }
    },

    async *query(sql, batchRows) {
      checkSingleSelect(sql, 'postgres');
      checkBatchRows(batchRows);
      if (busy) throw new Error('This connector is already running a query.');
      busy = true;
      let c: pg.Client | undefined;
      let cursor: Cursor<unknown[]> | undefined;
      let open = false;
      try {
        c = await connect();
        const timeout = Math.max(1, Math.round(limits.queryTimeoutMs));
        let columns: ColumnInfo[] | undefined;
        try {
          await c.query('BEGIN READ ONLY');
          open = true;
          await c.query(`SET LOCAL statement_timeout = ${timeout}`);
          await c.query(`SET LOCAL TimeZone = 'UTC'`);
          await c.query(`SET LOCAL DateStyle = 'ISO, YMD'`);
          // Shortest exact float text on PostgreSQL 12+, and all digits on older servers.
          await c.query(`SET LOCAL extra_float_digits = 3`);
          cursor = c.query(new Cursor<unknown[]>(sql, [], { rowMode: 'array', types: TYPES }));
        } catch (error) {
          throw queryError(error, spec, limits);
        }
        for (;;) {
          let batch: { rows: unknown[][]; fields: pg.FieldDef[] };
          try {
            batch = await read(cursor, batchRows);
          } catch (error) {
            throw queryError(error, spec, limits);
          }
          if (columns === undefined) {
            columns = batch.fields.map((field) => ({ name: field.name, duckType: duckTypeOf(field.dataTypeID) }));
            yield { columns, rows: [] };
          }
          if (batch.rows.length > 0) yield { columns, rows: batch.rows };
          // pg-cursor hands back fewer rows than asked only when the portal is exhausted.
          if (batch.rows.length < batchRows) break;
        }
        try {
          await cursor.close();
          cursor = undefined;
          await c.query('COMMIT');
          open = false;
        } catch (error) {
          throw queryError(error, spec, limits);
        }
      } finally {
        // Reached early when the caller stops iterating or a step failed: end the transaction, or the connection.
        if (c !== undefined && open) {
          try {
            if (cursor !== undefined) await cursor.close();
            await c.query('ROLLBACK');
          } catch {
            await discard(c);
          }
        }
        busy = false;
      }
    },

    close: pool.close,
  };
}

function read(cursor: Cursor<unknown[]>, rows: number): Promise<{ rows: unknown[][]; fields: pg.FieldDef[] }> {
  return new Promise((resolve, reject) => {
    cursor.read(rows, (error, batch, result) => {
      if (error) reject(error);
      else resolve({ rows: batch, fields: result.fields });
    });
  });
}

function queryError(error: unknown, spec: ConnectionSpec, limits: ConnectorLimits): ModelyardError {
  if (error instanceof ModelyardError) return error;
  const reason = driverMessage(error, spec.password);
  const sqlState = (error as { code?: unknown }).code;
  // 57014 query_canceled: what statement_timeout raises.
  if (sqlState === '57014') {
    return unprocessable('query_timeout', `The query ran longer than ${limits.queryTimeoutMs} ms.`, {
      timeoutMs: limits.queryTimeoutMs,
      reason,
    });
  }
  if (typeof sqlState === 'string' && /^[0-9A-Z]{5}$/.test(sqlState)) {
    return unprocessable('query_failed', `PostgreSQL rejected the query: ${reason}`, { sqlState, reason });
  }
  return unprocessable('connection_failed', `The connection to PostgreSQL at ${spec.host}:${spec.port} failed.`, {
    reason,
  });
}
