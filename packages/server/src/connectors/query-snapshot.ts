// Streams the result of a SQL query on a connection into DuckDB and stores it as an immutable Parquet snapshot,
// versioned by its content hash exactly like a file dataset (see ../data/ingest-file.ts).

import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBDateValue, DuckDBTimestampValue, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { DuckDb } from '../data/duckdb.js';
import { SNAPSHOT_OPTIONS, storeSnapshot, type IngestResult } from '../data/ingest-file.js';
import { quoteIdentifier, quoteLiteral } from '../data/sql-quote.js';
import { unprocessable, type ModelyardError } from '../errors.js';
import type { ColumnInfo, Connector, DuckType } from './connector.js';

/** Rows fetched per round trip: a few MB for typical rows, few enough round trips for millions of rows. */
export const DEFAULT_BATCH_ROWS = 10_000;

export interface QuerySnapshotOptions {
  /** Rows per batch read from the database; the batch size never changes the snapshot or its version. */
  batchRows?: number;
  /** Where the temporary snapshot is written before it is stored; the OS temp folder when omitted. */
  tempDir?: string;
}

export async function snapshotQuery(
  db: DuckDb,
  artifacts: ArtifactStore,
  connector: Connector,
  sql: string,
  options: QuerySnapshotOptions = {},
): Promise<IngestResult> {
  const dir = await mkdtemp(join(options.tempDir ?? tmpdir(), 'modelyard-query-'));
  try {
    const snapshot = join(dir, 'snapshot.parquet');
    await db.withConnection((connection) =>
      writeSnapshot(connection, connector, sql, options.batchRows ?? DEFAULT_BATCH_ROWS, snapshot),
    );
    return await storeSnapshot(db, artifacts, snapshot, emptyDataset);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Appends each batch to a temporary table as it arrives, so no more than one batch is held in JS. The appender
 * fills DuckDB's chunks in arrival order whatever the batch size, and insertion order is preserved, so the same rows
 * give the same file.
 */
async function writeSnapshot(
  connection: DuckDBConnection,
  connector: Connector,
  sql: string,
  batchRows: number,
  snapshot: string,
): Promise<void> {
  const name = `query_${randomBytes(8).toString('hex')}`;
  const table = quoteIdentifier(name);
  let appender: DuckDBAppender | undefined;
  try {
    let append: ((appender: DuckDBAppender, value: unknown) => void)[] = [];
    let rows = 0;
    for await (const batch of connector.query(sql, batchRows)) {
      if (appender === undefined) {
        if (batch.columns.length === 0) throw emptyDataset();
        await connection.run(`CREATE TEMP TABLE ${table} (${columnDefinitions(batch.columns)})`);
        appender = await connection.createAppender(name, 'main', 'temp');
        append = batch.columns.map((column) => appendFor(column));
      }
      for (const row of batch.rows) {
        append.forEach((appendValue, i) => appendValue(appender as DuckDBAppender, row[i]));
        appender.endRow();
      }
      rows += batch.rows.length;
    }
    if (appender === undefined || rows === 0) throw emptyDataset();
    appender.closeSync();
    appender = undefined;
    await connection.run(`COPY (SELECT * FROM temp.main.${table}) TO ${quoteLiteral(snapshot)} (${SNAPSHOT_OPTIONS})`);
  } finally {
    try {
      appender?.closeSync();
    } catch {
      // The table is dropped next; rows that failed to flush no longer matter.
    }
    await connection.run(`DROP TABLE IF EXISTS temp.main.${table}`);
  }
}

/**
 * DuckDB resolves names case-insensitively and rejects repeats, while databases happily return `?column?` twice:
 * repeats get DuckDB's own `_1`, `_2` suffixes, as when it reads a CSV file, and empty names `column<i>`.
 */
function columnDefinitions(columns: ColumnInfo[]): string {
  const seen = new Set<string>();
  return columns
    .map((column, i) => {
      const base = column.name.trim() === '' ? `column${i}` : column.name;
      let name = base;
      for (let n = 1; seen.has(name.toLowerCase()); n++) name = `${base}_${n}`;
      seen.add(name.toLowerCase());
      return `${quoteIdentifier(name)} ${sqlType(column.duckType)}`;
    })
    .join(', ');
}

const DUCK_TYPES = new Set<string>(['BIGINT', 'UBIGINT', 'DOUBLE', 'BOOLEAN', 'VARCHAR', 'DATE', 'TIMESTAMP']);

/** The type goes into SQL text: only the names of connector.ts are accepted. */
function sqlType(type: DuckType): string {
  if (!DUCK_TYPES.has(type)) throw new Error(`Unknown column type '${String(type)}'`);
  return type;
}

function appendFor(column: ColumnInfo): (appender: DuckDBAppender, value: unknown) => void {
  const typed = (check: (value: unknown) => boolean, append: (appender: DuckDBAppender, value: never) => void) => {
    return (appender: DuckDBAppender, value: unknown): void => {
      if (value === null || value === undefined) appender.appendNull();
      else if (check(value)) append(appender, value as never);
      else throw badValue(column, value);
    };
  };
  switch (column.duckType) {
    case 'BIGINT':
      return typed(
        (v) => typeof v === 'bigint',
        (a, v: bigint) => a.appendBigInt(v),
      );
    case 'UBIGINT':
      return typed(
        (v) => typeof v === 'bigint',
        (a, v: bigint) => a.appendUBigInt(v),
      );
    case 'DOUBLE':
      return typed(
        (v) => typeof v === 'number',
        (a, v: number) => a.appendDouble(v),
      );
    case 'BOOLEAN':
      return typed(
        (v) => typeof v === 'boolean',
        (a, v: boolean) => a.appendBoolean(v),
      );
    case 'VARCHAR':
      return typed(
        (v) => typeof v === 'string',
        (a, v: string) => a.appendVarchar(v),
      );
    case 'DATE':
      return (appender, value) => {
        if (value === null || value === undefined) return appender.appendNull();
        const date = typeof value === 'string' ? parseDate(value) : undefined;
        if (date === undefined) throw badValue(column, value);
        appender.appendDate(date);
      };
    case 'TIMESTAMP':
      return (appender, value) => {
        if (value === null || value === undefined) return appender.appendNull();
        const timestamp = typeof value === 'string' ? parseTimestamp(value) : undefined;
        if (timestamp === undefined) throw badValue(column, value);
        appender.appendTimestamp(timestamp);
      };
  }
}

const DATE = /^(-?\d{4,})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(-?\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?$/;
const MICROS_PER_DAY = 86_400_000_000n;

function parseDate(text: string): DuckDBDateValue | undefined {
  if (text === 'infinity') return DuckDBDateValue.PosInf;
  if (text === '-infinity') return DuckDBDateValue.NegInf;
  const m = DATE.exec(text);
  return m === null ? undefined : new DuckDBDateValue(daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3])));
}

function parseTimestamp(text: string): DuckDBTimestampValue | undefined {
  if (text === 'infinity') return DuckDBTimestampValue.PosInf;
  if (text === '-infinity') return DuckDBTimestampValue.NegInf;
  const m = TIMESTAMP.exec(text);
  if (m === null) return undefined;
  const days = daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
  const seconds = Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6]);
  const micros = BigInt((m[7] ?? '').padEnd(6, '0').slice(0, 6));
  return new DuckDBTimestampValue(BigInt(days) * MICROS_PER_DAY + BigInt(seconds) * 1_000_000n + micros);
}

/** Days since 1970-01-01 of a proleptic Gregorian date, exact for every year (H. Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function badValue(column: ColumnInfo, value: unknown): ModelyardError {
  const shown = typeof value === 'string' ? value.slice(0, 40) : typeof value;
  return unprocessable(
    'query_failed',
    `Column '${column.name}' holds a value that is not a ${column.duckType}: ${shown}`,
    { column: column.name, type: column.duckType },
  );
}

function emptyDataset(): ModelyardError {
  return unprocessable('empty_dataset', 'The query returned no rows.', {});
}
