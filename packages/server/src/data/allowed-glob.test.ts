import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardError } from '../errors.js';
import { resolveAllowedGlob, segmentMatcher } from './allowed-glob.js';

describe('segmentMatcher', () => {
  it.each([
    ['*.csv', 'a.csv', true],
    ['*.csv', 'a.csv.bak', false],
    ['*.csv', '.hidden.csv', false],
    ['.*.csv', '.hidden.csv', true],
    ['part-?.parquet', 'part-1.parquet', true],
    ['part-?.parquet', 'part-10.parquet', false],
    ['year=20[12][0-9]', 'year=2024', true],
    ['year=20[12][0-9]', 'year=2031', false],
    ['[!a]*', 'abc', false],
    ['[!a]*', 'bcd', true],
    ['a+b(1).csv', 'a+b(1).csv', true],
    ['a.csv', 'abcsv', false],
  ])('%s matches %s: %s', (pattern, name, expected) => {
    expect(segmentMatcher(pattern)(name)).toBe(expected);
  });
});

describe('resolveAllowedGlob', () => {
  let root: string;
  let outside: string;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'modelyard-glob-'));
    outside = await mkdtemp(join(tmpdir(), 'modelyard-glob-outside-'));
    for (const path of [
      'sales/year=2024/month=02/part-0.parquet',
      'sales/year=2024/month=01/part-0.parquet',
      'sales/year=2023/month=12/part-0.parquet',
      'sales/year=2023/month=12/.part-0.parquet.crc',
      'sales/_SUCCESS',
      'logs/a.csv',
      'logs/deep/er/b.csv',
      'logs/.git/c.csv',
    ]) {
      await mkdir(join(root, path, '..'), { recursive: true });
      await writeFile(join(root, path), path);
    }
    await writeFile(join(outside, 'secret.csv'), 'x');
    await symlink(join(outside, 'secret.csv'), join(root, 'logs', 'leak.csv'));
    await symlink(outside, join(root, 'logs', 'linked-dir'));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  const relatives = async (pattern: string) => (await resolveAllowedGlob(pattern, [root])).map((m) => m.relative);

  it('matches partition folders and returns files sorted by their path below the fixed folder', async () => {
    expect(await relatives('sales/year=*/month=*/*.parquet')).toEqual([
      'year=2023/month=12/part-0.parquet',
      'year=2024/month=01/part-0.parquet',
      'year=2024/month=02/part-0.parquet',
    ]);
    const [first] = await resolveAllowedGlob(join(root, 'sales/year=2024/*/*.parquet'), [root]);
    expect(first?.path).toBe(join(root, 'sales/year=2024/month=01/part-0.parquet'));
  });

  it('matches any depth with **, skipping dot-folders, symlinked folders and links that leave the roots', async () => {
    expect(await relatives('logs/**/*.csv')).toEqual(['a.csv', 'deep/er/b.csv']);
  });

  it('refuses patterns outside the roots and with .. segments, and says when nothing matches', async () => {
    const code = async (pattern: string) =>
      resolveAllowedGlob(pattern, [root]).then(
        () => 'resolved',
        (error: unknown) => (error instanceof ModelyardError ? error.code : String(error)),
      );
    expect(await code(join(outside, '*.csv'))).toBe('path_not_allowed');
    expect(await code('logs/../../*.csv')).toBe('path_not_allowed');
    expect(await code('sales/year=1999/*.parquet')).toBe('file_not_found');
    expect(await code('nothere/*.csv')).toBe('file_not_found');
  });

  it('stops at the file and folder-entry limits', async () => {
    const tooMany = (limits: { maxFiles: number; maxEntries: number }) =>
      resolveAllowedGlob('sales/**/*.parquet', [root], limits).catch((error: ModelyardError) => error.code);
    expect(await tooMany({ maxFiles: 2, maxEntries: 1000 })).toBe('too_many_files');
    expect(await tooMany({ maxFiles: 100, maxEntries: 3 })).toBe('too_many_files');
    expect(await tooMany({ maxFiles: 3, maxEntries: 1000 })).toHaveLength(3);
  });
});
