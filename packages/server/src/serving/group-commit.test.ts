import { describe, expect, it } from 'vitest';
import { ModelyardError } from '../errors.js';
import { GroupCommit } from './group-commit.js';

describe('GroupCommit', () => {
  it('commits what arrives during a commit in the next batch, and resolves each caller after its batch', async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const log = new GroupCommit<number>(async (entries) => {
      batches.push(entries);
      if (batches.length === 1) await new Promise<void>((r) => (release = r));
    });
    const first = [log.append(1), log.append(2)];
    await new Promise((r) => setImmediate(r));
    const second = [log.append(3), log.append(4), log.append(5)];
    let firstDone = false;
    void Promise.all(first).then(() => (firstDone = true));
    await new Promise((r) => setTimeout(r, 10));
    expect(firstDone).toBe(false);
    expect(log.backlog).toBe(3);
    release();
    await Promise.all([...first, ...second]);
    expect(batches).toEqual([
      [1, 2],
      [3, 4, 5],
    ]);
    expect(log.backlog).toBe(0);
  });

  it('rejects every caller of a failed batch and goes on with the next', async () => {
    let calls = 0;
    const log = new GroupCommit<string>(async () => {
      calls++;
      if (calls === 1) throw new Error('disk full');
    });
    const failed = Promise.allSettled([log.append('a'), log.append('b')]);
    expect((await failed).map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await expect(log.append('c')).resolves.toBeUndefined();
  });

  it('refuses entries past its backlog with 503 log_backlog instead of growing', async () => {
    let release: () => void = () => undefined;
    const log = new GroupCommit<number>(() => new Promise<void>((r) => (release = r)), 2);
    const waiting = [log.append(1)];
    await new Promise((r) => setImmediate(r));
    waiting.push(log.append(2), log.append(3));
    const error = await log.append(4).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ModelyardError);
    expect((error as ModelyardError).status).toBe(503);
    expect((error as ModelyardError).code).toBe('log_backlog');
    expect(() => log.checkRoom()).toThrow(/behind/);
    release();
    await waiting[0];
    release();
    await log.flush();
    expect(log.backlog).toBe(0);
  });
});
