// What every command needs: the streams it writes to, its resolved global options, an API client, and output helpers.

import { ModelyardClient } from '@modelyard/client';
import type { Command } from 'commander';
import { readLogin, type CliEnv } from './cli-config.js';

export const DEFAULT_URL = 'http://127.0.0.1:7420';
export const DEFAULT_PROJECT = 'demo';

/** The little of a Node stream the CLI writes to; a TTY stream gets a progress bar. */
export interface OutputStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: CliEnv;
  /** Read by `predict --data -`. */
  stdin?: AsyncIterable<string | Uint8Array>;
  /** Resolves relative file arguments; process.cwd() by default. */
  cwd?: string;
  /** For tests and embedding; the global fetch by default. */
  fetch?: typeof fetch;
}

/** The global options every command accepts, as given on the command line. */
export interface GlobalFlags {
  project?: string;
  url?: string;
  token?: string;
  json?: boolean;
}

export interface Connection {
  url: string;
  token: string | undefined;
}

export class CliContext {
  /** Set by a command that completes but must still fail the process (a failed run). */
  exitCode = 0;

  constructor(readonly io: CliIo) {}

  flags(cmd: Command): GlobalFlags {
    return cmd.optsWithGlobals<GlobalFlags>();
  }

  json(cmd: Command): boolean {
    return this.flags(cmd).json === true;
  }

  project(cmd: Command): string {
    return this.flags(cmd).project || this.io.env.MODELYARD_PROJECT || DEFAULT_PROJECT;
  }

  /** --url/--token, else MODELYARD_URL/MODELYARD_TOKEN, else the saved login; the saved token only for its own URL. */
  async connection(cmd: Command): Promise<Connection> {
    const flags = this.flags(cmd);
    const { env } = this.io;
    const saved = await readLogin(env);
    const url = trimUrl(flags.url || env.MODELYARD_URL || saved?.url || DEFAULT_URL);
    const savedToken = saved && trimUrl(saved.url) === url ? saved.token : undefined;
    return { url, token: flags.token || env.MODELYARD_TOKEN || savedToken };
  }

  async client(cmd: Command): Promise<ModelyardClient> {
    const { url, token } = await this.connection(cmd);
    return this.clientFor(url, token);
  }

  clientFor(url: string, token: string | undefined): ModelyardClient {
    return new ModelyardClient({
      baseUrl: url,
      ...(token ? { token } : {}),
      ...(this.io.fetch ? { fetch: this.io.fetch } : {}),
    });
  }

  /** Prints the API object(s) as one JSON document with --json, else the human text. */
  print(cmd: Command, value: unknown, human: () => string): void {
    if (this.json(cmd)) this.out(JSON.stringify(value, null, 2));
    else this.out(human());
  }

  out(text: string): void {
    this.io.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  err(text: string): void {
    this.io.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  }
}

export function trimUrl(url: string): string {
  return url.replace(/\/+$/, '');
}
