// MySQL and MariaDB connector: each query runs in its own read-only transaction and is streamed with back-pressure.

import mysql from 'mysql2';
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

/** Column type codes of the MySQL protocol (mysql2's `Types`). */
const T = {
  DECIMAL: 0,
  TINY: 1,
  SHORT: 2,
  LONG: 3,
  FLOAT: 4,
  DOUBLE: 5,
  TIMESTAMP: 7,
  LONGLONG: 8,
  INT24: 9,
  DATE: 10,
  DATETIME: 12,
  YEAR: 13,
  NEWDATE: 14,
  BIT: 16,
  NEWDECIMAL: 246,
} as const;
const UNSIGNED_FLAG = 32;

/** Server errors: MariaDB's max_statement_time, MySQL's MAX_EXECUTION_TIME, access denied to user or database. */
const ER_STATEMENT_TIMEOUT = 1969;
const ER_QUERY_TIMEOUT = 3024;
const ER_DBACCESS_DENIED = 1044;
const ER_ACCESS_DENIED = 1045;
const ER_BAD_DB = 1049;

interface Column extends ColumnInfo {
  convert(value: unknown): unknown;
}

function columnOf(field: mysql.FieldPacket): Column {
  const type = field.columnType ?? field.type ?? -1;
  const flags = typeof field.flags === 'number' ? field.flags : 0;
  const column = (duckType: DuckType, convert: (value: unknown) => unknown): Column => ({
    name: field.name,
    duckType,
    convert: (value) => (value === null || value === undefined ? null : convert(value)),
  });
  switch (type) {
    case T.TINY:
    case T.SHORT:
    case T.LONG:
    case T.INT24:
    case T.YEAR:
      return column('BIGINT', (value) => BigInt(value as number));
    case T.LONGLONG: // a string, thanks to bigNumberStrings
      return column((flags & UNSIGNED_FLAG) !== 0 ? 'UBIGINT' : 'BIGINT', (value) => BigInt(value as string));
    case T.FLOAT:
    case T.DOUBLE:
    case T.DECIMAL:
    case T.NEWDECIMAL:
      return column('DOUBLE', (value) => Number(value));
    case T.BIT:
      return field.columnLength === 1
        ? column('BOOLEAN', (value) => (value as Buffer)[0] !== 0)
        : column('UBIGINT', (value) => BigInt(`0x${(value as Buffer).toString('hex') || '0'}`));
    // Strings, thanks to dateStrings; MySQL's zero dates (0000-00-00) are no date at all, and become NULL.
    case T.DATE:
    case T.NEWDATE:
    case T.DATETIME:
    case T.TIMESTAMP:
      return column(type === T.DATE || type === T.NEWDATE ? 'DATE' : 'TIMESTAMP', (value) =>
        String(value).startsWith('0000-00-00') ? null : String(value),
      );
    default:
      return column('VARCHAR', (value) => {
        if (typeof value === 'string') return value;
        // Binary strings and blobs in PostgreSQL's bytea spelling; spatial values as mysql2 decodes them.
        if (Buffer.isBuffer(value)) return `\\x${value.toString('hex')}`;
        return JSON.stringify(value);
      });
  }
}

