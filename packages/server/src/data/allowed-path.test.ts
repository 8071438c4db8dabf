import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAllowedPath } from './allowed-path.js';

describe('resolveAllowedPath', () => {
  let base: string;
  let root: string;
  let outside: string;

  beforeAll(async () => {
    base = await realpath(await mkdtemp(join(tmpdir(), 'modelyard-paths-')));
    root = join(base, 'root');
    outside = join(base, 'outside');
    await mkdir(join(root, 'sub'), { recursive: true });
    await mkdir(outside);
    await writeFile(join(root, 'good.csv'), 'a\n1\n');
    await writeFile(join(root, 'sub', 'nested.csv'), 'a\n1\n');
    await writeFile(join(outside, 'secret.csv'), 'a\n1\n');
    await symlink(join(outside, 'secret.csv'), join(root, 'link-out.csv'));
    await symlink(outside, join(root, 'dir-out'));
    await symlink(join(root, 'good.csv'), join(root, 'link-in.csv'));
    await symlink(root, join(base, 'root-link'));
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('returns the real path of a file inside a root, absolute or relative', async () => {
    await expect(resolveAllowedPath(join(root, 'good.csv'), [root])).resolves.toBe(join(root, 'good.csv'));
    await expect(resolveAllowedPath('sub/nested.csv', [root])).resolves.toBe(join(root, 'sub', 'nested.csv'));
    await expect(resolveAllowedPath(join(root, 'sub', '..', 'good.csv'), [root])).resolves.toBe(join(root, 'good.csv'));
  });

  it('follows a symlink that stays inside the root to its target', async () => {
    await expect(resolveAllowedPath(join(root, 'link-in.csv'), [root])).resolves.toBe(join(root, 'good.csv'));
  });

  it('refuses a ../ escape, whether or not the outside file exists', async () => {
    for (const input of [
      '../outside/secret.csv',
      '../outside/missing.csv',
      join(root, '..', 'outside', 'secret.csv'),
    ]) {
      await expect(resolveAllowedPath(input, [root])).rejects.toMatchObject({
        status: 400,
        code: 'path_not_allowed',
        details: { path: input },
      });
    }
  });

  it('refuses an absolute path outside every root', async () => {
    await expect(resolveAllowedPath(join(outside, 'secret.csv'), [root])).rejects.toMatchObject({
      status: 400,
      code: 'path_not_allowed',
    });
    await expect(resolveAllowedPath('/etc/passwd', [root])).rejects.toMatchObject({ code: 'path_not_allowed' });
  });

  it('refuses a symlink inside the root that points outside it, also through a linked folder', async () => {
    await expect(resolveAllowedPath(join(root, 'link-out.csv'), [root])).rejects.toMatchObject({
      status: 400,
      code: 'path_not_allowed',
    });
    await expect(resolveAllowedPath('dir-out/secret.csv', [root])).rejects.toMatchObject({
      code: 'path_not_allowed',
    });
    // A missing file behind the outward link must not read as "not found": that would probe the outside tree.
    await expect(resolveAllowedPath('dir-out/missing.csv', [root])).rejects.toMatchObject({
      code: 'path_not_allowed',
    });
  });

  it('accepts files through a symlinked root, by either spelling', async () => {
    const linkedRoot = join(base, 'root-link');
    await expect(resolveAllowedPath(join(linkedRoot, 'good.csv'), [linkedRoot])).resolves.toBe(join(root, 'good.csv'));
    await expect(resolveAllowedPath(join(root, 'good.csv'), [linkedRoot])).resolves.toBe(join(root, 'good.csv'));
    await expect(resolveAllowedPath('good.csv', [linkedRoot])).resolves.toBe(join(root, 'good.csv'));
  });

  it('answers 404 file_not_found for a missing file inside a root', async () => {
    await expect(resolveAllowedPath('nope.csv', [root])).rejects.toMatchObject({
      status: 404,
      code: 'file_not_found',
      details: { path: 'nope.csv' },
    });
    await expect(resolveAllowedPath(join(root, 'no-dir', 'nope.csv'), [root])).rejects.toMatchObject({
      code: 'file_not_found',
    });
  });

  it('answers 400 not_a_file for a directory', async () => {
    await expect(resolveAllowedPath('sub', [root])).rejects.toMatchObject({ status: 400, code: 'not_a_file' });
    await expect(resolveAllowedPath(root, [root])).rejects.toMatchObject({ code: 'not_a_file' });
  });

  it('looks through several roots and refuses when none is configured', async () => {
    await expect(resolveAllowedPath('secret.csv', [root, outside])).resolves.toBe(join(outside, 'secret.csv'));
    await expect(resolveAllowedPath(join(root, 'good.csv'), [])).rejects.toMatchObject({ code: 'path_not_allowed' });
    await expect(resolveAllowedPath('', [root])).rejects.toMatchObject({ code: 'path_not_allowed' });
    await expect(resolveAllowedPath('good\0.csv', [root])).rejects.toMatchObject({ code: 'path_not_allowed' });
  });
});
