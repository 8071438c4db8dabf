import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CliContext, type CliIo } from '../cli-context.js';
import { PASSWORD_ARGV_WARNING, readPassword, type AddConnectionOptions } from './connections.js';

const base: AddConnectionOptions = { kind: 'postgres', host: 'h', database: 'd', user: 'u' };

function context(over: Partial<CliIo> = {}): { ctx: CliContext; stderr: () => string } {
  let stderr = '';
  const ctx = new CliContext({
    stdout: { write: () => true },
    stderr: { write: (s: string) => (stderr += s) },
    env: { DB_PASSWORD: 's3cret', EMPTY: '' },
    ...over,
  });
  return { ctx, stderr: () => stderr };
}

describe('readPassword', () => {
  it('reads the variable --password-env names, an empty one included, without a warning', async () => {
    const { ctx, stderr } = context();
    expect(await readPassword(ctx, { ...base, passwordEnv: 'DB_PASSWORD' })).toBe('s3cret');
    expect(await readPassword(ctx, { ...base, passwordEnv: 'EMPTY' })).toBe('');
    expect(stderr()).toBe('');
  });

  it('refuses an unset variable', async () => {
    const { ctx } = context();
    await expect(readPassword(ctx, { ...base, passwordEnv: 'NOPE' })).rejects.toMatchObject({
      code: 'password_required',
    });
  });

  it('reads stdin, dropping one trailing newline only', async () => {
    const { ctx } = context({ stdin: Readable.from(['pa ss', 'word \n']) });
    expect(await readPassword(ctx, { ...base, passwordStdin: true })).toBe('pa ssword ');
    const none = context().ctx;
    await expect(readPassword(none, { ...base, passwordStdin: true })).rejects.toMatchObject({ code: 'no_stdin' });
  });

  it('takes --password but warns on stderr without echoing it', async () => {
    const { ctx, stderr } = context();
    expect(await readPassword(ctx, { ...base, password: 'hunter2' })).toBe('hunter2');
    expect(stderr()).toBe(`${PASSWORD_ARGV_WARNING}\n`);
    expect(stderr()).not.toContain('hunter2');
  });

  it('wants exactly one source', async () => {
    const { ctx } = context();
    await expect(readPassword(ctx, base)).rejects.toMatchObject({ code: 'password_required' });
    await expect(readPassword(ctx, { ...base, passwordEnv: 'DB_PASSWORD', password: 'x' })).rejects.toMatchObject({
      code: 'password_required',
    });
  });
});
