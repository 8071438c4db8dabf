// Streams a Parquet snapshot into an engine frame, chunk by chunk, straight into typed arrays.

import type { DuckDBDataChunk } from '@duckdb/node-api';
import { Frame, type Column } from '@modelyard/engine';
import { unprocessable } from '../errors.js';
import { countParquetRows } from './count-rows.js';
import type { DuckDb } from './duckdb.js';
import { describeParquet, type SnapshotColumn } from './describe-parquet.js';
import { quoteIdentifier, quoteLiteral } from './sql-quote.js';

/**
 * Numbers (integers, floats, decimals) become numeric columns with NaN for NULL; dates become days and timestamps
 * milliseconds since 1970-01-01 UTC, also numeric. Everything else (strings, booleans as "true"/"false", other types
 * in DuckDB's text form) becomes a category column: dictionary in order of first appearance, code -1 for NULL.
 *
 * `columns` picks and orders the columns; a name the snapshot lacks is 422 `unknown_column`, a repeated name 422
 * `duplicate_column`.
 */
export async function loadFrame(db: DuckDb, parquetPath: string, columns?: string[]): Promise<Frame> {
  return db.withConnection(async (connection) => {
    const selected = selectColumns(await describeParquet(connection, parquetPath), columns);
    const source = `read_parquet(${quoteLiteral(parquetPath)})`;
    const nRows = await countParquetRows(connection, parquetPath);
    if (selected.length === 0) return Frame.fromColumns([]);
    const builders = selected.map((column) => builderFor(column, nRows));
    const sql = `SELECT ${selected.map(selectExpression).join(', ')} FROM ${source}`;
    const result = await connection.stream(sql);
    let offset = 0;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) break;
      if (offset + chunk.rowCount > nRows) throw new Error(`Snapshot yielded more than the ${nRows} rows it declares`);
      builders.forEach((builder, i) => builder.fill(chunk, i, offset));
      offset += chunk.rowCount;
    }
    if (offset !== nRows) throw new Error(`Snapshot yielded ${offset} rows, expected ${nRows}`);
    return Frame.fromColumns(builders.map((builder) => builder.finish()));
  });
}

function selectColumns(all: SnapshotColumn[], names: string[] | undefined): SnapshotColumn[] {
  if (names === undefined) return all;
  const byName = new Map(all.map((column) => [column.name, column]));
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined) {
    throw unprocessable('duplicate_column', `Column '${duplicate}' is asked for twice.`, { column: duplicate });
  }
  return names.map((name) => {
    const column = byName.get(name);
    if (column === undefined) {
      throw unprocessable('unknown_column', `The dataset has no column '${name}'.`, {
        column: name,
        available: all.map((c) => c.name),
      });
    }
    return column;
  });
}

/** Casts in SQL so that the JS side meets only two vector types: DOUBLE and VARCHAR. */
function selectExpression(column: SnapshotColumn): string {
  const q = quoteIdentifier(column.name);
  switch (column.type) {
    case 'integer':
    case 'float':
      return `CAST(${q} AS DOUBLE)`;
    case 'date':
      return `CAST(date_diff('day', DATE '1970-01-01', ${q}) AS DOUBLE)`;
    case 'timestamp':
      return `CAST(epoch_ms(${q}) AS DOUBLE)`;
    default:
      return `CAST(${q} AS VARCHAR)`;
  }
}

interface ColumnBuilder {
  fill(chunk: DuckDBDataChunk, columnIndex: number, offset: number): void;
  finish(): Column;
}

function builderFor(column: SnapshotColumn, nRows: number): ColumnBuilder {
  switch (column.type) {
    case 'integer':
    case 'float':
    case 'date':
    case 'timestamp':
      return numericBuilder(column.name, nRows);
    default:
      return categoryBuilder(column.name, nRows);
  }
}

function numericBuilder(name: string, nRows: number): ColumnBuilder {
  const values = new Float64Array(nRows);
  return {
    fill(chunk, columnIndex, offset) {
      const vector = chunk.getColumnVector(columnIndex);
      const n = chunk.rowCount;
      // Plain loop over one vector: the hot path for wide, long snapshots.
      for (let row = 0; row < n; row++) {
        const value = vector.getItem(row);
        values[offset + row] = typeof value === 'number' ? value : NaN;
      }
    },
    finish: () => ({ kind: 'number', name, values }),
  };
}

function categoryBuilder(name: string, nRows: number): ColumnBuilder {
  const codes = new Int32Array(nRows);
  const dictionary: string[] = [];
  const index = new Map<string, number>();
  return {
    fill(chunk, columnIndex, offset) {
      const vector = chunk.getColumnVector(columnIndex);
      const n = chunk.rowCount;
      for (let row = 0; row < n; row++) {
        const value = vector.getItem(row);
        if (typeof value !== 'string') {
          codes[offset + row] = -1;
          continue;
        }
        let code = index.get(value);
        if (code === undefined) {
          code = dictionary.length;
          dictionary.push(value);
          index.set(value, code);
        }
        codes[offset + row] = code;
      }
    },
    finish: () => ({ kind: 'category', name, codes, dictionary }),
  };
}
