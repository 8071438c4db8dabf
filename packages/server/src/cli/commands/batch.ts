// `modelyard batch create|list|run|runs`: batch scoring jobs, their runs, and waiting for one to finish.

import {
  collectAll,
  type BatchJob,
  type BatchOutputTable,
  type BatchRun,
  type BatchSource,
  type ModelyardClient,
} from '@modelyard/client';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { formatTable } from '../format-table.js';
import { formatTime } from '../format-value.js';
import { integerOption } from './integer-option.js';

interface CreateOptions {
  model: string;
  output: string;
  dataset?: string;
  version?: string;
  sql?: string;
  connection?: string;
  partitions?: string;
  schedule?: string;
  keep?: string;
  outputTable?: string;
  outputMode?: string;
}

/** The job named (or with this id) in the project. */
async function findBatchJob(client: ModelyardClient, project: string, ref: string): Promise<BatchJob> {
  const jobs = await collectAll((p) => client.listBatchJobs(project, { ...p, limit: 500 }));
  const job = jobs.find((j) => j.id === ref || j.name === ref);
  if (!job) throw new CliError('batch_job_not_found', `No batch job '${ref}' in project ${project}.`);
  return job;
}

export function sourceOf(opts: Pick<CreateOptions, 'dataset' | 'version' | 'sql' | 'connection'>): BatchSource {
  if ((opts.dataset === undefined) === (opts.sql === undefined)) {
    throw new CliError('invalid_source', 'Give either --dataset <name> or --sql <select> (with --connection <name>).');
  }
  if (opts.dataset !== undefined) return { kind: 'dataset', dataset: opts.dataset, version: opts.version ?? null };
  if (opts.connection !== undefined) return { kind: 'connection', connection: opts.connection, sql: opts.sql! };
  return { kind: 'datasets_sql', sql: opts.sql! };
}

/** `--output-table connection:table` with `--output-mode replace|append` (replace by default). */
export function outputTableOf(opts: Pick<CreateOptions, 'outputTable' | 'outputMode'>): BatchOutputTable | undefined {
  if (opts.outputTable === undefined) {
    if (opts.outputMode === undefined) return undefined;
    throw new CliError('invalid_output_table', '--output-mode needs --output-table.');
  }
  const colon = opts.outputTable.indexOf(':');
  const connection = opts.outputTable.slice(0, colon);
  const table = opts.outputTable.slice(colon + 1);
  if (colon < 1 || table === '') {
    throw new CliError(
      'invalid_output_table',
      `--output-table takes <connection>:<table> or <connection>:<schema>.<table>, not '${opts.outputTable}'.`,
    );
  }
  const mode = opts.outputMode ?? 'replace';
  if (mode !== 'replace' && mode !== 'append') {
    throw new CliError('invalid_output_table', `--output-mode is replace or append, not '${mode}'.`);
  }
  return { connection, table, mode };
}

function runRow(r: BatchRun): (string | number)[] {
  return [
    r.id,
    r.status,
    r.trigger,
    r.modelVersion === null ? r.modelRef : `${r.modelRef.split('@')[0]}@${r.modelVersion}`,
    `${r.partitionsDone}/${r.partitionsTotal}`,
    r.rowsTotal === null ? `${r.rowsDone}` : `${r.rowsDone}/${r.rowsTotal}`,
    r.outputVersion?.slice(0, 12) ?? r.error?.code ?? '',
    formatTime(r.createdAt),
  ];
}

const RUN_HEADERS = ['ID', 'STATUS', 'TRIGGER', 'MODEL', 'PARTITIONS', 'ROWS', 'OUTPUT', 'CREATED'];

