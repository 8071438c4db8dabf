// `modelyard train`: starts a training run and, unless --no-wait, follows it to the end and prints its metrics.

import type { CreateRun, Run, Task } from '@modelyard/client';
import { Option, type Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { collectParam, type ParamValue } from '../parse-param.js';
import { metricsTable, runHeadline } from '../run-summary.js';
import { createRunProgress } from '../run-progress.js';

interface TrainOptions {
  dataset: string;
  datasetVersion?: string;
  target: string;
  task: Task;
  algorithm: CreateRun['algorithm'];
  param?: Record<string, ParamValue>;
  name?: string;
  wait: boolean;
  timeout?: string;
  interval: string;
}

export function registerTrainCommand(program: Command, ctx: CliContext): void {
  program
    .command('train')
    .description('train a model on a dataset and wait for its metrics')
    .requiredOption('--dataset <name-or-id>', 'dataset to train on, optionally as name@version')
    .option('--dataset-version <hash>', 'dataset version (a unique prefix will do; default: the latest)')
    .requiredOption('--target <column>', 'column to predict')
    .addOption(
      new Option('--task <task>', 'what to predict').choices(['classification', 'regression']).makeOptionMandatory(),
    )
    .addOption(new Option('--algorithm <name>', 'learning algorithm').choices(['glm', 'gbdt', 'forest']).default('glm'))
    .option('--param <key=value...>', 'algorithm parameter, e.g. --param lambda=0.001 seed=42', collectParam)
    .option('--name <name>', 'run name')
    .option('--no-wait', 'print the queued run and return at once')
    .option('--timeout <seconds>', 'stop waiting after this long (the run goes on)')
    .addOption(new Option('--interval <ms>', 'polling interval while waiting').default('500').hideHelp())
    .action(async (opts: TrainOptions, cmd: Command) => {
      const timeoutMs = opts.timeout !== undefined ? seconds(opts.timeout) * 1000 : undefined;
      const client = await ctx.client(cmd);
      // `name@version` is the design's way to name a snapshot; --dataset-version says the same at greater length.
      const [dataset = opts.dataset, atVersion] = opts.dataset.split('@', 2);
      const version = opts.datasetVersion ?? atVersion;
      const body: CreateRun = {
        dataset,
        target: opts.target,
        task: opts.task,
        algorithm: opts.algorithm,
        ...(version ? { version } : {}),
        ...(opts.param !== undefined ? { params: opts.param } : {}),
        ...(opts.name !== undefined ? { name: opts.name } : {}),
      };
      const created = await client.createRun(ctx.project(cmd), body);
      if (!opts.wait) {
        ctx.print(
          cmd,
          created,
          () => `run ${created.id} ${created.status}; follow it with: modelyard runs show ${created.id}`,
        );
        return;
      }
      const progress = createRunProgress(ctx.io.stderr, created.id);
      let run: Run;
      try {
        run = await client.waitForRun(created.id, {
          intervalMs: Number(opts.interval) || 500,
          ...(timeoutMs !== undefined ? { timeoutMs } : {}),
          onProgress: (r) => progress.update(r),
        });
      } finally {
        progress.stop();
      }
      if (run.status === 'failed') {
        // Scripts still get the run (its error included); people get the one error line.
        if (ctx.json(cmd)) ctx.out(JSON.stringify(run, null, 2));
        const error = run.error ?? { code: 'run_failed', message: `run ${run.id} failed` };
        ctx.err(`error: ${error.message} (${error.code})`);
        ctx.exitCode = 1;
        return;
      }
      ctx.print(cmd, run, () => `${runHeadline(run)}\n\n${metricsTable(run)}`);
    });
}

function seconds(text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) {
    throw new CliError('invalid_timeout', `--timeout takes a positive number of seconds, not '${text}'.`);
  }
  return value;
}
