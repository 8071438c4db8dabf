// `modelyard runs list|show`.

import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { formatTable } from '../format-table.js';
import { formatDuration, formatTime } from '../format-value.js';
import { describeRun, headlineMetric } from '../run-summary.js';

export function registerRunsCommand(program: Command, ctx: CliContext): void {
  const runs = program.command('runs').description('list and inspect training runs');

  runs
    .command('list')
    .description("the project's runs, newest first")
    .option('--limit <n>', 'at most this many runs', '50')
    .action(async (opts: { limit: string }, cmd: Command) => {
      const client = await ctx.client(cmd);
      const project = ctx.project(cmd);
      const limit = Math.max(1, Math.min(500, Number(opts.limit) || 50));
      const items = (await client.listRuns(project, { limit })).items;
      ctx.print(cmd, items, () =>
        items.length === 0
          ? `No runs in project ${project}.`
          : formatTable(
              ['ID', 'NAME', 'STATUS', 'TASK', 'TARGET', 'METRIC', 'DURATION', 'CREATED'],
              items.map((r) => [
                r.id,
                r.name,
                r.status,
                r.task,
                r.target,
                headlineMetric(r),
                formatDuration(r.durationMs),
                formatTime(r.createdAt),
              ]),
              { alignRight: [6] },
            ),
      );
    });

  runs
    .command('show <id>')
    .description("a run's status, metrics, parameters and error")
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const client = await ctx.client(cmd);
      const run = await client.getRun(id);
      ctx.print(cmd, run, () => describeRun(run));
    });
}
