import type { DuckDBConnection } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { openDuckDb } from './duckdb.js';

describe('openDuckDb', () => {
  it('runs work on a fresh connection and closes it afterwards, also when the work throws', async () => {
    const db = await openDuckDb();
    try {
      let kept: DuckDBConnection | undefined;
      const value = await db.withConnection(async (c) => {
        kept = c;
        const reader = await c.runAndReadAll('SELECT 40 + 2 AS n');
        return reader.getRowsJS()[0]?.[0];
      });
      expect(value).toBe(42);
      await expect(kept?.run('SELECT 1')).rejects.toThrow();

      let failed: DuckDBConnection | undefined;
      await expect(
        db.withConnection(async (c) => {
          failed = c;
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      await expect(failed?.run('SELECT 1')).rejects.toThrow();
    } finally {
      await db.close();
    }
  });

  it('does not install or load extensions on demand, and keeps insertion order', async () => {
    const db = await openDuckDb({ threads: 2, memoryLimit: '1GB', tempDirectory: '/tmp/modelyard-duckdb-spill' });
    try {
      const settings = await db.withConnection(async (c) => {
        const reader = await c.runAndReadAll(
          `SELECT current_setting('autoinstall_known_extensions'), current_setting('autoload_known_extensions'),
                  current_setting('preserve_insertion_order'), current_setting('threads'),
                  current_setting('temp_directory')`,
        );
        return reader.getRowsJS()[0];
      });
      expect(settings).toEqual([false, false, true, 2n, '/tmp/modelyard-duckdb-spill']);
      await expect(
        db.withConnection((c) => c.run("SELECT * FROM read_csv('https://example.invalid/data.csv')")),
      ).rejects.toThrow(/httpfs/i);
    } finally {
      await db.close();
    }
  });

  it('waits for work in flight on close and refuses work afterwards', async () => {
    const db = await openDuckDb();
    let finished = false;
    const work = db.withConnection(async (c) => {
      await c.run('SELECT count(*) FROM range(2000000)');
      await new Promise((resolve) => setTimeout(resolve, 50));
      finished = true;
      return 'done';
    });
    await db.close();
    expect(finished).toBe(true);
    await expect(work).resolves.toBe('done');
    await expect(db.withConnection(async () => 1)).rejects.toThrow(/closed/);
    await db.close();
  });
});
