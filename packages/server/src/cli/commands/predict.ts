// `modelyard predict`: scores records through an endpoint.

import type { PredictResponse } from '@modelyard/client';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { formatTable, type Cell } from '../format-table.js';
import { formatDuration, formatMetric } from '../format-value.js';
import { findEndpoint } from '../lookup.js';
import { readRecords } from '../read-records.js';

export function registerPredictCommand(program: Command, ctx: CliContext): void {
  program
    .command('predict <endpoint>')
    .description('score records through an endpoint (by id or name)')
    .requiredOption('--data <json>', "a JSON file, '-' for stdin, or inline JSON: one record or an array of records")
    .action(async (endpointRef: string, opts: { data: string }, cmd: Command) => {
      const records = await readRecords(opts.data, {
        ...(ctx.io.stdin ? { stdin: ctx.io.stdin } : {}),
        ...(ctx.io.cwd ? { cwd: ctx.io.cwd } : {}),
      });
      const client = await ctx.client(cmd);
      const endpoint = await findEndpoint(client, ctx.project(cmd), endpointRef);
      const response = await client.predict(endpoint.id, records);
      ctx.print(cmd, response, () => formatPredictions(response));
    });
}

export function formatPredictions(response: PredictResponse): string {
  const classes = [
    ...new Set(response.predictions.flatMap((p) => ('probabilities' in p ? Object.keys(p.probabilities) : []))),
  ].sort();
  const regression = response.predictions.some((p) => 'value' in p);
  const headers = [
    '#',
    ...(classes.length > 0 ? ['LABEL', ...classes.map((c) => `P(${c})`)] : []),
    ...(regression ? ['VALUE'] : []),
  ];
  const rows: Cell[][] = response.predictions.map((p, i) => [
    i + 1,
    ...(classes.length > 0
      ? 'probabilities' in p
        ? [p.label, ...classes.map((c) => formatMetric(p.probabilities[c]))]
        : classes.map(() => '').concat([''])
      : []),
    ...(regression ? ['value' in p ? formatMetric(p.value) : ''] : []),
  ]);
  const footer = `model ${response.model} version ${response.modelVersion}, ${formatDuration(response.latencyMs)}, request ${response.requestId}`;
  return `${formatTable(headers, rows)}\n\n${footer}`;
}
