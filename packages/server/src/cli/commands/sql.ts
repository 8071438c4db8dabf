// `modelyard sql`: one read-only SELECT over the project's datasets (each a view named after it), printed as a table
// or saved as a derived dataset with --save.

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { ModelyardClient, SqlResult } from '@modelyard/client';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { formatTable } from '../format-table.js';
import { formatDuration } from '../format-value.js';
import { describeDataset } from './datasets.js';
import { integerOption } from './integer-option.js';
import { readStdin } from './read-stdin.js';

/** The server's largest page of rows. */
const MAX_PAGE = 1000;
const DEFAULT_LIMIT = 100;

interface SqlOptions {
  file?: string;
  limit?: string;
  offset?: string;
  save?: string;
  description?: string;
}

export function registerSqlCommand(program: Command, ctx: CliContext): void {
  program
    .command('sql [query]')
    .description("run one read-only SELECT over the project's datasets (each a view named after it); '-' reads stdin")
    .option('--file <path>', "read the query from a file ('-' for stdin)")
    .option('--limit <n>', `at most this many rows (default: ${DEFAULT_LIMIT})`)
    .option('--offset <n>', 'skip this many rows first (default: 0)')
    .option('--save <dataset>', 'save the whole result as a derived dataset of this name instead of printing it')
    .option('--description <text>', 'with --save: what the data is')
    .action(async (query: string | undefined, opts: SqlOptions, cmd: Command) => {
      if (opts.save === undefined && opts.description !== undefined) {
        throw new CliError('invalid_option', '--description goes with --save.');
      }
      if (opts.save !== undefined && (opts.limit !== undefined || opts.offset !== undefined)) {
        throw new CliError('invalid_option', '--save keeps the whole result: leave out --limit and --offset.');
      }
      const limit = opts.limit !== undefined ? integerOption('--limit', opts.limit, 1) : DEFAULT_LIMIT;
      const offset = opts.offset !== undefined ? integerOption('--offset', opts.offset, 0) : 0;
      const sql = await readQuery(ctx, query, opts.file);
      const client = await ctx.client(cmd);
      const project = ctx.project(cmd);
      if (opts.save !== undefined) {
        const dataset = await client.createDatasetFromQuery(project, {
          name: opts.save,
          sql,
          ...(opts.description !== undefined ? { description: opts.description } : {}),
        });
        ctx.print(cmd, dataset, () => describeDataset(dataset));
        return;
      }
      const result = await fetchRows(client, project, sql, offset, limit);
      ctx.print(cmd, result, () => formatSqlResult(result, offset));
    });
}

/** The query from the argument, --file, or stdin ('-' as either); exactly one of them. */
async function readQuery(ctx: CliContext, query: string | undefined, file: string | undefined): Promise<string> {
  if ((query === undefined) === (file === undefined)) {
    throw new CliError('invalid_option', "Give the query as an argument or with --file (use '-' for stdin).");
  }
  let text: string;
  if (query === '-' || file === '-') text = await readStdin(ctx, 'the query');
  else if (file !== undefined) {
    text = await readFile(resolve(ctx.io.cwd ?? process.cwd(), file), 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') throw new CliError('file_not_found', `No file '${file}'.`);
      throw err;
    });
  } else text = query ?? '';
  // A trailing semicolon is how SQL files usually end; the workbench takes one statement without it.
  const sql = text.trim().replace(/;\s*$/, '');
  if (sql === '') throw new CliError('no_query', 'The query is empty.');
  return sql;
}

/**
 * Rows offset..offset+limit, in pages the server accepts. Its cursors are opaque, so an offset is reached by reading
 * (and dropping) the rows before it; `nextCursor` is the server's, for the row after the last one returned.
 */
export async function fetchRows(
  client: ModelyardClient,
  project: string,
  sql: string,
  offset: number,
  limit: number,
): Promise<SqlResult> {
  let cursor: string | undefined;
  let elapsedMs = 0;
  let skip = offset;
  let columns: SqlResult['columns'] = [];
  const rows: unknown[][] = [];
  let wanted = limit;
  for (;;) {
    const size = Math.min(MAX_PAGE, skip > 0 ? skip : wanted);
    const page = await client.sql(project, { sql, limit: size, ...(cursor !== undefined ? { cursor } : {}) });
    elapsedMs += page.elapsedMs;
    columns = page.columns;
    if (skip > 0) skip -= page.rows.length;
    else {
      rows.push(...page.rows);
      wanted -= page.rows.length;
    }
    cursor = page.nextCursor ?? undefined;
    if (cursor === undefined || (skip <= 0 && wanted <= 0)) {
      return { columns, rows, nextCursor: cursor ?? null, elapsedMs };
    }
  }
}

/** A result as an aligned table: numbers right, NULL spelled out, nested values as JSON; then a one-line footer. */
export function formatSqlResult(result: SqlResult, offset = 0): string {
  const numeric = result.columns.flatMap((c, i) => (isNumericType(c.type) ? [i] : []));
  const table = formatTable(
    result.columns.map((c) => c.name),
    result.rows.map((row) => row.map(sqlCell)),
    { alignRight: numeric },
  );
  const n = result.rows.length;
  const more = result.nextCursor !== null ? `; more with --offset ${offset + n}` : '';
  const footer = `${n} ${n === 1 ? 'row' : 'rows'} in ${formatDuration(result.elapsedMs)}${more}`;
  return `${table}\n\n${footer}`;
}

function sqlCell(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/** DuckDB's numeric types, DECIMAL(p,s) included. */
function isNumericType(type: string): boolean {
  return /^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|FLOAT|DOUBLE|REAL|DECIMAL(\(\d+,\s*\d+\))?)$/i.test(
    type.trim(),
  );
}
