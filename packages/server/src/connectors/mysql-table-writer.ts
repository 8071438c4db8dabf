// MySQL and MariaDB table writer: multi-row INSERTs as server-side prepared statements (bound parameters). DDL commits
// on its own there, so a replace fills `<table>__modelyard_new` and swaps it in with one RENAME TABLE of two pairs
// (atomic) through `<table>__modelyard_old`; an append runs its inserts in one transaction and drops a table it made.

import mysql from 'mysql2/promise';
import { ModelyardError } from '../errors.js';
import type { ConnectionSpec, ConnectorLimits, DuckType } from './connector.js';
import { connectError } from './mysql-connector.js';
import {
  columnDifferences,
  insertGroups,
  mismatch,
  NEW_SUFFIX,
  OLD_SUFFIX,
  writeFailed,
  type RowBatches,
  type TableColumn,
  type TableName,
  type TableWriter,
} from './table-writer.js';

const SQL_TYPE: Record<DuckType, string> = {
  BIGINT: 'BIGINT',
  UBIGINT: 'BIGINT UNSIGNED',
  DOUBLE: 'DOUBLE',
  BOOLEAN: 'BOOLEAN',
  // TEXT stops at 64 KB; LONGTEXT takes whatever a VARCHAR of the output holds, and no index is made on it.
  VARCHAR: 'LONGTEXT',
  DATE: 'DATE',
  // DATETIME, not TIMESTAMP: no time zone conversion, no 2038 limit; 6 digits keep the microseconds.
  TIMESTAMP: 'DATETIME(6)',
};

const quote = (name: string): string => `\`${name.replace(/`/g, '``')}\``;
const qualified = (t: TableName): string => (t.schema === null ? quote(t.name) : `${quote(t.schema)}.${quote(t.name)}`);

/** MySQL names are at most 64 characters; column names may not end with a space. */
const MAX_IDENTIFIER = 64;

export function openMysqlTableWriter(spec: ConnectionSpec, limits: ConnectorLimits): TableWriter {
  let connection: mysql.Connection | undefined;
  const where = { host: spec.host, port: spec.port, database: spec.database, user: spec.user };

  const connect = async (): Promise<mysql.Connection> => {
    if (connection !== undefined) return connection;
    let next: mysql.Connection | undefined;
    try {
      next = await mysql.createConnection({
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
        multipleStatements: false,
      });
      const [rows] = await next.query<mysql.RowDataPacket[]>('SELECT VERSION() AS v');
      // MariaDB's limit covers every statement; MySQL's MAX_EXECUTION_TIME only SELECTs, so writes there have none.
      if (/mariadb/i.test(String(rows[0]?.v))) {
        await next.query(`SET SESSION max_statement_time = ${Math.max(1, Math.round(limits.queryTimeoutMs)) / 1000}`);
      }
    } catch (error) {
      next?.destroy();
      throw connectError(error, spec, limits, where);
    }
    // A connection dropped while idle would otherwise crash the process with an unhandled 'error' event.
    const opened = next;
    opened.on('error', () => {
      if (connection === opened) connection = undefined;
    });
    connection = opened;
    return opened;
  };

  const discard = (broken: mysql.Connection): void => {
    if (connection === broken) connection = undefined;
    broken.destroy();
  };

  /** The table's column names in order, or undefined when there is no such table. */
  const existingColumns = async (c: mysql.Connection, table: TableName): Promise<string[] | undefined> => {
    const schema = table.schema === null ? 'DATABASE()' : '?';
    const params = table.schema === null ? [table.name] : [table.schema, table.name];
    const [tables] = await c.execute<mysql.RowDataPacket[]>(
      `SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ${schema} AND TABLE_NAME = ?`,
      params,
    );
    if (tables.length === 0) return undefined;
    const [columns] = await c.execute<mysql.RowDataPacket[]>(
      `SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ${schema} AND TABLE_NAME = ? ` +
        'ORDER BY ORDINAL_POSITION',
      params,
    );
    return columns.map((row) => String(row.name));
  };

  const create = (c: mysql.Connection, table: TableName, columns: TableColumn[]) =>
    c.query(
      `CREATE TABLE ${qualified(table)} (${columns.map((col) => `${quote(col.name)} ${SQL_TYPE[col.type]}`).join(', ')}) ` +
        'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4',
    );

  /** Every row in one transaction. */
  const insertAll = async (c: mysql.Connection, table: TableName, columns: TableColumn[], batches: RowBatches) => {
    const head = `INSERT INTO ${qualified(table)} (${columns.map((col) => quote(col.name)).join(', ')}) VALUES `;
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    let written = 0;
    await c.query('START TRANSACTION');
    try {
      for await (const group of insertGroups(batches, columns.length)) {
        const statement = head + Array.from({ length: group.rows }, () => tuple).join(', ');
        await c.execute(statement, group.values as (string | number | boolean | null)[]);
        written += group.rows;
      }
      await c.query('COMMIT');
    } catch (error) {
      await c.query('ROLLBACK').catch(() => discard(c));
      throw error;
    }
    return written;
  };

  return {
    async write(table, columns, mode, batches) {
      if (columns.length === 0) throw writeFailed(table, new Error('The output has no columns.'), spec);
      const bad = columns.find((col) => col.name.length > MAX_IDENTIFIER || col.name.endsWith(' '));
      if (bad !== undefined) {
        throw writeFailed(
          table,
          new Error(`MySQL names are at most 64 characters and end in no space: '${bad.name}'.`),
          spec,
        );
      }
      const c = await connect();
      const staging = { schema: table.schema, name: `${table.name}${NEW_SUFFIX}` };
      const old = { schema: table.schema, name: `${table.name}${OLD_SUFFIX}` };
      let made: TableName | undefined;
      try {
        if (mode === 'append') {
          const existing = await existingColumns(c, table);
          if (existing === undefined) {
            await create(c, table, columns);
            made = table;
          } else {
            const fold = (name: string) => name.toLowerCase(); // column names are case-insensitive there
            const differences = columnDifferences(
              columns.map((col) => col.name),
              existing,
              fold,
            );
            if (differences.missing.length > 0 || differences.extra.length > 0) throw mismatch(table, differences);
          }
          return await insertAll(c, table, columns, batches);
        }
        await c.query(`DROP TABLE IF EXISTS ${qualified(staging)}`);
        await c.query(`DROP TABLE IF EXISTS ${qualified(old)}`);
        await create(c, staging, columns);
        made = staging;
        const written = await insertAll(c, staging, columns, batches);
        if ((await existingColumns(c, table)) === undefined) {
          await c.query(`RENAME TABLE ${qualified(staging)} TO ${qualified(table)}`);
        } else {
          await c.query(
            `RENAME TABLE ${qualified(table)} TO ${qualified(old)}, ${qualified(staging)} TO ${qualified(table)}`,
          );
        }
        made = undefined;
        // The new rows are in place: a leftover old table is dropped at the next replace at the latest.
        await c.query(`DROP TABLE IF EXISTS ${qualified(old)}`).catch(() => undefined);
        return written;
      } catch (error) {
        if (made !== undefined) {
          const leftover = made;
          await c.query(`DROP TABLE IF EXISTS ${qualified(leftover)}`).catch(() => discard(c));
        }
        if (error instanceof ModelyardError) throw error;
        throw writeFailed(table, error, spec);
      }
    },

    async close() {
      const c = connection;
      connection = undefined;
      if (c !== undefined) {
        await c.end().catch(() => undefined);
        c.destroy();
      }
    },
  };
}
