// `modelyard models register|list`.

import { ApiError, collectAll, type Model, type ModelyardClient } from '@modelyard/client';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { formatTable } from '../format-table.js';
import { formatTime } from '../format-value.js';
import { findModelByName } from '../lookup.js';
import { registerImportOnnxCommand } from './export.js';
import { registerModelProbesCommands } from './model-probes.js';

interface RegisterOptions {
  run: string;
  alias?: string;
  description?: string;
}

export function registerModelsCommand(program: Command, ctx: CliContext): void {
  const models = program.command('models').description('register and list models');

  models
    .command('register <name>')
    .description("register a run's model as a new version (creating the model if needed) and set an alias")
    .requiredOption('--run <id>', 'the run that trained the model')
    .option('--alias <alias>', 'point this alias at the new version, e.g. champion')
    .option('--description <text>', 'description, if the model is created')
    .action(async (name: string, opts: RegisterOptions, cmd: Command) => {
      const client = await ctx.client(cmd);
      const project = ctx.project(cmd);
      let model = await findOrCreateModel(client, project, name, opts.description);
      const version = await client.registerModelVersion(model.id, opts.run);
      model = opts.alias
        ? await client.setAlias(model.id, opts.alias, version.version)
        : await client.getModel(model.id);
      ctx.print(cmd, { model, version }, () => {
        const alias = opts.alias ? `; alias ${opts.alias} → ${version.version}` : '';
        return `Registered ${model.name} version ${version.version} from run ${version.runId}${alias}.`;
      });
    });

  registerImportOnnxCommand(models, ctx);
  registerModelProbesCommands(models, ctx);

  models
    .command('list')
    .description("the project's models")
    .action(async (_opts: unknown, cmd: Command) => {
      const client = await ctx.client(cmd);
      const project = ctx.project(cmd);
      const items = await collectAll((p) => client.listModels(project, { ...p, limit: 500 }));
      ctx.print(cmd, items, () =>
        items.length === 0
          ? `No models in project ${project}.`
          : formatTable(
              ['NAME', 'ID', 'LATEST', 'ALIASES', 'CREATED'],
              items.map((m) => [m.name, m.id, m.latestVersion, formatAliases(m), formatTime(m.createdAt)]),
            ),
      );
    });
}

async function findOrCreateModel(
  client: ModelyardClient,
  project: string,
  name: string,
  description: string | undefined,
): Promise<Model> {
  const existing = await findModelByName(client, project, name);
  if (existing) return existing;
  try {
    return await client.createModel(project, { name, ...(description !== undefined ? { description } : {}) });
  } catch (err) {
    // Someone else created it between our look-up and our create: use theirs.
    if (err instanceof ApiError && err.status === 409) {
      const created = await findModelByName(client, project, name);
      if (created) return created;
    }
    throw err;
  }
}

function formatAliases(model: Model): string {
  return Object.entries(model.aliases)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([alias, version]) => `${alias}=${version}`)
    .join(', ');
}
