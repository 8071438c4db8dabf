// The SQL workbench: one read-only SELECT over a project's datasets, each a view by name, in a DuckDB sandbox that
// can read those snapshots and nothing else, with a time limit and a page of rows.
//
// Every query gets its own in-memory DuckDB instance. The views are made first; then the instance is locked down:
// `allowed_paths` names the snapshots (through hard links with neutral names in a fresh temporary folder, so no server
// path shows: DuckDB resolves symbolic links there), external access is switched off (no other file, no COPY TO, no
// INSTALL/LOAD) and the configuration is locked (no SET can undo it). DuckDB's temporary folder is the same fresh
// folder, as DuckDB always allows reading its temporary folder.
// Only a single statement of type SELECT runs; its rows are read through a LIMIT/OFFSET wrapper.

import { link, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, StatementType, type DuckDBConnection } from '@duckdb/node-api';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { quoteIdentifier, quoteLiteral } from '../data/sql-quote.js';
import { SNAPSHOT_OPTIONS } from '../data/ingest-file.js';
import { badRequest, ModelyardError } from '../errors.js';
import { checkSingleSelect } from '../connectors/read-only-sql.js';

export interface WorkbenchView {
  /** The dataset's name: the view's name in SQL. */
  name: string;
  snapshotKey: string;
  datasetId: string;
  version: string;
}

export interface WorkbenchQuery {
  sql: string;
  limit: number;
  offset: number;
  timeoutMs: number;
}

export interface WorkbenchResult {
  columns: { name: string; type: string }[];
  /** JSON values: numbers, strings (also for big integers, dates and times), booleans, null, lists and objects. */
  rows: unknown[][];
  /** Whether rows beyond this page exist. */
  more: boolean;
  elapsedMs: number;
}

/** Memory one workbench query may take before DuckDB spills or fails it. */
const MEMORY_LIMIT = '1GB';

export async function runWorkbenchQuery(
  artifacts: ArtifactStore,
  views: WorkbenchView[],
  query: WorkbenchQuery,
): Promise<WorkbenchResult> {
  return withSandbox(artifacts, views, undefined, (connection) => runSelect(connection, query));
}

/**
 * The whole result of a workbench SELECT as a Parquet file at `out` (written with the snapshot options, so the same
 * rows give the same version), and the views the query reads: its lineage parents. `out` is the only path the
 * sandbox may write, and only this function's own COPY writes it: the caller's SQL must still be a SELECT.
 */
export async function copyWorkbenchQuery(
  artifacts: ArtifactStore,
  views: WorkbenchView[],
  sql: string,
  timeoutMs: number,
  out: string,
): Promise<{ parents: WorkbenchView[] }> {
  return withSandbox(artifacts, views, out, async (connection) => {
    const select = await checkedSelect(connection, sql);
    const tree = await sqlStep(() => connection.runAndReadAll(`SELECT json_serialize_sql(${quoteLiteral(select)})`));
    const referenced = tableNames(JSON.parse(String(tree.getRowsJS()[0]?.[0] ?? '{}')));
    await interruptible(connection, timeoutMs, () =>
      sqlStep(() => connection.run(`COPY (${select}) TO ${quoteLiteral(out)} (${SNAPSHOT_OPTIONS})`)),
    );
    // A CTE of the same name as a dataset counts as that dataset: lineage errs towards an extra parent.
    return { parents: views.filter((v) => referenced.has(v.name)) };
  });
}

/** Table names a query's syntax tree refers to (json_serialize_sql: CTE references among them). */
function tableNames(tree: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(tree)) for (const item of tree) tableNames(item, into);
  else if (tree !== null && typeof tree === 'object') {
    const node = tree as Record<string, unknown>;
    if (node.type === 'BASE_TABLE' && typeof node.table_name === 'string') into.add(node.table_name);
    for (const value of Object.values(node)) tableNames(value, into);
  }
  return into;
}

