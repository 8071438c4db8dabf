// Ingests a local file into an immutable, content-addressed Parquet snapshot plus its profile.
//
// Error contract (codes are stable; statuses are those of ../errors.ts):
//   400 unsupported_format  the original name's extension is not one DuckDB reads for us
//   400 not_a_file          the local path is a directory or another non-regular file
//   404 file_not_found      the local file vanished between resolving and reading
//   422 empty_dataset       no data rows (empty file, header only, `[]`)
//   422 invalid_csv         malformed delimited text; details.line = 1-based file line when known, details.reason
//   422 invalid_json        malformed JSON; details.line when DuckDB names it
//   422 invalid_parquet     not a readable Parquet file
//   422 invalid_columns     a column name is empty or repeated (DuckDB renames most of these itself)
// The caller's request is fine in the 422 cases; the content of the file is what cannot be used.

import { mkdir, mkdtemp, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { ModelyardError, badRequest, unprocessable } from '../errors.js';
import { detectCsvDialect, type CsvDialect } from './csv-dialect.js';
import { physicalLineOfRecord } from './csv-physical-line.js';
import type { DuckDb } from './duckdb.js';
import { describeParquet } from './describe-parquet.js';
import { profileSnapshot } from './profile-snapshot.js';
import { readErrorDetails } from './read-error.js';
import { sha256File } from './sha256-file.js';
import { sourceFormatOf, type SourceFormat } from './source-format.js';
import { quoteLiteral } from './sql-quote.js';
import type { DatasetProfile } from './types.js';

export interface IngestResult {
  /** sha256 hex of the snapshot file: the dataset version. */
  version: string;
  /** `snapshots/<hash>.parquet` in the artifact store. */
  snapshotKey: string;
  rows: number;
  bytes: number;
  profile: DatasetProfile;
}

/**
 * Every option that shapes the bytes is pinned, so the same rows give the same file and hence the same version (with
 * DuckDB's insertion order preserved, see duckdb.ts). The hash also depends on the DuckDB version, which Parquet
 * records in its footer: upgrading DuckDB can mint new versions for old content.
 */
export const SNAPSHOT_OPTIONS = 'FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880';

export interface IngestOptions {
  /** Where the temporary snapshot is written before it is stored; the OS temp folder when omitted. */
  tempDir?: string;
  /**
   * CSV only: leave out rows DuckDB cannot read (wrong number of fields, unterminated quotes) instead of refusing the
   * file; how many, and their first lines, go into the profile's summary.
   */
  skipBadRows?: boolean;
}

/** Lines of skipped rows kept in the profile: enough to find the problem, bounded for huge files. */
const SKIPPED_LINES_SHOWN = 20;

/** What to read: one file, or the files a pattern matched (read as one table, columns united by name). */
export interface IngestInput {
  path: string;
  originalName: string;
  /** Several files, with their paths below the pattern's fixed folder (Hive `key=value` folders become columns). */
  parts?: { path: string; relative: string }[];
}

export async function ingestFile(
  db: DuckDb,
  artifacts: ArtifactStore,
  input: IngestInput,
  options: IngestOptions = {},
): Promise<IngestResult> {
  const format = sourceFormatOf(input.originalName);
  const parts = input.parts ?? [{ path: input.path, relative: '' }];
  let size = 0;
  for (const part of parts) size += await fileSize({ path: part.path, originalName: input.originalName });
  if (size === 0) throw emptyDataset(input.originalName);
  const dir = await mkdtemp(join(options.tempDir ?? tmpdir(), 'modelyard-ingest-'));
  try {
    const snapshot = join(dir, 'snapshot.parquet');
    // DuckDB expands glob characters (`*`, `?`, `[`) in reader paths, so a file named `*.csv` would pull in its
    // neighbours: read through links with plain names instead (keeping the folders of a multi-file source).
    const sources = await linkSources(dir, input, parts);
    const skipped = await db.withConnection(async (connection) => {
      const bad = await writeSnapshot(
        connection,
        format,
        { path: sources[0]!, originalName: input.originalName, ...(input.parts && { files: sources }) },
        snapshot,
        {
          skipBadRows: options.skipBadRows === true,
        },
      );
      await checkColumnNames(connection, snapshot);
      return bad;
    });
    const result = await storeSnapshot(db, artifacts, snapshot, () => emptyDataset(input.originalName));
    if (skipped === undefined) return result;
    const summary = { ...result.profile.summary!, skippedRows: skipped.count, skippedLines: skipped.lines };
    return { ...result, profile: { ...result.profile, summary } };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function linkSources(dir: string, input: IngestInput, parts: { path: string; relative: string }[]) {
  if (input.parts === undefined) {
    const source = join(dir, 'source');
    await symlink(resolve(input.path), source);
    return [source];
  }
  const links: string[] = [];
  for (const part of parts) {
    if (/[*?[\]{}]/.test(part.relative)) {
      throw badRequest(
        'unsupported_path',
        `Cannot read '${part.relative}': wildcard characters in a file or folder name.`,
        {
          path: part.relative,
        },
      );
    }
    const link = join(dir, 'source', part.relative);
    await mkdir(dirname(link), { recursive: true });
    await symlink(part.path, link);
    links.push(link);
  }
  return links;
}

/**
 * The steps every snapshot ends with, whatever it was read from: profile it, refuse it when it has no rows, hash it
 * (the hash is the version), and store it under that hash unless an identical file is stored already.
 */
export async function storeSnapshot(
  db: DuckDb,
  artifacts: ArtifactStore,
  snapshot: string,
  empty: () => Error,
): Promise<IngestResult> {
  const profile = await profileSnapshot(db, snapshot);
  if (profile.rows === 0) throw empty();
  const version = await sha256File(snapshot);
  const bytes = (await stat(snapshot)).size;
  const snapshotKey = `snapshots/${version}.parquet`;
  if (!(await artifacts.exists(snapshotKey))) await artifacts.putFile(snapshotKey, snapshot);
  return { version, snapshotKey, rows: profile.rows, bytes, profile };
}

/** Rows left out under skipBadRows: how many, and the first of their line numbers in the file. */
interface SkippedRows {
  count: number;
  lines: number[];
}

async function writeSnapshot(
  connection: DuckDBConnection,
  format: SourceFormat,
  input: ReadInput,
  snapshot: string,
  csv: { skipBadRows: boolean },
): Promise<SkippedRows | undefined> {
  const copy = (source: string): Promise<unknown> =>
    connection.run(`COPY (SELECT * FROM ${source}) TO ${quoteLiteral(snapshot)} (${SNAPSHOT_OPTIONS})`);
  const path = readerPaths(input);
  switch (format.kind) {
    case 'parquet':
      try {
        await copy(`read_parquet(${path})`);
      } catch (error) {
        throw contentError('invalid_parquet', 'Parquet', input, error);
      }
      return undefined;
    case 'json':
      try {
        await copyWidening(copy, (extra) => `read_json_auto(${path}${extra})`);
      } catch (error) {
        throw contentError('invalid_json', 'JSON', input, error);
      }
      return undefined;
    case 'csv':
      return copyCsv(connection, copy, input, format.delimiter, csv.skipBadRows);
  }
}

/** A file to read (its link), or several read as one table; `path` is the first, for sniffing and messages. */
interface ReadInput {
  path: string;
  originalName: string;
  files?: string[];
}

/** The reader's path argument: one quoted path, or a list with the columns of all files united by name. */
function readerPaths(input: ReadInput): string {
  if (input.files === undefined) return quoteLiteral(input.path);
  return `[${input.files.map(quoteLiteral).join(', ')}], union_by_name=true`;
}

async function copyCsv(
  connection: DuckDBConnection,
  copy: (source: string) => Promise<unknown>,
  input: ReadInput,
  forcedDelimiter: string | undefined,
  skipBadRows: boolean,
): Promise<SkippedRows | undefined> {
  const dialect = await detectCsvDialect(input.path, forcedDelimiter);
  // DuckDB renames a repeated header name (a, a_1): refuse it instead, as a model would meet two "a" columns.
  const repeated = dialect.names.find((name, i) => name !== '' && dialect.names.indexOf(name) !== i);
  if (repeated !== undefined) {
    throw unprocessable('invalid_columns', `Column name '${repeated}' appears twice in the header.`, {
      column: repeated,
    });
  }
  // RFC 4180 quoting, no skipped leading lines, no comment lines: DuckDB's sniffer may otherwise drop rows silently.
  // No BOOLEAN among the type candidates: DuckDB reads "yes"/"no" (and "Y"/"N") as booleans, so a target such as
  // churn = "Yes"/"No" would come back as "true"/"false" and no longer match the labels users send and expect.
  const options =
    `delim=${quoteLiteral(dialect.delimiter)}, quote='"', escape='"', skip=0, comment='', ` +
    `auto_type_candidates=['BIGINT', 'DOUBLE', 'TIME', 'DATE', 'TIMESTAMP', 'VARCHAR']`;
  // store_rejects skips unreadable rows and records each in the connection's temporary reject_errors table.
  const skipping = skipBadRows ? ', store_rejects=true' : '';
  const source = (extra: string): string => `read_csv(${readerPaths(input)}, ${options}${skipping}${extra})`;
  try {
    await copyWidening(copy, source);
  } catch (error) {
    throw await csvError(connection, input, dialect, messageOf(error));
  }
  if (!skipBadRows) return undefined;
  // A widened second read records its rejects again: count each line once.
  const reader = await connection.runAndReadAll('SELECT DISTINCT line FROM reject_errors ORDER BY line');
  const lines = reader.getRowsJS().map((row) => Number(row[0]));
  return { count: lines.length, lines: lines.slice(0, SKIPPED_LINES_SHOWN) };
}

/**
 * DuckDB guesses column types from a sample of rows; when a later value does not fit, the guess is redone from every
 * row (a second full read, paid only by such files).
 */
async function copyWidening(
  copy: (source: string) => Promise<unknown>,
  source: (extraOptions: string) => string,
): Promise<void> {
  try {
    await copy(source(''));
  } catch (error) {
    if (!/Could not convert|Conversion Error|JSON transform error|Failed to cast/i.test(messageOf(error))) throw error;
    await copy(source(', sample_size=-1'));
  }
}

/** Builds `invalid_csv`, re-reading the file as plain text to locate the bad line when the sniffer gave up on it. */
async function csvError(
  connection: DuckDBConnection,
  input: { path: string; originalName: string },
  dialect: CsvDialect,
  message: string,
): Promise<ModelyardError> {
  let details = readErrorDetails(message, input.path);
  if (details.line === undefined && /sniffing file/i.test(message)) {
    const columns = Array.from({ length: dialect.fields }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ');
    try {
      await connection.run(
        `SELECT count(*) FROM read_csv(${quoteLiteral(input.path)}, auto_detect=false, header=false, ` +
          `delim=${quoteLiteral(dialect.delimiter)}, quote='"', escape='"', columns={${columns}})`,
      );
      details = { reason: 'The CSV dialect (delimiter, quoting, header) could not be detected.' };
    } catch (error) {
      details = readErrorDetails(messageOf(error), input.path);
    }
  }
  if (details.line !== undefined)
    details.line = await physicalLineOfRecord(input.path, details.line, dialect.delimiter);
  const where = details.line === undefined ? '' : ` on line ${details.line}`;
  return unprocessable('invalid_csv', `'${input.originalName}' is not valid CSV${where}: ${details.reason}`, {
    name: input.originalName,
    ...details,
  });
}

async function checkColumnNames(connection: DuckDBConnection, snapshot: string): Promise<void> {
  const seen = new Set<string>();
  for (const { name } of await describeParquet(connection, snapshot)) {
    // DuckDB resolves identifiers case-insensitively, so "a" and "A" would collide in every later query.
    const key = name.toLowerCase();
    if (name.trim() === '' || seen.has(key)) {
      throw unprocessable('invalid_columns', `Column name '${name}' is empty or repeated.`, { column: name });
    }
    seen.add(key);
  }
}

function contentError(
  code: string,
  label: string,
  input: { path: string; originalName: string },
  error: unknown,
): ModelyardError {
  const details = readErrorDetails(messageOf(error), input.path);
  const where = details.line === undefined ? '' : ` on line ${details.line}`;
  return unprocessable(code, `'${input.originalName}' is not valid ${label}${where}: ${details.reason}`, {
    name: input.originalName,
    ...details,
  });
}

async function fileSize(input: { path: string; originalName: string }): Promise<number> {
  try {
    const info = await stat(input.path);
    if (!info.isFile()) {
      throw badRequest('not_a_file', `'${input.originalName}' is not a regular file.`, { name: input.originalName });
    }
    return info.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new ModelyardError(404, 'file_not_found', `No file '${input.originalName}'.`, { name: input.originalName });
    }
    throw error;
  }
}

function emptyDataset(name: string): ModelyardError {
  return unprocessable('empty_dataset', `'${name}' holds no data rows.`, { name });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
