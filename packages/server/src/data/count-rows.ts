// Counts the rows of a Parquet file (DuckDB answers from the footer without scanning).

import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from './sql-quote.js';

export async function countParquetRows(connection: DuckDBConnection, parquetPath: string): Promise<number> {
  const reader = await connection.runAndReadAll(
    `SELECT count(*)::DOUBLE FROM read_parquet(${quoteLiteral(parquetPath)})`,
  );
  return Number(reader.getRows()[0]?.[0] ?? 0);
}