async function withSandbox<T>(
  artifacts: ArtifactStore,
  views: WorkbenchView[],
  writable: string | undefined,
  fn: (connection: DuckDBConnection) => Promise<T>,
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'modelyard-sql-'));
  try {
    return await withLocalFiles(artifacts, views, async (paths) => {
      const links = await Promise.all(
        paths.map(async (path, k) => {
          const linked = join(dir, `d${k}.parquet`);
          // A hard link needs the same filesystem; elsewhere a symbolic link works, and shows the real path.
          await link(path, linked).catch(async (error: NodeJS.ErrnoException) => {
            if (error.code !== 'EXDEV') throw error;
            await symlink(path, linked);
          });
          return linked;
        }),
      );
      const instance = await DuckDBInstance.create(':memory:', {
        autoinstall_known_extensions: 'false',
        autoload_known_extensions: 'false',
        threads: '2',
        memory_limit: MEMORY_LIMIT,
        temp_directory: dir,
        // Snapshots keep rows in order, so the same query gives the same file (see data/duckdb.ts).
        preserve_insertion_order: 'true',
      });
      const connection = await instance.connect();
      try {
        for (const [k, view] of views.entries()) {
          await connection.run(
            `CREATE VIEW ${quoteIdentifier(view.name)} AS SELECT * FROM read_parquet(${quoteLiteral(links[k]!)})`,
          );
        }
        const allowed = writable === undefined ? links : [...links, writable];
        await connection.run(`SET allowed_paths = [${allowed.map(quoteLiteral).join(', ')}]`);
        await connection.run('SET enable_external_access = false');
        await connection.run('SET lock_configuration = true');
        return await fn(connection);
      } finally {
        connection.closeSync();
        instance.closeSync();
      }
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function runSelect(connection: DuckDBConnection, query: WorkbenchQuery): Promise<WorkbenchResult> {
  const sql = await checkedSelect(connection, query.sql);
  const started = performance.now();
  const reader = await interruptible(connection, query.timeoutMs, () =>
    sqlStep(() =>
      connection.runAndReadAll(`SELECT * FROM (${sql}) AS q LIMIT ${query.limit + 1} OFFSET ${query.offset}`),
    ),
  );
  const names = reader.columnNames();
  const types = reader.columnTypes();
  const rows = reader.getRowsJson() as unknown[][];
  return {
    columns: names.map((name, i) => ({ name, type: String(types[i]) })),
    rows: rows.slice(0, query.limit),
    more: rows.length > query.limit,
    elapsedMs: performance.now() - started,
  };
}

/** The SQL without a final `;`, once known to be one SELECT that DuckDB also prepares as a SELECT. */
async function checkedSelect(connection: DuckDBConnection, text: string): Promise<string> {
  // DuckDB's lexical rules are PostgreSQL's; PRAGMA and CALL, which DuckDB turns into SELECTs, are refused here too.
  checkSingleSelect(text, 'postgres');
  const sql = text.trim().replace(/;\s*$/, '');
  const statements = await sqlStep(() => connection.extractStatements(sql));
  if (statements.count !== 1) {
    throw badRequest('not_a_select', 'The workbench runs exactly one SELECT statement.', {
      statements: statements.count,
    });
  }
  const prepared = await sqlStep(() => statements.prepare(0));
  if (prepared.statementType !== StatementType.SELECT) {
    throw badRequest('not_a_select', 'The workbench runs SELECT statements only (no DDL, SET, ATTACH, COPY, ...).');
  }
  return sql;
}

/** Runs `work`, interrupting DuckDB after `timeoutMs`: then 422 query_timeout. */
async function interruptible<T>(connection: DuckDBConnection, timeoutMs: number, work: () => Promise<T>): Promise<T> {
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    connection.interrupt();
  }, timeoutMs);
  try {
    return await work();
  } catch (error) {
    if (timedOut) throw new ModelyardError(422, 'query_timeout', `The query did not finish within ${timeoutMs} ms.`);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** DuckDB's own errors about the SQL become 400s with its message; a refused file or setting a clear `sql_refused`. */
async function sqlStep<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof ModelyardError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    if (/^INTERRUPT/i.test(message) || /interrupted/i.test(message)) throw error;
    if (/^(Permission Error|Invalid Input Error: Cannot change configuration)/.test(message)) {
      throw badRequest(
        'sql_refused',
        `Refused: the workbench reads the project's datasets only. ${firstLine(message)}`,
      );
    }
    throw badRequest('sql_error', firstLine(message));
  }
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.slice(0, 500);
}

/** Local paths of every snapshot at once (nested withLocalFile), for as long as `fn` runs. */
async function withLocalFiles<T>(
  artifacts: ArtifactStore,
  views: WorkbenchView[],
  fn: (paths: string[]) => Promise<T>,
  paths: string[] = [],
): Promise<T> {
  if (paths.length === views.length) return fn(paths);
  return artifacts.withLocalFile(views[paths.length]!.snapshotKey, (path) =>
    withLocalFiles(artifacts, views, fn, [...paths, path]),
  );
}
