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
import { badRequest, ModelyardError } from '../errors.js';
import { checkSingleSelect } from '../connectors/read-only-sql.js';

export interface WorkbenchView {
  /** The dataset's name: the view's name in SQL. */
  name: string;
  snapshotKey: string;
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
      });
      const connection = await instance.connect();
      try {
        for (const [k, view] of views.entries()) {
          await connection.run(
            `CREATE VIEW ${quoteIdentifier(view.name)} AS SELECT * FROM read_parquet(${quoteLiteral(links[k]!)})`,
          );
        }
        await connection.run(`SET allowed_paths = [${links.map(quoteLiteral).join(', ')}]`);
        await connection.run('SET enable_external_access = false');
        await connection.run('SET lock_configuration = true');
        return await runSelect(connection, query);
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
  // DuckDB's lexical rules are PostgreSQL's; PRAGMA and CALL, which DuckDB turns into SELECTs, are refused here too.
  checkSingleSelect(query.sql, 'postgres');
  const sql = query.sql.trim().replace(/;\s*$/, '');
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
  const started = performance.now();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    connection.interrupt();
  }, query.timeoutMs);
  try {
    const reader = await sqlStep(() =>
      connection.runAndReadAll(`SELECT * FROM (${sql}) AS q LIMIT ${query.limit + 1} OFFSET ${query.offset}`),
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
  } catch (error) {
    if (timedOut) {
      throw new ModelyardError(422, 'query_timeout', `The query did not finish within ${query.timeoutMs} ms.`);
    }
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
