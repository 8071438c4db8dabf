// `modelyard accuracy <endpoint>`: an endpoint's metrics from feedback labels per bucket, and rolling over a window.

import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { formatTable } from '../format-table.js';
import { formatTime } from '../format-value.js';
import { findEndpoint } from '../lookup.js';

interface AccuracyOptions {
  bucket?: string;
  window?: string;
  from?: string;
  to?: string;
  all?: boolean;
}

const show = (value: number | null | undefined): string =>
  value === null || value === undefined ? '-' : value.toFixed(4);

export function registerAccuracyCommand(program: Command, ctx: CliContext): void {
  program
    .command('accuracy <endpoint>')
    .description("an endpoint's accuracy from feedback labels, per bucket of prediction time and rolling")
    .option('--bucket <duration>', 'bucket length, e.g. 1h or 1d (default 1d)')
    .option('--window <duration>', 'also the metrics over this trailing window at each bucket end, e.g. 7d')
    .option('--from <time>', 'first bucket start (default: 30 buckets back)')
    .option('--to <time>', 'end of the last bucket (default: now)')
    .option('--all', 'list buckets without labels too')
    .action(async (endpointRef: string, opts: AccuracyOptions, cmd: Command) => {
      const client = await ctx.client(cmd);
      const endpoint = await findEndpoint(client, ctx.project(cmd), endpointRef);
      const series = await client.accuracy(endpoint.id, {
        ...(opts.bucket !== undefined && { bucket: opts.bucket }),
        ...(opts.window !== undefined && { window: opts.window }),
        ...(opts.from !== undefined && { from: opts.from }),
        ...(opts.to !== undefined && { to: opts.to }),
      });
      const rows = series.buckets.filter((b) => opts.all || b.count > 0 || (b.rolling?.count ?? 0) > 0);
      ctx.print(cmd, series, () =>
        series.records === 0
          ? `No labelled predictions on ${endpoint.name} in this range.`
          : formatTable(
              [
                'BUCKET',
                'LABELLED',
                ...series.metrics.map((m) => m.toUpperCase()),
                ...(series.window === null
                  ? []
                  : [`LABELLED ${series.window}`, ...series.metrics.map((m) => `${m.toUpperCase()} ${series.window}`)]),
              ],
              rows.map((b) => [
                formatTime(b.from),
                b.count,
                ...series.metrics.map((m) => show(b.metrics[m])),
                ...(b.rolling === null
                  ? []
                  : [b.rolling.count, ...series.metrics.map((m) => show(b.rolling!.metrics[m]))]),
              ]),
            ),
      );
    });
}