export function openMysqlConnector(spec: ConnectionSpec, limits: ConnectorLimits): Connector {
  let connection: mysql.Connection | undefined;
  let mariadb = false;
  let busy = false;
  const where = { host: spec.host, port: spec.port, database: spec.database, user: spec.user };

  const run = (c: mysql.Connection, sql: string): Promise<unknown[][]> =>
    new Promise((resolve, reject) => {
      c.query({ sql, rowsAsArray: true }, (error, rows) => {
        if (error) reject(error);
        else resolve(rows as unknown[][]);
      });
    });

  const connect = async (): Promise<mysql.Connection> => {
    if (connection !== undefined) return connection;
    const next = mysql.createConnection({
      host: spec.host,
      port: spec.port,
      database: spec.database,
      user: spec.user,
      password: spec.password,
      ssl: spec.ssl === true ? {} : undefined,
      connectTimeout: limits.connectTimeoutMs,
      charset: 'utf8mb4',
      supportBigNumbers: true,
      bigNumberStrings: true,
      decimalNumbers: false,
      dateStrings: true,
      jsonStrings: true,
      multipleStatements: false,
    });
    // A connection dropped while idle would otherwise crash the process with an unhandled 'error' event.
    next.on('error', () => {
      if (connection === next) connection = undefined;
    });
    try {
      await new Promise<void>((resolve, reject) => next.connect((error) => (error ? reject(error) : resolve())));
      const [version] = await run(next, 'SELECT VERSION()');
      mariadb = /mariadb/i.test(String(version?.[0]));
      // TIMESTAMP columns come out in the session's time zone: make that UTC.
      await run(next, `SET SESSION time_zone = '+00:00'`);
    } catch (error) {
      next.destroy();
      throw connectError(error, spec, limits, where);
    }
    connection = next;
    return next;
  };

  const discard = (broken: mysql.Connection): void => {
    if (connection === broken) connection = undefined;
    broken.destroy();
  };

  return {
    async test() {
      const c = await connect();
      try {
        await run(c, 'SELECT 1');
      } catch (error) {
        discard(c);
        throw queryError(error, spec, limits);
      }
    },

    async *query(sql, batchRows) {
      checkSingleSelect(sql, 'mysql');
      checkBatchRows(batchRows);
      if (busy) throw new Error('This connector is already running a query.');
      busy = true;
      let c: mysql.Connection | undefined;
      let done = false;
      try {
        c = await connect();
        const timeout = Math.max(1, Math.round(limits.queryTimeoutMs));
        try {
          // MariaDB takes seconds (fractions allowed) and has no MAX_EXECUTION_TIME; MySQL takes milliseconds.
          await run(
            c,
            mariadb
              ? `SET SESSION max_statement_time = ${timeout / 1000}`
              : `SET SESSION MAX_EXECUTION_TIME = ${timeout}`,
          );
          await run(c, 'START TRANSACTION READ ONLY');
        } catch (error) {
          throw queryError(error, spec, limits);
        }
        const query = c.query({ sql, rowsAsArray: true });
        let fields: mysql.FieldPacket[] | undefined;
        query.on('fields', (packets: mysql.FieldPacket[]) => {
          fields = packets;
        });
        // The stream pauses the socket when its buffer is full, so the server waits while we append.
        const stream = query.stream({ highWaterMark: Math.min(batchRows, 1024) });
        let columns: Column[] | undefined;
        let batch: unknown[][] = [];
        try {
          for await (const row of stream as AsyncIterable<unknown[]>) {
            if (columns === undefined) {
              columns = (fields ?? []).map(columnOf);
              yield { columns: columns.map(({ name, duckType }) => ({ name, duckType })), rows: [] };
            }
            batch.push(row.map((value, i) => columns?.[i]?.convert(value) ?? null));
            if (batch.length >= batchRows) {
              yield { columns: columns.map(({ name, duckType }) => ({ name, duckType })), rows: batch };
              batch = [];
            }
          }
        } catch (error) {
          throw queryError(error, spec, limits);
        }
        if (columns === undefined) {
          yield { columns: (fields ?? []).map(columnOf).map(({ name, duckType }) => ({ name, duckType })), rows: [] };
        } else if (batch.length > 0) {
          yield { columns: columns.map(({ name, duckType }) => ({ name, duckType })), rows: batch };
        }
        try {
          await run(c, 'COMMIT');
        } catch (error) {
          throw queryError(error, spec, limits);
        }
        done = true;
      } finally {
        // Reached early when the caller stops iterating or a step failed. A half-read result cannot be abandoned on
        // a MySQL connection, so the connection goes, and the read-only transaction with it.
        if (c !== undefined && !done) discard(c);
        busy = false;
      }
    },

    async close() {
      const c = connection;
      connection = undefined;
      if (c !== undefined) {
        await new Promise<void>((resolve) => c.end(() => resolve()));
        c.destroy();
      }
    },
  };
}

function errno(error: unknown): number | undefined {
  const value = (error as { errno?: unknown }).errno;
  return typeof value === 'number' ? value : undefined;
}

export function connectError(
  error: unknown,
  spec: ConnectionSpec,
  limits: ConnectorLimits,
  where: Record<string, unknown>,
): ModelyardError {
  const reason = driverMessage(error, spec.password);
  const code = (error as { code?: unknown }).code;
  const target = `${spec.host}:${spec.port}`;
  const number = errno(error);
  if (number === ER_ACCESS_DENIED || number === ER_DBACCESS_DENIED) {
    return unprocessable('authentication_failed', `The server at ${target} rejected user '${spec.user}'.`, {
      ...where,
      reason,
    });
  }
  if (code === 'ETIMEDOUT') {
    return unprocessable('connection_timeout', `No connection to ${target} within ${limits.connectTimeoutMs} ms.`, {
      ...where,
      timeoutMs: limits.connectTimeoutMs,
      reason,
    });
  }
  const what = number === ER_BAD_DB ? `database '${spec.database}' does not exist` : reason;
  return unprocessable('connection_failed', `Could not connect to ${target}: ${what}`, { ...where, reason });
}

function queryError(error: unknown, spec: ConnectionSpec, limits: ConnectorLimits): ModelyardError {
  if (error instanceof ModelyardError) return error;
  const reason = driverMessage(error, spec.password);
  const number = errno(error);
  if (number === ER_STATEMENT_TIMEOUT || number === ER_QUERY_TIMEOUT) {
    return unprocessable('query_timeout', `The query ran longer than ${limits.queryTimeoutMs} ms.`, {
      timeoutMs: limits.queryTimeoutMs,
      reason,
    });
  }
  const sqlState = (error as { sqlState?: unknown }).sqlState;
  if (number !== undefined && typeof sqlState === 'string') {
    return unprocessable('query_failed', `The server rejected the query: ${reason}`, { errno: number, reason });
  }
  return unprocessable('connection_failed', `The connection to ${spec.host}:${spec.port} failed.`, { reason });
}
