import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelyardError } from '../errors.js';
import { KEY_FILE, loadSecretKey, secretBox } from './secret-box.js';

const dirs: string[] = [];
async function freshDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'modelyard-secret-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

function unreadable(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ModelyardError);
    expect((error as ModelyardError).code).toBe('secret_unreadable');
    expect((error as ModelyardError).message).not.toContain('hunter2');
    return;
  }
  throw new Error('expected the secret to be unreadable');
}

describe('secretBox', () => {
  const box = secretBox(randomBytes(32));

  it('round-trips text (unicode too) and never stores it in the clear', () => {
    for (const secret of ['hunter2', '', 'pässwörd 🔑 with:colons']) {
      const sealed = box.seal(secret, 'conn_1');
      expect(box.open(sealed, 'conn_1')).toBe(secret);
      if (secret !== '') expect(sealed).not.toContain(secret);
    }
    // A fresh IV each time: the same secret seals differently.
    expect(box.seal('hunter2', 'conn_1')).not.toBe(box.seal('hunter2', 'conn_1'));
  });

  it('refuses another context, another key, and any altered byte', () => {
    const sealed = box.seal('hunter2', 'conn_1');
    unreadable(() => box.open(sealed, 'conn_2'));
    unreadable(() => secretBox(randomBytes(32)).open(sealed, 'conn_1'));
    const parts = sealed.split(':');
    const body = Buffer.from(parts[2]!, 'base64');
    body[0] = body[0]! ^ 1;
    unreadable(() => box.open([parts[0], parts[1], body.toString('base64'), parts[3]].join(':'), 'conn_1'));
    unreadable(() => box.open('not a sealed text', 'conn_1'));
  });

  it('needs a 32-byte key', () => {
    expect(() => secretBox(randomBytes(16))).toThrow(/32 bytes/);
  });
});

describe('loadSecretKey', () => {
  it('creates a 0600 key file once and reads the same key back', async () => {
    const dir = await freshDir();
    const first = await loadSecretKey(dir, undefined);
    expect(first.length).toBe(32);
    expect((await stat(join(dir, KEY_FILE))).mode & 0o777).toBe(0o600);
    const again = await loadSecretKey(dir, undefined);
    expect(again.equals(first)).toBe(true);
    const [a, b] = await Promise.all([loadSecretKey(await freshDir(), ''), loadSecretKey(dir, '')]);
    expect(a.equals(b)).toBe(false);
    expect(b.equals(first)).toBe(true);
  });

  it('takes the key from the environment, and refuses a key of the wrong size', async () => {
    const dir = await freshDir();
    const key = randomBytes(32);
    expect((await loadSecretKey(dir, key.toString('base64'))).equals(key)).toBe(true);
    await expect(loadSecretKey(dir, randomBytes(16).toString('base64'))).rejects.toThrow(/32 bytes/);
    await writeFile(join(dir, KEY_FILE), 'c2hvcnQ=\n');
    await expect(loadSecretKey(dir, undefined)).rejects.toThrow(/32-byte/);
    expect(await readFile(join(dir, KEY_FILE), 'utf8')).toBe('c2hvcnQ=\n');
  });
});
