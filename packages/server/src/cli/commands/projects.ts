// `modelyard projects list|create`.

import { collectAll } from '@modelyard/client';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { formatTable } from '../format-table.js';
import { formatTime } from '../format-value.js';

export function registerProjectsCommand(program: Command, ctx: CliContext): void {
  const projects = program.command('projects').description('list and create projects');

  projects
    .command('list')
    .description('the projects you are a member of')
    .action(async (_opts: unknown, cmd: Command) => {
      const client = await ctx.client(cmd);
      const items = await collectAll((p) => client.listProjects({ ...p, limit: 500 }));
      ctx.print(cmd, items, () =>
        items.length === 0
          ? 'No projects.'
          : formatTable(
              ['NAME', 'ROLE', 'CREATED', 'DESCRIPTION'],
              items.map((p) => [p.name, p.role, formatTime(p.createdAt), p.description]),
            ),
      );
    });

  projects
    .command('create <name>')
    .description('create a project; you become its admin')
    .option('--description <text>', 'what the project is for')
    .action(async (name: string, opts: { description?: string }, cmd: Command) => {
      const client = await ctx.client(cmd);
      const project = await client.createProject({
        name,
        ...(opts.description !== undefined ? { description: opts.description } : {}),
      });
      ctx.print(cmd, project, () => `Created project ${project.name} (${project.id}).`);
    });
}
