// Copies a Parquet snapshot into a database table: DuckDB reads it chunk by chunk (one chunk of rows in JS at a time),
// each column cast to one of the types a table writer takes.

import type { DuckDb } from '../data/duckdb.js';
import { describeParquet } from '../data/describe-parquet.js';
import { quoteIdentifier, quoteLiteral } from '../data/sql-quote.js';
import type { DuckType } from './connector.js';
import type { OutputTableMode, TableColumn, TableName, TableWriter } from './table-writer.js';

const BIGINT = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'UTINYINT', 'USMALLINT', 'UINTEGER']);
const DOUBLE = new Set(['FLOAT', 'DOUBLE', 'HUGEINT', 'UHUGEINT']);
const TIMESTAMP = new Set(['TIMESTAMP', 'TIMESTAMP_S', 'TIMESTAMP_MS', 'TIMESTAMP_NS', 'TIMESTAMP WITH TIME ZONE']);

/**
 * The table type of a DuckDB column: integers up to 64 bits stay integers (UBIGINT unsigned), other numbers
 * (FLOAT, DECIMAL, HUGEINT) become DOUBLE as the engine reads them, dates and timestamps (in UTC) stay what they are,
 * and everything else (VARCHAR, ENUM, UUID, lists, structs…) travels as its DuckDB text.
 */
export function tableTypeOf(dbType: string): DuckType {
  const t = dbType.toUpperCase();
  if (BIGINT.has(t)) return 'BIGINT';
  if (t === 'UBIGINT') return 'UBIGINT';
  if (DOUBLE.has(t) || t.startsWith('DECIMAL')) return 'DOUBLE';
  if (t === 'BOOLEAN') return 'BOOLEAN';
  if (t === 'DATE') return 'DATE';
  if (TIMESTAMP.has(t)) return 'TIMESTAMP';
  return 'VARCHAR';
}

/** The SELECT item giving the values connector.ts describes for the type (dates and timestamps as text). */
function readExpression(name: string, dbType: string, type: DuckType): string {
  const q = quoteIdentifier(name);
  switch (type) {
    case 'BIGINT':
    case 'UBIGINT':
    case 'DOUBLE':
    case 'BOOLEAN':
      return `CAST(${q} AS ${type})`;
    case 'DATE':
      return `strftime(${q}, '%Y-%m-%d')`;
    case 'TIMESTAMP': {
      const utc =
        dbType.toUpperCase() === 'TIMESTAMP WITH TIME ZONE' ? `timezone('UTC', ${q})` : `CAST(${q} AS TIMESTAMP)`;
      return `strftime(${utc}, '%Y-%m-%d %H:%M:%S.%f')`;
    }
    case 'VARCHAR':
      return `CAST(${q} AS VARCHAR)`;
  }
}

/** Writes every row of the snapshot at `path` (all its columns, in order) into `table`; returns the rows written. */
export async function copySnapshotToTable(
  duck: DuckDb,
  path: string,
  writer: TableWriter,
  table: TableName,
  mode: OutputTableMode,
): Promise<number> {
  return duck.withConnection(async (c) => {
    const described = await describeParquet(c, path);
    const columns: TableColumn[] = described.map((d) => ({ name: d.name, type: tableTypeOf(d.dbType) }));
    const select = described.map((d, i) => readExpression(d.name, d.dbType, columns[i]!.type)).join(', ');
    const result = await c.stream(`SELECT ${select} FROM read_parquet(${quoteLiteral(path)})`);
    async function* batches(): AsyncGenerator<unknown[][]> {
      for (;;) {
        const chunk = await result.fetchChunk();
        if (chunk === null || chunk.rowCount === 0) return;
        yield chunk.getRows() as unknown[][];
      }
    }
    return writer.write(table, columns, mode, batches());
  });
}
