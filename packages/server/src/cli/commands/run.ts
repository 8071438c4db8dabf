// `modelyard run -- <command...>`: runs a program as a command job of a new run, shows its stdout and stderr as they
// come (by polling the run's logs), and exits with the job's exit code.

import { collectAll, type Experiment, type LogStream, type ModelyardClient, type Run } from '@modelyard/client';
import { Option, type Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';

interface RunOptions {
  experiment?: string;
  name?: string;
  cwd?: string;
  env?: Record<string, string>;
  timeout?: string;
  interval: string;
}

const DEFAULT_EXPERIMENT = 'Default';

export function registerRunCommand(program: Command, ctx: CliContext): void {
  program
    .command('run')
    .description('run a program as a job of a new run, show its output, and exit with its exit code')
    .argument('<command...>', 'the program and its arguments, after -- (run on the server, without a shell)')
    .option('--experiment <name-or-id>', 'experiment of the run (default: the project\'s "Default")')
    .option('--name <name>', 'run name')
    .option('--cwd <dir>', 'working folder on the server, inside its data roots (default: a fresh one)')
    .option('--env <key=value...>', 'extra environment variables for the job', collectEnv)
    .option('--timeout <seconds>', 'kill the job after this long')
    .addOption(new Option('--interval <ms>', 'log polling interval').default('250').hideHelp())
    .action(async (command: string[], opts: RunOptions, cmd: Command) => {
      const client = await ctx.client(cmd);
      const project = ctx.project(cmd);
      const experiment = await findExperiment(client, project, opts.experiment);
      const timeoutSeconds = opts.timeout === undefined ? undefined : wholeSeconds(opts.timeout);
      const created = await client.startCommandRun(experiment.id, {
        command,
        ...(opts.name !== undefined && { name: opts.name }),
        ...(opts.cwd !== undefined && { cwd: opts.cwd }),
        ...(opts.env !== undefined && { env: opts.env }),
        ...(timeoutSeconds !== undefined && { timeoutSeconds }),
      });
      await followLogs(ctx, client, created.id, Number(opts.interval) || 250);
      const run = await client.getRun(created.id);
      if (ctx.json(cmd)) ctx.out(JSON.stringify(run, null, 2));
      ctx.exitCode = exitCodeOf(run);
      if (ctx.exitCode !== 0) ctx.err(`error: ${reasonOf(run)}`);
    });
}

/** Copies both logs to the terminal as they grow, until the job has ended and everything is shown. */
async function followLogs(ctx: CliContext, client: ModelyardClient, runId: string, intervalMs: number): Promise<void> {
  const offsets: Record<LogStream, number> = { stdout: 0, stderr: 0 };
  for (;;) {
    let finished = true;
    for (const stream of ['stdout', 'stderr'] as const) {
      const part = await client.runLogs(runId, { stream, offset: offsets[stream] });
      if (part.text !== '') ctx.io[stream].write(part.text);
      offsets[stream] = part.nextOffset;
      if (part.running || part.nextOffset < part.size) finished = false;
    }
    if (finished) return;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** The job's own exit code when it exited with one; 1 for any other failure or a kill. */
function exitCodeOf(run: Run): number {
  if (run.status === 'succeeded') return 0;
  const code = Number(run.tags['modelyard.exit_code']);
  return Number.isInteger(code) && code > 0 && code < 256 ? code : 1;
}

function reasonOf(run: Run): string {
  const error = run.error ?? { code: run.status, message: `run ${run.id} ${run.status}` };
  return `${error.message.split('\n')[0]!} (${error.code})`;
}

async function findExperiment(
  client: ModelyardClient,
  project: string,
  wanted: string | undefined,
): Promise<Experiment> {
  const all = await collectAll((p) => client.listExperiments(project, { ...p, limit: 500 }));
  const name = wanted ?? DEFAULT_EXPERIMENT;
  const found = all.find((e) => e.id === name) ?? all.find((e) => e.name === name);
  if (found) return found;
  if (wanted !== undefined) {
    throw new CliError('experiment_not_found', `No experiment '${wanted}' in project '${project}'.`);
  }
  // A project whose Default experiment nobody has used yet.
  return client.createExperiment(project, { name: DEFAULT_EXPERIMENT });
}

function collectEnv(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new CliError('invalid_option', `--env takes key=value, not '${value}'.`);
  return { ...previous, [value.slice(0, eq)]: value.slice(eq + 1) };
}

function wholeSeconds(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) {
    throw new CliError('invalid_timeout', `--timeout takes a whole positive number of seconds, not '${text}'.`);
  }
  return value;
}
