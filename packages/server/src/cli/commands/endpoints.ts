// `modelyard endpoints create|list`.

import { collectAll } from '@modelyard/client';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { formatTable } from '../format-table.js';
import { formatTime } from '../format-value.js';

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
}
