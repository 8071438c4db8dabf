// The database connectors of the data catalog: one interface, one adapter per database, chosen by the spec's kind.
//
// Error contract (statuses as in ../errors.ts; messages and details never hold the password):
//   400 not_a_select           the SQL is not one single SELECT (read-only-sql.ts)
//   422 connection_failed      the server refused or dropped the connection, or the database does not exist
//   422 connection_timeout     no connection within connectTimeoutMs
//   422 authentication_failed  the server rejected the user or password
//   422 query_failed           the server rejected the query (syntax, permissions, a write in the read-only transaction)
//   422 query_timeout          the server stopped the query after queryTimeoutMs

import { openMysqlConnector } from './mysql-connector.js';
import { openPostgresConnector } from './postgres-connector.js';

export type ConnectorKind = 'postgres' | 'mysql';

export interface ConnectionSpec {
  kind: ConnectorKind;
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  ssl?: boolean;
}

export interface ConnectorLimits {
  connectTimeoutMs: number;
  /**
   * Enforced by the server. PostgreSQL applies it to each cursor fetch (statement_timeout counts per protocol
   * message); MySQL and MariaDB to the whole SELECT, including the time the stream waits for us.
   */
  queryTimeoutMs: number;
}

/**
 * The DuckDB types a connector may name, and the JS value each row carries for it (null for SQL NULL):
 * BIGINT and UBIGINT a bigint · DOUBLE a number · BOOLEAN a boolean · VARCHAR a string · DATE `YYYY-MM-DD` and
 * TIMESTAMP `YYYY-MM-DD HH:MM:SS[.ffffff]` in UTC, both with ISO 8601 years (`0000` is 1 BC, `-0001` 2 BC), or
 * `infinity` / `-infinity`. Dates travel as text because a JS Date holds neither microseconds nor every year exactly.
 */
export type DuckType = 'BIGINT' | 'UBIGINT' | 'DOUBLE' | 'BOOLEAN' | 'VARCHAR' | 'DATE' | 'TIMESTAMP';

export interface ColumnInfo {
  name: string;
  /** DuckDB SQL type to create the column with. */
  duckType: DuckType;
}

export interface Connector {
  /** Connects and runs a trivial query; throws ModelyardError on failure. */
  test(): Promise<void>;
  /**
   * Runs one read-only SELECT and yields the column list once (with no rows, also for an empty result), then row
   * batches of at most batchRows rows (arrays of values, column order). One query at a time per connector; stopping
   * the iteration early ends the query.
   */
  query(sql: string, batchRows: number): AsyncGenerator<{ columns: ColumnInfo[]; rows: unknown[][] }>;
  close(): Promise<void>;
}

/** Connects lazily: nothing happens on the network until `test` or `query`. */
export function openConnector(spec: ConnectionSpec, limits: ConnectorLimits): Connector {
  switch (spec.kind) {
    case 'postgres':
      return openPostgresConnector(spec, limits);
    case 'mysql':
      return openMysqlConnector(spec, limits);
  }
}

/** The message of an error from a driver, with the password cut out should a driver ever echo it. */
export function driverMessage(error: unknown, password: string): string {
  const message = error instanceof Error ? error.message : String(error);
  // Very short passwords would shred ordinary words; no driver has been seen to echo a password at all.
  return password.length >= 4 ? message.split(password).join('***') : message;
}

export function checkBatchRows(batchRows: number): void {
  if (!Number.isInteger(batchRows) || batchRows < 1) throw new RangeError(`batchRows must be a positive integer`);
}
