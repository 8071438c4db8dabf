import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configPath, readLogin, saveLogin } from './cli-config.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modelyard-config-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('cli config', () => {
  it('lives in $MODELYARD_CONFIG_DIR, else ~/.modelyard', () => {
    expect(configPath({ MODELYARD_CONFIG_DIR: '/x/y', HOME: '/home/u' })).toBe('/x/y/cli.json');
    expect(configPath({ HOME: '/home/u' })).toBe('/home/u/.modelyard/cli.json');
  });

  it('answers undefined before any login', async () => {
    expect(await readLogin({ MODELYARD_CONFIG_DIR: join(dir, 'none') })).toBeUndefined();
  });

  it('saves a login readable by its owner only and reads it back', async () => {
    const env = { MODELYARD_CONFIG_DIR: join(dir, 'nested', 'conf') };
    const file = await saveLogin(env, { url: 'http://h:1', token: 'secret' });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readLogin(env)).toEqual({ url: 'http://h:1', token: 'secret' });
  });

  it('tightens the mode of an existing file', async () => {
    const env = { MODELYARD_CONFIG_DIR: dir };
    await writeFile(configPath(env), '{}', { mode: 0o644 });
    await saveLogin(env, { url: 'http://h:2', token: 't' });
    expect((await stat(configPath(env))).mode & 0o777).toBe(0o600);
  });

  it('reports a damaged file with a code', async () => {
    const env = { MODELYARD_CONFIG_DIR: join(dir, 'bad') };
    await saveLogin(env, { url: 'u', token: 't' });
    await writeFile(configPath(env), 'not json');
    await expect(readLogin(env)).rejects.toMatchObject({ code: 'invalid_config' });
    await writeFile(configPath(env), '{"url": 1}');
    await expect(readLogin(env)).rejects.toMatchObject({ code: 'invalid_config' });
  });
});
