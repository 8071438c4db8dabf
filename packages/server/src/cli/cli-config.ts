// The saved login (`modelyard login`): `{url, token}` in $MODELYARD_CONFIG_DIR/cli.json or ~/.modelyard/cli.json.

import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError } from './cli-error.js';

export interface SavedLogin {
  url: string;
  token: string;
}

export type CliEnv = Record<string, string | undefined>;

export function configPath(env: CliEnv): string {
  const dir = env.MODELYARD_CONFIG_DIR || join(env.HOME || homedir(), '.modelyard');
  return join(dir, 'cli.json');
}

/** The saved login, or undefined when there is none. */
export async function readLogin(env: CliEnv): Promise<SavedLogin | undefined> {
  const file = configPath(env);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new CliError('invalid_config', `${file} is not valid JSON; run 'modelyard login' again.`);
  }
  const { url, token } = (value ?? {}) as Partial<Record<keyof SavedLogin, unknown>>;
  if (typeof url !== 'string' || typeof token !== 'string') {
    throw new CliError('invalid_config', `${file} lacks url or token; run 'modelyard login' again.`);
  }
  return { url, token };
}

/** Saves the login readable by its owner only: the token is a secret. */
export async function saveLogin(env: CliEnv, login: SavedLogin): Promise<string> {
  const file = configPath(env);
  await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
  await writeFile(file, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600 });
  // writeFile's mode applies only when it creates the file; an older file keeps its mode without this.
  await chmod(file, 0o600);
  return file;
}
