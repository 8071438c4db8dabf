// Profiles a Parquet snapshot in a few SQL passes: per-column aggregates, exact recounts, top values of text columns.

import type { DuckDBConnection } from '@duckdb/node-api';
import { countParquetRows } from './count-rows.js';
import type { DuckDb } from './duckdb.js';
import { describeParquet, type SnapshotColumn } from './describe-parquet.js';
import { quoteIdentifier, quoteLiteral } from './sql-quote.js';
import type { ColumnProfile, DatasetProfile } from './types.js';

/** Up to this many rows distinct counts are exact; above it `approx_count_distinct` (HyperLogLog) bounds memory. */
export const EXACT_DISTINCT_MAX_ROWS = 1_000_000;
/**
 * DuckDB's HyperLogLog was seen 25% off at 1,000 distinct values, which would mislabel categorical columns; columns
 * estimated at or below this many values are recounted exactly, which needs little memory.
 */
const EXACT_DISTINCT_MAX_VALUES = 100_000;
const TOP_VALUES = 10;

export async function profileSnapshot(db: DuckDb, parquetPath: string): Promise<DatasetProfile> {
  return db.withConnection(async (connection) => {
    const columns = await describeParquet(connection, parquetPath);
    const source = `read_parquet(${quoteLiteral(parquetPath)})`;
    const rows = await countParquetRows(connection, parquetPath);
    const aggregates = await aggregateColumns(connection, source, columns, rows);
    if (rows > EXACT_DISTINCT_MAX_ROWS) await recountSmallDistincts(connection, source, aggregates);
    const top = await topValues(connection, source, columns);
    return {
      rows,
      columns: columns.map((column, i) => {
        const profile = aggregates[i];
        if (profile === undefined) throw new Error(`No aggregates for column ${column.name}`);
        const values = top.get(i);
        return values === undefined ? profile : { ...profile, topValues: values };
      }),
    };
  });
}

async function aggregateColumns(
  connection: DuckDBConnection,
  source: string,
  columns: SnapshotColumn[],
  rows: number,
): Promise<ColumnProfile[]> {
  if (columns.length === 0) return [];
  const exact = rows <= EXACT_DISTINCT_MAX_ROWS;
  const selects: string[] = [];
  columns.forEach((column, i) => {
    const q = quoteIdentifier(column.name);
    selects.push(`count(${q})::DOUBLE AS nn${i}`);
    selects.push(`${exact ? `count(DISTINCT ${q})` : `approx_count_distinct(${q})`}::DOUBLE AS d${i}`);
    switch (column.type) {
      case 'integer':
      case 'float':
        selects.push(`min(${q})::DOUBLE AS lo${i}`, `max(${q})::DOUBLE AS hi${i}`, `avg(${q})::DOUBLE AS mean${i}`);
        break;
      case 'date':
        selects.push(`strftime(min(${q}), '%Y-%m-%d') AS lo${i}`, `strftime(max(${q}), '%Y-%m-%d') AS hi${i}`);
        break;
      case 'timestamp':
        // Milliseconds since the epoch, turned into ISO-8601 (UTC) strings in JS.
        selects.push(`epoch_ms(min(${q}))::DOUBLE AS lo${i}`, `epoch_ms(max(${q}))::DOUBLE AS hi${i}`);
        break;
      default:
        break;
    }
  });
  const reader = await connection.runAndReadAll(`SELECT ${selects.join(', ')} FROM ${source}`);
  const row = reader.getRowObjectsJS()[0] ?? {};
  return columns.map((column, i): ColumnProfile => {
    const profile: ColumnProfile = {
      name: column.name,
      dbType: column.dbType,
      type: column.type,
      nulls: rows - Number(row[`nn${i}`] ?? 0),
      distinct: Number(row[`d${i}`] ?? 0),
    };
    switch (column.type) {
      case 'integer':
      case 'float':
        profile.min = finiteOrNull(row[`lo${i}`]);
        profile.max = finiteOrNull(row[`hi${i}`]);
        profile.mean = finiteOrNull(row[`mean${i}`]);
        break;
      case 'date':
        profile.min = stringOrNull(row[`lo${i}`]);
        profile.max = stringOrNull(row[`hi${i}`]);
        break;
      case 'timestamp':
        profile.min = isoOrNull(row[`lo${i}`]);
        profile.max = isoOrNull(row[`hi${i}`]);
        break;
      default:
        break;
    }
    return profile;
  });
}

async function recountSmallDistincts(
  connection: DuckDBConnection,
  source: string,
  profiles: ColumnProfile[],
): Promise<void> {
  const small = profiles.filter((p) => p.distinct <= EXACT_DISTINCT_MAX_VALUES);
  if (small.length === 0) return;
  const selects = small.map((p, i) => `count(DISTINCT ${quoteIdentifier(p.name)})::DOUBLE AS d${i}`);
  const reader = await connection.runAndReadAll(`SELECT ${selects.join(', ')} FROM ${source}`);
  const row = reader.getRows()[0] ?? [];
  small.forEach((p, i) => {
    p.distinct = Number(row[i] ?? p.distinct);
  });
}

async function topValues(
  connection: DuckDBConnection,
  source: string,
  columns: SnapshotColumn[],
): Promise<Map<number, { value: string; count: number }[]>> {
  const result = new Map<number, { value: string; count: number }[]>();
  const parts: string[] = [];
  columns.forEach((column, i) => {
    if (column.type !== 'string' && column.type !== 'boolean') return;
    result.set(i, []);
    const q = quoteIdentifier(column.name);
    parts.push(
      `(SELECT ${i} AS col, CAST(${q} AS VARCHAR) AS value, count(*)::DOUBLE AS n FROM ${source} ` +
        `WHERE ${q} IS NOT NULL GROUP BY 2 ORDER BY 3 DESC, 2 ASC LIMIT ${TOP_VALUES})`,
    );
  });
  if (parts.length === 0) return result;
  // Ties broken by value so the profile of a snapshot is itself deterministic.
  const reader = await connection.runAndReadAll(
    `SELECT * FROM (${parts.join(' UNION ALL ')}) ORDER BY col, n DESC, value ASC`,
  );
  for (const [col, value, n] of reader.getRowsJS()) {
    result.get(Number(col))?.push({ value: String(value), count: Number(n) });
  }
  return result;
}

function finiteOrNull(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function isoOrNull(value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}
