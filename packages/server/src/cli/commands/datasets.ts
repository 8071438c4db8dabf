// `modelyard datasets add|add-sql|refresh|list|show`.

import { openAsBlob } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { collectAll, type Dataset } from '@modelyard/client';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { formatTable } from '../format-table.js';
import { formatMetric, formatTime, shortVersion } from '../format-value.js';
import { findConnection, findDataset } from '../lookup.js';

interface AddSqlOptions {
  connection: string;
  query: string;
  description?: string;
}

interface AddOptions {
  name?: string;
  description?: string;
  serverPath?: boolean;
}

export function registerDatasetsCommand(program: Command, ctx: CliContext): void {
  const datasets = program
    .command('datasets')
    .description('add (from files or SQL), refresh, list and inspect datasets');

  datasets
    .command('add <file-or-path>')
    .description('upload a local file (CSV, Parquet, JSON) as a dataset version')
    .option('--name <name>', 'dataset name (default: the file name without extension)')
    .option('--description <text>', 'what the data is')
    .option('--server-path', 'register a file on the server instead of uploading a local one')
    .action(async (file: string, opts: AddOptions, cmd: Command) => {
      const client = await ctx.client(cmd);
      const project = ctx.project(cmd);
      const name = opts.name ?? basename(file, extname(file));
      const description = opts.description !== undefined ? { description: opts.description } : {};
      let dataset: Dataset;
      if (opts.serverPath) {
        dataset = await client.createDatasetFromPath(project, { name, path: file, ...description });
      } else {
        const data = await readLocalFile(resolve(ctx.io.cwd ?? process.cwd(), file), file);
        dataset = await client.createDatasetFromFile(project, { name, data, filename: basename(file), ...description });
      }
      ctx.print(cmd, dataset, () => describeDataset(dataset));
    });

  datasets
    .command('add-sql <name>')
    .description("register the result of a SELECT on one of the project's database connections as a dataset version")
    .requiredOption('--connection <name-or-id>', 'the connection to read from (see: modelyard connections list)')
    .requiredOption('--query <sql>', 'one SELECT, run on that database')
    .option('--description <text>', 'what the data is')
    .action(async (name: string, opts: AddSqlOptions, cmd: Command) => {
      const client = await ctx.client(cmd);
      const project = ctx.project(cmd);
      // The API names the connection by name; an id is looked up so either works here.
      const connection = await findConnection(client, project, opts.connection);
      const dataset = await client.createDatasetFromSql(project, {
        name,
        connection: connection.name,
        sql: opts.query,
        ...(opts.description !== undefined ? { description: opts.description } : {}),
      });
      ctx.print(cmd, dataset, () => describeDataset(dataset));
    });

  datasets
    .command('refresh <id-or-name>')
    .description('read the source of a path, SQL or query dataset again; a new version only if the content changed')
    .action(async (idOrName: string, _opts: unknown, cmd: Command) => {
      const client = await ctx.client(cmd);
      const before = await findDataset(client, ctx.project(cmd), idOrName);
      const after = await client.refreshDataset(before.id);
      const changed = after.latestVersion?.version !== before.latestVersion?.version;
      ctx.print(cmd, after, () => `${changed ? 'New version' : 'Unchanged'}: ${describeDataset(after)}`);
    });

  datasets
    .command('list')
    .description("the project's datasets")
    .action(async (_opts: unknown, cmd: Command) => {
      const client = await ctx.client(cmd);
      const project = ctx.project(cmd);
      const items = await collectAll((p) => client.listDatasets(project, { ...p, limit: 500 }));
      ctx.print(cmd, items, () =>
        items.length === 0
          ? `No datasets in project ${project}.`
          : formatTable(
              ['NAME', 'ID', 'VERSION', 'ROWS', 'COLUMNS', 'CREATED'],
              items.map((d) => [
                d.name,
                d.id,
                shortVersion(d.latestVersion?.version),
                d.latestVersion?.rows,
                d.latestVersion?.profile.columns.length,
                formatTime(d.createdAt),
              ]),
            ),
      );
    });

  datasets
    .command('show <id-or-name>')
    .description("a dataset's latest version and column profile")
    .action(async (idOrName: string, _opts: unknown, cmd: Command) => {
      const client = await ctx.client(cmd);
      const dataset = await findDataset(client, ctx.project(cmd), idOrName);
      ctx.print(cmd, dataset, () => showDataset(dataset));
    });
}

/** A file-backed Blob: the upload streams from disk instead of holding a large file in memory. */
async function readLocalFile(file: string, given: string): Promise<Blob> {
  // openAsBlob reports a missing file only as "Unable to open file as blob", and a folder not at all.
  const info = await stat(file).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') {
      throw new CliError('file_not_found', `No file '${given}' (use --server-path for a file on the server).`);
    }
    throw err;
  });
  if (!info.isFile()) throw new CliError('not_a_file', `'${given}' is not a file.`);
  return openAsBlob(file);
}

export function describeDataset(d: Dataset): string {
  const v = d.latestVersion;
  const shape = v ? `: ${v.rows} rows × ${v.profile.columns.length} columns` : '';
  return `Dataset ${d.name} (${d.id}) version ${shortVersion(v?.version)}${shape}.`;
}

function showDataset(d: Dataset): string {
  const v = d.latestVersion;
  const fields = formatTable(null, [
    ['name', d.name],
    ['id', d.id],
    ['description', d.description],
    ['created', formatTime(d.createdAt)],
    ['version', v?.version ?? '(none)'],
    ['rows', v?.rows],
    ['bytes', v?.bytes],
    ['source', v?.source],
  ]);
  if (!v) return fields;
  const columns = formatTable(
    ['COLUMN', 'TYPE', 'DB TYPE', 'NULLS', 'DISTINCT', 'MIN', 'MAX', 'MEAN', 'TOP'],
    v.profile.columns.map((c) => [
      c.name,
      c.type,
      c.dbType,
      c.nulls,
      c.distinct,
      typeof c.min === 'number' ? formatMetric(c.min) : c.min,
      typeof c.max === 'number' ? formatMetric(c.max) : c.max,
      formatMetric(c.mean),
      c.topValues
        ?.slice(0, 3)
        .map((t) => `${t.value} (${t.count})`)
        .join(', '),
    ]),
    { alignRight: [3, 4, 5, 6, 7] },
  );
  return `${fields}\n\n${columns}`;
}
