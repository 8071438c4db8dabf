// `modelyard models probes set|show|run` and `modelyard models card`: a model's ground-truth probes and a version's
// model card.

import { readFile } from 'node:fs/promises';
import type { Model, ModelCardFields, ModelyardClient, Probe, ProbeRun, ProbeSetInput } from '@modelyard/client';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { formatTable } from '../format-table.js';
import { findModelByName } from '../lookup.js';
import { integerOption } from './integer-option.js';

async function modelNamed(client: ModelyardClient, project: string, name: string): Promise<Model> {
  const model = await findModelByName(client, project, name);
  if (!model) throw new CliError('model_not_found', `No model '${name}' in project ${project}.`);
  return model;
}

/** A probe file: `{probes, schedule?}` or just the list of probes. */
async function readProbeFile(file: string): Promise<ProbeSetInput> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new CliError('file_not_found', `Cannot read ${file}.`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(
      'invalid_json',
      `${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  if (Array.isArray(json)) return { probes: json as Probe[] };
  if (typeof json === 'object' && json !== null && Array.isArray((json as ProbeSetInput).probes)) {
    return json as ProbeSetInput;
  }
  throw new CliError('invalid_json', `${file} must hold a list of probes or {"probes": [...], "schedule"?: {...}}.`);
}

function formatRun(run: ProbeRun): string {
  const table = formatTable(
    ['PROBE', 'RESULT', 'REASON'],
    run.results.map((r) => [r.name, r.passed ? 'pass' : 'FAIL', r.reason]),
  );
  const verdict = run.passed ? 'all passed' : `${run.failed} of ${run.results.length} failed`;
  return `${table}\nProbe run ${run.id} on version ${run.version}: ${verdict}.`;
}

export function registerModelProbesCommands(models: Command, ctx: CliContext): void {
  const probes = models.command('probes').description("a model's ground-truth probes");

  probes
    .command('set <model> <file>')
    .description('replace the probe set from a JSON file ({probes, schedule?} or a list of probes)')
    .option('--every <minutes>', 'probe the endpoints serving the model every N minutes')
    .option('--no-schedule', 'stop probing endpoints on a schedule')
    .action(async (name: string, file: string, opts: { every?: string; schedule: boolean }, cmd: Command) => {
      const client = await ctx.client(cmd);
      const model = await modelNamed(client, ctx.project(cmd), name);
      const input = await readProbeFile(file);
      if (opts.every !== undefined) input.schedule = { everyMinutes: integerOption('--every', opts.every, 1, 10_080) };
      if (!opts.schedule) input.schedule = null;
      const set = await client.setProbes(model.id, input);
      ctx.print(cmd, set, () => {
        const schedule = set.schedule ? `; endpoints probed every ${set.schedule.everyMinutes} min` : '';
        return `Saved ${set.probes.length} probe(s) for ${model.name}${schedule}.`;
      });
    });

  probes
    .command('show <model>')
    .description('the probe set and its newest runs')
    .action(async (name: string, _opts: unknown, cmd: Command) => {
      const client = await ctx.client(cmd);
      const model = await modelNamed(client, ctx.project(cmd), name);
      const set = await client.getProbes(model.id);
      const runs = (await client.listModelProbeRuns(model.id, { limit: 10 })).items;
      ctx.print(cmd, { set, runs }, () =>
        [
          formatTable(
            ['PROBE', 'EXPECT'],
            set.probes.map((p) => [p.name, JSON.stringify(p.expect)]),
          ),
          set.schedule ? `Endpoints probed every ${set.schedule.everyMinutes} min.` : 'No schedule.',
          runs.length === 0
            ? 'No runs yet.'
            : formatTable(
                ['RUN', 'VERSION', 'TARGET', 'TRIGGER', 'RESULT'],
                runs.map((r) => [
                  r.id,
                  r.version,
                  r.endpointId ? `${r.endpointId} (${r.route})` : 'version',
                  r.trigger,
                  r.passed ? 'pass' : `${r.failed} failed`,
                ]),
              ),
        ].join('\n'),
      );
    });

  probes
    .command('run <model> <version>')
    .description('run the probes on a version; exits with 1 when one fails')
    .action(async (name: string, versionText: string, _opts: unknown, cmd: Command) => {
      const client = await ctx.client(cmd);
      const model = await modelNamed(client, ctx.project(cmd), name);
      const run = await client.runProbes(model.id, integerOption('<version>', versionText, 1));
      ctx.print(cmd, run, () => formatRun(run));
      if (!run.passed) throw new CliError('probes_failed', `${run.failed} probe(s) failed on ${name}@${run.version}.`);
    });

  models
    .command('card <model> <version>')
    .description("print a version's model card; the --intended-use … options save its written fields first")
    .option('--format <format>', 'md, html or json', 'md')
    .option('--intended-use <text>', 'what the model is for')
    .option('--limitations <text>', 'where it must not be relied on')
    .option('--ethical <text>', 'ethical considerations')
    .option('--caveats <text>', 'caveats and recommendations')
    .option('--owners <names>', 'comma-separated owners')
    .option('--notes <text>', 'free notes')
    .action(async (name: string, versionText: string, opts: CardOptions, cmd: Command) => {
      const client = await ctx.client(cmd);
      const model = await modelNamed(client, ctx.project(cmd), name);
      const version = integerOption('<version>', versionText, 1);
      const fields: ModelCardFields = {
        ...(opts.intendedUse !== undefined && { intendedUse: opts.intendedUse }),
        ...(opts.limitations !== undefined && { limitations: opts.limitations }),
        ...(opts.ethical !== undefined && { ethicalConsiderations: opts.ethical }),
        ...(opts.caveats !== undefined && { caveats: opts.caveats }),
        ...(opts.owners !== undefined && {
          owners: opts.owners
            .split(',')
            .map((o) => o.trim())
            .filter(Boolean),
        }),
        ...(opts.notes !== undefined && { notes: opts.notes }),
      };
      if (Object.keys(fields).length > 0) await client.updateModelCard(model.id, version, fields);
      const format = ctx.json(cmd) ? 'json' : opts.format;
      if (format === 'json') ctx.out(JSON.stringify(await client.getModelCard(model.id, version), null, 2));
      else if (format === 'md' || format === 'html') ctx.out(await client.getModelCardText(model.id, version, format));
      else throw new CliError('invalid_option', `--format takes md, html or json, not '${format}'.`);
    });
}

interface CardOptions {
  format: string;
  intendedUse?: string;
  limitations?: string;
  ethical?: string;
  caveats?: string;
  owners?: string;
  notes?: string;
}
