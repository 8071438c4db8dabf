// `modelyard retrain create|list|delete|history`: a model's cron-scheduled retraining (the run gates must pass before
// its alias moves) and what each tick came to.

import type { Command } from 'commander';
import type { Model, ModelyardClient } from '@modelyard/client';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { formatTable } from '../format-table.js';
import { formatTime } from '../format-value.js';
import { findModelByName, findRun } from '../lookup.js';
import { integerOption } from './integer-option.js';

interface CreateOptions {
  cron: string;
  fromRun: string;
  registerAs?: string;
  promote?: string;
}

async function modelNamed(client: ModelyardClient, project: string, name: string): Promise<Model> {
  const model = await findModelByName(client, project, name);
  if (!model) throw new CliError('model_not_found', `No model '${name}' in project '${project}'.`);
  return model;
}

export function registerRetrainCommand(program: Command, ctx: CliContext): void {
  const retrain = program.command('retrain').description("a model's scheduled retraining, promoted through its gates");

  retrain
    .command('create <model>')
    .description('retrain on a cron schedule by repeating a run on its dataset’s newest version')
    .requiredOption('--cron <expression>', "when to retrain, e.g. '0 3 * * 1' (Mondays 03:00)")
    .requiredOption('--from-run <run>', 'the training run to repeat (id or name)')
    .option('--register-as <model>', 'register the result as this model (default: this one)')
    .option('--promote <alias>', 'move this alias to the new version when its gates pass')
    .action(async (modelName: string, opts: CreateOptions, cmd: Command) => {
      const client = await ctx.client(cmd);
      const project = ctx.project(cmd);
      const model = await modelNamed(client, project, modelName);
      const run = await findRun(client, project, opts.fromRun);
      const created = await client.createRetrainSchedule(model.id, {
        schedule: opts.cron,
        runTemplate: { run: run.id },
        ...(opts.registerAs !== undefined && { registerAs: opts.registerAs }),
        ...(opts.promote !== undefined && { promoteAlias: opts.promote }),
      });
      ctx.print(
        cmd,
        created,
        () =>
          `Retraining ${created.id} of ${model.name}: '${created.schedule}', next ${formatTime(created.nextRunAt)}` +
          `${created.promoteAlias ? `, promoting ${created.registerAs}@${created.promoteAlias} through its gates` : ''}.`,
      );
    });

  retrain
    .command('list <model>')
    .description("a model's retraining schedules")
    .action(async (modelName: string, _opts: unknown, cmd: Command) => {
      const client = await ctx.client(cmd);
      const model = await modelNamed(client, ctx.project(cmd), modelName);
      const schedules = await client.listRetrainSchedules(model.id);
      ctx.print(cmd, schedules, () =>
        schedules.length === 0
          ? `No retraining schedules on ${model.name}.`
          : formatTable(
              ['ID', 'SCHEDULE', 'REGISTER AS', 'PROMOTE', 'NEXT'],
              schedules.map((s) => [s.id, s.schedule, s.registerAs, s.promoteAlias ?? '-', formatTime(s.nextRunAt)]),
            ),
      );
    });

  retrain
    .command('delete <schedule>')
    .description('remove a retraining schedule and its history')
    .action(async (scheduleId: string, _opts: unknown, cmd: Command) => {
      const client = await ctx.client(cmd);
      await client.deleteRetrainSchedule(scheduleId);
      ctx.print(cmd, { deleted: scheduleId }, () => `Deleted retraining schedule ${scheduleId}.`);
    });

  retrain
    .command('history <schedule>')
    .description('what each tick of a retraining schedule came to, newest first')
    .option('--limit <n>', 'at most this many (default 100)')
    .action(async (scheduleId: string, opts: { limit?: string }, cmd: Command) => {
      const client = await ctx.client(cmd);
      const runs = await client.retrainScheduleRuns(scheduleId, {
        ...(opts.limit !== undefined && { limit: integerOption('--limit', opts.limit, 1) }),
      });
      ctx.print(cmd, runs, () =>
        runs.length === 0
          ? 'No ticks yet.'
          : formatTable(
              ['TICK', 'STATUS', 'RUN', 'VERSION', 'WHY'],
              runs.map((r) => [
                formatTime(r.tickAt),
                r.status,
                r.runId ?? '-',
                r.modelVersion === null ? '-' : `${r.model}@${r.modelVersion}`,
                r.message ?? '',
              ]),
            ),
      );
    });
}