export function registerBatchCommand(program: Command, ctx: CliContext): void {
  const batch = program.command('batch').description('batch scoring jobs: a model scores a dataset or a query');

  batch
    .command('create <name>')
    .description('define a job; its runs write new versions of the output dataset')
    .requiredOption('--model <ref>', 'model reference, name@alias or name@version')
    .requiredOption('--output <dataset>', 'the dataset each run adds a version to')
    .option('--dataset <name>', 'score a dataset (its latest version at run time unless --version)')
    .option('--version <prefix>', 'a fixed version of --dataset')
    .option('--sql <select>', "score a SELECT over the project's datasets, or on --connection")
    .option('--connection <name>', 'run --sql on this connection')
    .option('--partitions <n>', 'partitions scored in parallel threads (default 2)')
    .option('--schedule <cron>', 'cron expression (5 fields, or 6 with seconds first)')
    .option('--keep <columns>', 'comma-separated input columns to copy to the output (default: all)')
    .option('--output-table <connection:table>', 'also write each output to this table ([schema.]name) on a connection')
    .option('--output-mode <mode>', 'replace (default) or append the output table')
    .action(async (name: string, opts: CreateOptions, cmd: Command) => {
      const outputTable = outputTableOf(opts);
      const client = await ctx.client(cmd);
      const job = await client.createBatchJob(ctx.project(cmd), {
        name,
        model: opts.model,
        source: sourceOf(opts),
        outputDataset: opts.output,
        ...(opts.partitions !== undefined && { partitions: integerOption('--partitions', opts.partitions, 1, 1024) }),
        ...(opts.schedule !== undefined && { schedule: opts.schedule }),
        ...(opts.keep !== undefined && { keepColumns: opts.keep.split(',').map((c) => c.trim()) }),
        ...(outputTable !== undefined && { outputTable }),
      });
      ctx.print(cmd, job, () => `Created batch job ${job.name} (${job.id}).`);
    });

  batch
    .command('list')
    .description("the project's batch jobs")
    .action(async (_opts: unknown, cmd: Command) => {
      const client = await ctx.client(cmd);
      const project = ctx.project(cmd);
      const jobs = await collectAll((p) => client.listBatchJobs(project, { ...p, limit: 500 }));
      ctx.print(cmd, jobs, () =>
        jobs.length === 0
          ? `No batch jobs in project ${project}.`
          : formatTable(
              ['NAME', 'ID', 'MODEL', 'SOURCE', 'OUTPUT', 'PARTITIONS', 'SCHEDULE', 'NEXT RUN'],
              jobs.map((j) => [
                j.name,
                j.id,
                j.model,
                j.source.kind === 'dataset' ? j.source.dataset : `${j.source.kind}: ${j.source.sql.slice(0, 40)}`,
                j.outputDataset,
                j.partitions,
                j.schedule ?? '',
                formatTime(j.nextRunAt),
              ]),
              { alignRight: [5] },
            ),
      );
    });

  batch
    .command('run <job>')
    .description('start a run now and, with --wait, follow it to the end')
    .option('--wait', 'wait for the run to finish; exit 1 when it fails')
    .action(async (ref: string, opts: { wait?: boolean }, cmd: Command) => {
      const client = await ctx.client(cmd);
      const job = await findBatchJob(client, ctx.project(cmd), ref);
      let run = await client.runBatchJob(job.id);
      while (opts.wait === true && (run.status === 'queued' || run.status === 'running')) {
        await new Promise((r) => setTimeout(r, 500));
        run = await client.getBatchRun(run.id);
      }
      ctx.print(cmd, run, () => formatTable(RUN_HEADERS, [runRow(run)]));
      if (run.status === 'failed') {
        throw new CliError(run.error?.code ?? 'batch_run_failed', run.error?.message ?? 'The batch run failed.');
      }
    });

  batch
    .command('runs <job>')
    .description("a job's runs, newest first")
    .action(async (ref: string, _opts: unknown, cmd: Command) => {
      const client = await ctx.client(cmd);
      const job = await findBatchJob(client, ctx.project(cmd), ref);
      const runs = (await client.listBatchRuns(job.id, { limit: 100 })).items;
      ctx.print(cmd, runs, () =>
        runs.length === 0 ? `No runs of ${job.name} yet.` : formatTable(RUN_HEADERS, runs.map(runRow)),
      );
    });
}
