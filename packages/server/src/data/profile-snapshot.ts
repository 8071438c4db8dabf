// Profiles a Parquet snapshot in a few SQL passes: per-column aggregates (one pass), histograms of numeric columns
// (one pass), exact recounts of small distinct counts, top values of text columns.

import type { DuckDBConnection } from '@duckdb/node-api';
import { countParquetRows } from './count-rows.js';
import type { DuckDb } from './duckdb.js';
import { describeParquet, type SnapshotColumn } from './describe-parquet.js';
import { quoteIdentifier, quoteLiteral } from './sql-quote.js';
import type { ColumnProfile, DatasetProfile } from './types.js';
import type { SemanticType } from '@modelyard/client';

/** Up to this many rows distinct counts are exact; above it `approx_count_distinct` (HyperLogLog) bounds memory. */
export const EXACT_DISTINCT_MAX_ROWS = 1_000_000;
/**
 * DuckDB's HyperLogLog was seen 25% off at 1,000 distinct values, which would mislabel categorical columns; columns
 * estimated at or below this many values are recounted exactly, which needs little memory.
 */
const EXACT_DISTINCT_MAX_VALUES = 100_000;
/**
 * Above this many columns distinct counts are estimated whatever the row count: DuckDB's count(DISTINCT) costs ~7 ms
 * per column even on a few rows (15 s for 2,000 columns), where approx_count_distinct costs 0.3 ms.
 */
const EXACT_DISTINCT_MAX_COLUMNS = 200;
const TOP_VALUES = 10;
const HISTOGRAM_BINS = 20;
const QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95];

export async function profileSnapshot(db: DuckDb, parquetPath: string): Promise<DatasetProfile> {
  return db.withConnection(async (connection) => {
    const columns = await describeParquet(connection, parquetPath);
    const source = `read_parquet(${quoteLiteral(parquetPath)})`;
    const rows = await countParquetRows(connection, parquetPath);
    const aggregates = await aggregateColumns(connection, source, columns, rows);
    if (rows > EXACT_DISTINCT_MAX_ROWS && columns.length <= EXACT_DISTINCT_MAX_COLUMNS) {
      await recountSmallDistincts(connection, source, aggregates);
    }
    await addHistograms(connection, source, aggregates);
    const top = await topValues(connection, source, columns);
    const profiled = columns.map((column, i) => {
      const profile = aggregates[i];
      if (profile === undefined) throw new Error(`No aggregates for column ${column.name}`);
      const values = top.get(i);
      const withTop = values === undefined ? profile : { ...profile, topValues: values };
      return { ...withTop, semanticType: semanticTypeOf(withTop, rows) };
    });
    const semanticTypes: Partial<Record<SemanticType, number>> = {};
    for (const c of profiled) semanticTypes[c.semanticType] = (semanticTypes[c.semanticType] ?? 0) + 1;
    const missingCells = profiled.reduce((sum, c) => sum + c.nulls, 0);
    return { rows, columns: profiled, summary: { columns: profiled.length, missingCells, semanticTypes } };
  });
}

