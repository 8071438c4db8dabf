// Lists the columns of a Parquet file with their DuckDB type names, in file order.

import type { DuckDBConnection } from '@duckdb/node-api';
import { columnTypeOf } from './column-type.js';
import { quoteLiteral } from './sql-quote.js';
import type { ColumnType } from './types.js';

export interface SnapshotColumn {
  name: string;
  dbType: string;
  type: ColumnType;
}

export async function describeParquet(connection: DuckDBConnection, parquetPath: string): Promise<SnapshotColumn[]> {
  const reader = await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(parquetPath)})`);
  return reader.getRowObjectsJS().map((row) => {
    const name = String(row['column_name']);
    const dbType = String(row['column_type']);
    return { name, dbType, type: columnTypeOf(dbType) };
  });
}
