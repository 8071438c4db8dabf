// PostgreSQL table writer: multi-row INSERTs with bound parameters; a replace fills `<table>__modelyard_new` and
// swaps it in with DROP + RENAME in one transaction, an append runs in one transaction (creating the table in it).

import type pg from 'pg';
import { ModelyardError } from '../errors.js';
import type { ConnectionSpec, ConnectorLimits, DuckType } from './connector.js';
import {
  columnDifferences,
  insertGroups,
  mismatch,
  NEW_SUFFIX,
  writeFailed,
  type TableColumn,
  type TableName,
  type TableWriter,
} from './table-writer.js';
import { lazyPostgresClient } from './postgres-client.js';

const SQL_TYPE: Record<DuckType, string> = {
  BIGINT: 'bigint',
  // No unsigned 64-bit type: numeric holds every value exactly.
  UBIGINT: 'numeric(20, 0)',
  DOUBLE: 'double precision',
  BOOLEAN: 'boolean',
  VARCHAR: 'text',
  DATE: 'date',
  TIMESTAMP: 'timestamp',
};

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;
const qualified = (t: TableName): string => (t.schema === null ? quote(t.name) : `${quote(t.schema)}.${quote(t.name)}`);

/** PostgreSQL cuts longer identifiers short (with a notice only), which would write other names than asked. */
const MAX_IDENTIFIER_BYTES = 63;

export function openPostgresTableWriter(spec: ConnectionSpec, limits: ConnectorLimits): TableWriter {
  const pool = lazyPostgresClient(spec, limits, async (c) => {
    await c.query(`SET statement_timeout = ${Math.max(1, Math.round(limits.queryTimeoutMs))}`);
  });
  const connect = pool.get;
  const discard = pool.discard;

  /** The table's column names in order, or undefined when there is no such table. */
  const existingColumns = async (c: pg.Client, table: TableName): Promise<string[] | undefined> => {
    const found = await c.query<{ oid: string | null }>('SELECT to_regclass($1)::oid::text AS oid', [qualified(table)]);
    const oid = found.rows[0]?.oid ?? null;
    if (oid === null) return undefined;
    const r = await c.query<{ name: string }>(
      'SELECT attname AS name FROM pg_catalog.pg_attribute WHERE attrelid = $1::oid AND attnum > 0 AND NOT attisdropped ' +
        'ORDER BY attnum',
      [oid],
    );
    return r.rows.map((row) => row.name);
  };

  const create = (c: pg.Client, table: TableName, columns: TableColumn[]) =>
    c.query(
      `CREATE TABLE ${qualified(table)} (${columns.map((col) => `${quote(col.name)} ${SQL_TYPE[col.type]}`).join(', ')})`,
    );

  const insertAll = async (
    c: pg.Client,
    table: TableName,
    columns: TableColumn[],
    batches: AsyncIterable<unknown[][]>,
  ) => {
    const head = `INSERT INTO ${qualified(table)} (${columns.map((col) => quote(col.name)).join(', ')}) VALUES `;
    const n = columns.length;
    let statement = '';
    let statementRows = -1;
    let written = 0;
    for await (const group of insertGroups(batches, n)) {
      if (group.rows !== statementRows) {
        const tuples: string[] = [];
        for (let r = 0; r < group.rows; r++) {
          tuples.push(`(${Array.from({ length: n }, (_, i) => `$${r * n + i + 1}`).join(', ')})`);
        }
        statement = head + tuples.join(', ');
        statementRows = group.rows;
      }
      await c.query(statement, group.values);
      written += group.rows;
    }
    return written;
  };

  return {
    async write(table, columns, mode, batches) {
      if (columns.length === 0) throw writeFailed(table, new Error('The output has no columns.'), spec);
      const long = columns.find((col) => Buffer.byteLength(col.name) > MAX_IDENTIFIER_BYTES);
      if (long !== undefined) {
        throw writeFailed(table, new Error(`PostgreSQL names are at most 63 bytes: '${long.name}'.`), spec);
      }
      const c = await connect();
      let open = false;
      const staging = { schema: table.schema, name: `${table.name}${NEW_SUFFIX}` };
      try {
        if (mode === 'append') {
          await c.query('BEGIN');
          open = true;
          const existing = await existingColumns(c, table);
          if (existing === undefined) await create(c, table, columns);
          else {
            const differences = columnDifferences(
              columns.map((col) => col.name),
              existing,
              (name) => name,
            );
            if (differences.missing.length > 0 || differences.extra.length > 0) throw mismatch(table, differences);
          }
          const written = await insertAll(c, table, columns, batches);
          await c.query('COMMIT');
          open = false;
          return written;
        }
        await c.query(`DROP TABLE IF EXISTS ${qualified(staging)}`);
        await create(c, staging, columns);
        await c.query('BEGIN');
        open = true;
        const written = await insertAll(c, staging, columns, batches);
        await c.query(`DROP TABLE IF EXISTS ${qualified(table)}`);
        await c.query(`ALTER TABLE ${qualified(staging)} RENAME TO ${quote(table.name)}`);
        await c.query('COMMIT');
        open = false;
        return written;
      } catch (error) {
        try {
          if (open) await c.query('ROLLBACK');
          if (mode === 'replace') await c.query(`DROP TABLE IF EXISTS ${qualified(staging)}`);
        } catch {
          // A broken connection: the server rolls back, and a leftover staging table goes at the next replace.
          await discard(c);
        }
        if (error instanceof ModelyardError) throw error;
        throw writeFailed(table, error, spec);
      }
    },

    close: pool.close,
  };
}