async function aggregateColumns(
  connection: DuckDBConnection,
  source: string,
  columns: SnapshotColumn[],
  rows: number,
): Promise<ColumnProfile[]> {
  if (columns.length === 0) return [];
  const exact = rows <= EXACT_DISTINCT_MAX_ROWS && columns.length <= EXACT_DISTINCT_MAX_COLUMNS;
  const selects: string[] = [];
  columns.forEach((column, i) => {
    const q = quoteIdentifier(column.name);
    selects.push(`count(${q})::DOUBLE AS nn${i}`);
    selects.push(`${exact ? `count(DISTINCT ${q})` : `approx_count_distinct(${q})`}::DOUBLE AS d${i}`);
    switch (column.type) {
      case 'integer':
      case 'float': {
        // Quantiles by linear interpolation (numpy's default) while exact counts are affordable, t-digest above.
        const quantile = exact ? 'quantile_cont' : 'approx_quantile';
        selects.push(
          `min(${q})::DOUBLE AS lo${i}`,
          `max(${q})::DOUBLE AS hi${i}`,
          `avg(${q})::DOUBLE AS mean${i}`,
          `stddev_pop(${q})::DOUBLE AS sd${i}`,
          `${quantile}(${q}::DOUBLE, [${QUANTILES.join(', ')}]) AS qs${i}`,
        );
        break;
      }
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
        profile.std = finiteOrNull(row[`sd${i}`]);
        profile.quantiles = QUANTILES.map((p, k) => ({ p, value: finiteOrNull(listOf(row[`qs${i}`])[k]) }));
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

/**
 * Equal-width histograms of every numeric column with a range, all in one scan: each row's bin per column is computed
 * once in a subquery, then counted per bin. The top edge's values fall in the last bin.
 */
async function addHistograms(connection: DuckDBConnection, source: string, profiles: ColumnProfile[]): Promise<void> {
  const numeric = profiles.filter(
    (p) => (p.type === 'integer' || p.type === 'float') && typeof p.min === 'number' && typeof p.max === 'number',
  );
  if (numeric.length === 0) return;
  const bins = numeric.map((p) => {
    const lo = p.min as number;
    const hi = p.max as number;
    // A constant column is one bin; wide ranges divide in DOUBLE arithmetic as the edges below do.
    const width = hi > lo ? (hi - lo) / HISTOGRAM_BINS : 1;
    const count = hi > lo ? HISTOGRAM_BINS : 1;
    return { lo, width, count };
  });
  const binned = numeric.map((p, j) => {
    const { lo, width, count } = bins[j]!;
    const q = quoteIdentifier(p.name);
    // DuckDB's least() skips NULL arguments: missing values must stay out of every bin explicitly.
    return `CASE WHEN ${q} IS NULL THEN NULL ELSE least(floor((${q}::DOUBLE - ${lo}) / ${width}), ${count - 1}) END::INTEGER AS b${j}`;
  });
  // histogram() per column counts each bin in one hash table: many FILTERed counts instead grew superlinearly in
  // DuckDB (14 s for 100 columns of 50 rows).
  const reader = await connection.runAndReadAll(
    `SELECT ${numeric.map((_, j) => `histogram(b${j})`).join(', ')} FROM (SELECT ${binned.join(', ')} FROM ${source})`,
  );
  const row = reader.getRowsJS()[0] ?? [];
  numeric.forEach((p, j) => {
    const { lo, width, count } = bins[j]!;
    const edges = Array.from({ length: count + 1 }, (_, k) => (k === count ? (p.max as number) : lo + k * width));
    const counts = new Array<number>(count).fill(0);
    for (const { key, value } of mapEntries(row[j])) counts[Number(key)] = Number(value);
    p.histogram = { edges, counts };
  });
}

/** A DuckDB MAP as read by getRowsJS: entries of { key, value } (an empty map for a column without values). */
function mapEntries(value: unknown): { key: unknown; value: unknown }[] {
  if (Array.isArray(value)) return value as { key: unknown; value: unknown }[];
  const entries = (value as { entries?: unknown } | null)?.entries;
  return Array.isArray(entries) ? (entries as { key: unknown; value: unknown }[]) : [];
}

/**
 * The semantic type from the storage type and the values: unique integers or strings are ids; strings with few
 * distinct values (at most 50, or 5 % of the present values) are categorical, other strings text; integers with at
 * most 10 distinct values are categorical (codes), other numbers numeric.
 */
export function semanticTypeOf(column: ColumnProfile, rows: number): SemanticType {
  const present = rows - column.nulls;
  const unique = present > 20 && column.distinct === present;
  switch (column.type) {
    case 'boolean':
      return 'boolean';
    case 'date':
    case 'timestamp':
      return 'datetime';
    case 'integer':
      return unique ? 'id' : column.distinct <= 10 ? 'categorical' : 'numeric';
    case 'float':
      return 'numeric';
    case 'string':
      if (unique) return 'id';
      return column.distinct <= Math.max(50, 0.05 * present) ? 'categorical' : 'text';
    default:
      return 'text';
  }
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

/** A DuckDB LIST as read by getRowObjectsJS: an array (or an object holding `items`). */
function listOf(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  const items = (value as { items?: unknown } | null)?.items;
  return Array.isArray(items) ? items : [];
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
