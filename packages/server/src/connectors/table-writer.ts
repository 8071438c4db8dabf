// Writing rows into a table on a database connection (batch outputs): one interface, one adapter per database.
//
// Error contract (besides the connectors' connection_failed, connection_timeout and authentication_failed; messages
// and details never hold the password):
//   400 invalid_table_name     the table is not `name` or `schema.name` of letters, digits and underscores
//   422 output_table_mismatch  append: the table's columns are not the output's (details.missing, details.extra)
//   422 output_table_failed    the server rejected a statement (types, permissions, sizes); nothing was left written

import { badRequest, unprocessable, type ModelyardError } from '../errors.js';
import { driverMessage, type ConnectionSpec, type ConnectorLimits, type DuckType } from './connector.js';
import { openMysqlTableWriter } from './mysql-table-writer.js';
import { openPostgresTableWriter } from './postgres-table-writer.js';

export type OutputTableMode = 'replace' | 'append';

/** `name`, or `schema.name` (on MySQL and MariaDB the schema is a database on the same server). */
export interface TableName {
  schema: string | null;
  name: string;
}

export interface TableColumn {
  name: string;
  type: DuckType;
}

/**
 * What `write` reads: batches of rows, each an array of values in column order, typed as connector.ts describes for
 * each DuckType. DOUBLE NaN and ±Infinity are written as NULL (missing, as the engine reads NaN; MySQL has no NaN).
 */
export type RowBatches = AsyncIterable<unknown[][]>;

export interface TableWriter {
  /**
   * `replace`: afterwards the table holds exactly these rows; it is swapped in only once every row is written, so
   * a failure leaves the old table as it was. `append`: the table (created when missing) must have the columns'
   * names; every row goes in within one transaction. Returns the rows written.
   */
  write(table: TableName, columns: TableColumn[], mode: OutputTableMode, batches: RowBatches): Promise<number>;
  close(): Promise<void>;
}

/** Rows per INSERT at most, fewer when the columns would pass PostgreSQL's and MySQL's 65,535-parameter limit. */
export const INSERT_ROWS = 1_000;
const MAX_PARAMETERS = 65_535;
/** A statement is sent once its values pass this many bytes, well within MySQL's default max_allowed_packet. */
const STATEMENT_BYTES = 4 * 1024 * 1024;
/** The suffixes of the tables a replace builds and swaps out; the name must leave room for them. */
export const NEW_SUFFIX = '__modelyard_new';
export const OLD_SUFFIX = '__modelyard_old';
const MAX_NAME = 63 - NEW_SUFFIX.length;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses `name` or `schema.name` (400 invalid_table_name for anything else). */
export function parseTableName(text: string): TableName {
  const parts = text.split('.');
  const valid =
    parts.length <= 2 &&
    parts.every((p) => IDENTIFIER.test(p) && p.length <= 63) &&
    parts[parts.length - 1]!.length <= MAX_NAME;
  if (!valid) {
    throw badRequest(
      'invalid_table_name',
      `'${text}' is not a table name: give name or schema.name, each of letters, digits and underscores ` +
        `(not starting with a digit; the name at most ${MAX_NAME} characters).`,
      { table: text },
    );
  }
  return parts.length === 2 ? { schema: parts[0]!, name: parts[1]! } : { schema: null, name: parts[0]! };
}

export function formatTableName(table: TableName): string {
  return table.schema === null ? table.name : `${table.schema}.${table.name}`;
}

/** Rows per INSERT for this many columns. */
export function rowsPerInsert(columnCount: number): number {
  return Math.max(1, Math.min(INSERT_ROWS, Math.floor(MAX_PARAMETERS / Math.max(1, columnCount))));
}

/** A value ready to bind: non-finite numbers become NULL, bigints text (exact on both drivers). */
export function bindValue(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/**
 * Regroups incoming batches into INSERT-sized groups of bound values (rows × columns flattened), so the writer
 * holds one statement's rows at a time whatever size the reader's batches have.
 */
export async function* insertGroups(
  batches: RowBatches,
  columnCount: number,
): AsyncGenerator<{ rows: number; values: unknown[] }> {
  const limit = rowsPerInsert(columnCount);
  let values: unknown[] = [];
  let rows = 0;
  let bytes = 0;
  for await (const batch of batches) {
    for (const row of batch) {
      if (row.length !== columnCount) throw new Error(`A row has ${row.length} values for ${columnCount} columns.`);
      for (const value of row) {
        const bound = bindValue(value);
        values.push(bound);
        bytes += typeof bound === 'string' ? bound.length * 3 : 8;
      }
      rows++;
      if (rows >= limit || bytes >= STATEMENT_BYTES) {
        yield { rows, values };
        values = [];
        rows = 0;
        bytes = 0;
      }
    }
  }
  if (rows > 0) yield { rows, values };
}

/** Column names the table lacks and has beyond the output's, compared as the database compares names. */
export function columnDifferences(
  wanted: string[],
  actual: string[],
  fold: (name: string) => string,
): { missing: string[]; extra: string[] } {
  const have = new Set(actual.map(fold));
  const want = new Set(wanted.map(fold));
  return { missing: wanted.filter((c) => !have.has(fold(c))), extra: actual.filter((c) => !want.has(fold(c))) };
}

export function mismatch(table: TableName, differences: { missing: string[]; extra: string[] }): ModelyardError {
  const parts = [
    differences.missing.length > 0 && `it lacks ${differences.missing.map((c) => `'${c}'`).join(', ')}`,
    differences.extra.length > 0 && `it has ${differences.extra.map((c) => `'${c}'`).join(', ')} besides`,
  ].filter(Boolean);
  return unprocessable(
    'output_table_mismatch',
    `Cannot append to ${formatTableName(table)}: its columns are not the output's (${parts.join('; ')}).`,
    { table: formatTableName(table), ...differences },
  );
}

export function writeFailed(table: TableName, error: unknown, spec: ConnectionSpec): ModelyardError {
  const reason = driverMessage(error, spec.password);
  return unprocessable('output_table_failed', `Writing table ${formatTableName(table)} failed: ${reason}`, {
    table: formatTableName(table),
    reason,
  });
}

/** Connects lazily, at the first write. */
export function openTableWriter(spec: ConnectionSpec, limits: ConnectorLimits): TableWriter {
  switch (spec.kind) {
    case 'postgres':
      return openPostgresTableWriter(spec, limits);
    case 'mysql':
      return openMysqlTableWriter(spec, limits);
  }
}
