// `modelyard endpoints create|list|feedback`.

import { collectAll, type FeedbackReply } from '@modelyard/client';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { formatTable } from '../format-table.js';
import { formatTime } from '../format-value.js';
import { findEndpoint } from '../lookup.js';
import { readFeedback } from '../read-feedback.js';

/** The API takes at most this many labels per call; bigger files go in several calls. */
const FEEDBACK_CHUNK = 10_000;

export function registerEndpointsCommand(program: Command, ctx: CliContext): void {
  const endpoints = program.command('endpoints').description('create and list serving endpoints');

  endpoints
    .command('create <name>')
    .description('serve a model version through a named endpoint')
    .requiredOption('--model <name@alias>', 'what to serve: name@alias or name@version')
    .action(async (name: string, opts: { model: string }, cmd: Command) => {
      const client = await ctx.client(cmd);
      const endpoint = await client.createEndpoint(ctx.project(cmd), { name, model: opts.model });
      ctx.print(
        cmd,
        endpoint,
        () => `Endpoint ${endpoint.name} (${endpoint.id}) serves ${endpoint.model} (version ${endpoint.modelVersion}).`,
      );
    });

  endpoints
    .command('list')
    .description("the project's endpoints")
    .action(async (_opts: unknown, cmd: Command) => {
      const client = await ctx.client(cmd);
      const project = ctx.project(cmd);
      const items = await collectAll((p) => client.listEndpoints(project, { ...p, limit: 500 }));
      ctx.print(cmd, items, () =>
        items.length === 0
          ? `No endpoints in project ${project}.`
          : formatTable(
              ['NAME', 'ID', 'MODEL', 'VERSION', 'CREATED'],
              items.map((e) => [e.name, e.id, e.model, e.modelVersion, formatTime(e.createdAt)]),
            ),
      );
    });

  endpoints
    .command('feedback <endpoint>')
    .description('send delayed labels for records an endpoint answered (by id or name)')
    .requiredOption(
      '--file <path>',
      'a .csv with the columns requestId,index,label (index optional, 0 by default) or a .json array of {requestId, index?, label}',
    )
    .action(async (endpointRef: string, opts: { file: string }, cmd: Command) => {
      const labels = await readFeedback(opts.file, ctx.io.cwd);
      const client = await ctx.client(cmd);
      const endpoint = await findEndpoint(client, ctx.project(cmd), endpointRef);
      const total: FeedbackReply = { accepted: 0, unknown: [], invalid: [] };
      for (let from = 0; from < labels.length; from += FEEDBACK_CHUNK) {
        const reply = await client.sendFeedback(endpoint.id, labels.slice(from, from + FEEDBACK_CHUNK));
        total.accepted += reply.accepted;
        total.unknown.push(...reply.unknown);
        // Positions count from the start of the file, not of the call.
        total.invalid.push(...reply.invalid.map((issue) => ({ ...issue, position: issue.position + from })));
      }
      ctx.print(cmd, total, () => formatFeedback(total));
    });
}

function formatFeedback(reply: FeedbackReply): string {
  const lines = [
    `Accepted ${reply.accepted} label(s); ${reply.unknown.length} unknown, ${reply.invalid.length} invalid.`,
  ];
  for (const u of reply.unknown.slice(0, 10)) lines.push(`unknown: request ${u.requestId} record ${u.index}`);
  if (reply.unknown.length > 10) lines.push(`... and ${reply.unknown.length - 10} more unknown`);
  for (const i of reply.invalid.slice(0, 10)) lines.push(`invalid: label ${i.position + 1}: ${i.message} (${i.code})`);
  if (reply.invalid.length > 10) lines.push(`... and ${reply.invalid.length - 10} more invalid`);
  return lines.join('\n');
}
