// `modelyard serve <model.json | model.onnx | name@alias>`: one model behind the predict API, without the platform.
// With a platform reference and --follow, it polls the alias and swaps to a new version once that version loads.

import { readFile } from 'node:fs/promises';
import { parseArtifact } from '@modelyard/engine';
import type { ModelyardClient } from '@modelyard/client';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { findModelByName } from '../lookup.js';
import { nativeModel, onnxModel, type LoadedModel } from '../../serving/loaded-model.js';
import { OnnxScorer } from '../../serving/onnx-model.js';
import { startStandalone, type ServedModel } from '../../serving/standalone-server.js';
import { integerOption } from './integer-option.js';

interface ServeOptions {
  authToken?: string;
  port: string;
  host: string;
  name: string;
  log?: string;
  follow?: string;
  maxConcurrency: string;
}

/** ONNX files start with a protobuf field; our artifacts are JSON objects. */
async function loadBytes(bytes: Uint8Array): Promise<LoadedModel> {
  const text = bytes[0] === 0x7b ? new TextDecoder().decode(bytes) : undefined;
  if (text !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new CliError('invalid_artifact', 'The file is neither a Modelyard model (JSON) nor ONNX.');
    }
    return nativeModel(parseArtifact(json));
  }
  return onnxModel(await OnnxScorer.load(bytes));
}

async function fromPlatform(client: ModelyardClient, project: string, ref: string): Promise<ServedModel> {
  const match = /^(.+)@([A-Za-z0-9_-]+)$/.exec(ref);
  if (!match) throw new CliError('invalid_model_ref', `'${ref}' is neither a file nor name@alias.`);
  const [, name, selector] = match as unknown as [string, string, string];
  const model = await findModelByName(client, project, name);
  if (!model) throw new CliError('model_not_found', `No model '${name}' in project ${project}.`);
  const number = /^\d+$/.test(selector) ? Number(selector) : model.aliases[selector];
  if (number === undefined) throw new CliError('alias_not_found', `Model ${name} has no alias '${selector}'.`);
  const versions = await client.listModelVersions(model.id, { limit: 500 });
  const version = versions.items.find((v) => v.version === number);
  if (!version) throw new CliError('model_version_not_found', `Model ${name} has no version ${number}.`);
  return { model: await loadBytes(await client.downloadModelFile(version.runId)), ref, version: number };
}

export function registerServeCommand(program: Command, ctx: CliContext): void {
  program
    .command('serve <model>')
    .description('serve one model (a model.json or .onnx file, or name@alias from the platform) without the platform')
    .option('--port <port>', 'port to listen on', '8080')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--name <name>', 'endpoint name in /api/v1/endpoints/<name>/predict', 'default')
    .option('--log <file>', 'append every answered request to this JSON-lines file')
    .option('--auth-token <token>', 'require this bearer token from callers (or MODELYARD_SERVE_TOKEN)')
    .option('--follow <seconds>', 'with name@alias: check the alias this often and swap to its new version')
    .option('--max-concurrency <n>', 'requests in flight before answering 429', '256')
    .action(async (source: string, opts: ServeOptions, cmd: Command) => {
      const port = integerOption('--port', opts.port, 0, 65535);
      const maxConcurrency = integerOption('--max-concurrency', opts.maxConcurrency, 1, 100_000);
      const follow = opts.follow === undefined ? undefined : integerOption('--follow', opts.follow, 1, 86_400);
      let bytes: Uint8Array | undefined;
      try {
        bytes = await readFile(source);
      } catch {
        bytes = undefined;
      }
      const platform = bytes === undefined;
      const client = platform ? await ctx.client(cmd) : undefined;
      const project = ctx.project(cmd);
      const served: ServedModel =
        bytes !== undefined
          ? { model: await loadBytes(bytes), ref: source.split('/').pop() ?? source, version: 1 }
          : await fromPlatform(client!, project, source);
      const token = opts.authToken ?? ctx.io.env.MODELYARD_SERVE_TOKEN;
      const server = await startStandalone({
        served,
        name: opts.name,
        host: opts.host,
        port,
        maxConcurrency,
        ...(token && { token }),
        ...(opts.log && { logFile: opts.log }),
      });
      ctx.err(
        `Serving ${served.ref} (version ${served.version}) at ${server.url}/api/v1/endpoints/${opts.name}/predict`,
      );
      let timer: NodeJS.Timeout | undefined;
      if (platform && follow !== undefined) {
        timer = setInterval(() => {
          fromPlatform(client!, project, source).then(
            (next) => {
              if (next.version === server.current().version) return;
              server.swap(next);
              ctx.err(`Swapped to ${source} version ${next.version}.`);
            },
            (error: unknown) => ctx.err(`Still serving version ${server.current().version}: ${String(error)}`),
          );
        }, follow * 1000);
      }
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      if (timer) clearInterval(timer);
      await server.close();
    });
}
