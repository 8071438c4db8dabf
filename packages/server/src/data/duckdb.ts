// One in-process DuckDB instance for the server, lent out one fresh connection per unit of work.

import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export interface DuckDb {
  /** Runs `fn` on a fresh connection and closes the connection afterwards, whether `fn` succeeds or throws. */
  withConnection<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T>;
  /** Waits for the work in flight, then closes the instance; later calls to `withConnection` reject. */
  close(): Promise<void>;
}

export interface DuckDbOptions {
  /** Worker threads DuckDB may use; DuckDB's default (all cores) when omitted. */
  threads?: number;
  /** E.g. '2GB'; DuckDB's default (80% of RAM) when omitted. */
  memoryLimit?: string;
  /** Where DuckDB spills data that does not fit in memory; DuckDB's default (`.tmp` under the cwd) when omitted. */
  tempDirectory?: string;
}

export async function openDuckDb(options: DuckDbOptions = {}): Promise<DuckDb> {
  const config: Record<string, string> = {
    // Extensions such as httpfs would need a download that cannot succeed here: fail at once instead of hanging.
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
    // Snapshots must be byte-identical for identical input (the hash is the version): keep rows in file order.
    preserve_insertion_order: 'true',
  };
  if (options.threads !== undefined) config['threads'] = String(options.threads);
  if (options.memoryLimit !== undefined) config['memory_limit'] = options.memoryLimit;
  if (options.tempDirectory !== undefined) config['temp_directory'] = options.tempDirectory;
  const instance = await DuckDBInstance.create(':memory:', config);
  const inFlight = new Set<Promise<unknown>>();
  let closed = false;

  const run = async <T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> => {
    const connection = await instance.connect();
    try {
      return await fn(connection);
    } finally {
      connection.closeSync();
    }
  };

  return {
    withConnection<T>(fn: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
      if (closed) return Promise.reject(new Error('DuckDB is closed'));
      const work = run(fn);
      inFlight.add(work);
      const forget = (): void => {
        inFlight.delete(work);
      };
      work.then(forget, forget);
      return work;
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await Promise.allSettled([...inFlight]);
      instance.closeSync();
    },
  };
}
