// Registering and profiling flights-3m.parquet (vega-datasets, 3M rows) against DuckDB alone running the same
// profile queries on the same file, in the same run. Ours: the whole registration (a pinned Parquet snapshot, its
// profile, its hash, stored in the artifact store), as `POST /datasets` does it. Peer: a bare DuckDB instance that
// runs exactly the SQL our profiler ran, captured as it ran, against the original file. Our peak RSS is measured in a
// child process that does only the registration.

import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { FsArtifactStore } from '../../packages/server/src/artifacts/fs-artifact-store.js';
import { ingestFile, openDuckDb, profileSnapshot, type DuckDb } from '../../packages/server/src/data/index.js';

const SOURCE = fileURLToPath(new URL('../../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url));
const RUNS = 3;

/** One registration, as the server does it; prints its time and this process's peak RSS as JSON. */
async function registerOnce(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'modelyard-bench-catalog-'));
  const duck = await openDuckDb();
  try {
    const started = performance.now();
    const result = await ingestFile(duck, new FsArtifactStore(join(dir, 'artifacts')), {
      path: SOURCE,
      originalName: 'flights-3m.parquet',
    });
    const seconds = (performance.now() - started) / 1000;
    const peakRss = process.resourceUsage().maxRSS * 1024;
    console.log(JSON.stringify({ seconds, peakRss, rows: result.rows, columns: result.profile.columns.length }));
  } finally {
    await duck.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The SQL our profiler sends, recorded through a DuckDb whose connections log every statement. */
async function profileQueries(): Promise<string[]> {
  const statements: string[] = [];
  const duck = await openDuckDb();
  const recording: DuckDb = {
    withConnection: (fn) =>
      duck.withConnection((connection) => {
        const proxy = new Proxy(connection, {
          get(target, key, receiver) {
            const value = Reflect.get(target, key, receiver) as unknown;
            if (typeof value !== 'function') return value;
            return (...args: unknown[]) => {
              if (typeof args[0] === 'string') statements.push(args[0]);
              return (value as (...a: unknown[]) => unknown).apply(target, args);
            };
          },
        });
        return fn(proxy as DuckDBConnection);
      }),
    close: () => duck.close(),
  };
  await profileSnapshot(recording, SOURCE);
  await duck.close();
  return statements;
}

async function duckdbAlone(statements: string[]): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const started = performance.now();
  for (const sql of statements) await connection.runAndReadAll(sql);
  const seconds = (performance.now() - started) / 1000;
  connection.closeSync();
  instance.closeSync();
  return seconds;
}

if (process.argv.includes('--register-once')) {
  await registerOnce();
} else {
  const statements = await profileQueries();
  const ours: { seconds: number; peakRss: number; rows: number; columns: number }[] = [];
  const peer: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const out = execFileSync(process.execPath, [
      ...process.execArgv,
      fileURLToPath(import.meta.url),
      '--register-once',
    ]);
    ours.push(JSON.parse(out.toString().trim().split('\n').pop()!) as (typeof ours)[number]);
    peer.push(await duckdbAlone(statements));
  }
  const best = Math.min(...ours.map((o) => o.seconds));
  const bestPeer = Math.min(...peer);
  const peak = Math.max(...ours.map((o) => o.peakRss));
  console.log(
    `Register + profile flights-3m.parquet: ${ours[0]!.rows} rows x ${ours[0]!.columns} columns, best of ${RUNS}`,
  );
  console.log(
    `  modelyard (snapshot + profile + hash + store)  ${best.toFixed(2)} s   runs: ${ours.map((o) => o.seconds.toFixed(2)).join(', ')}`,
  );
  console.log(
    `  duckdb alone (the ${statements.length} profile queries)      ${bestPeer.toFixed(2)} s   runs: ${peer.map((s) => s.toFixed(2)).join(', ')}`,
  );
  console.log(`  ratio ours / duckdb: ${(best / bestPeer).toFixed(2)}x (target <= 3x)`);
  console.log(`  peak RSS of a registration: ${(peak / 2 ** 20).toFixed(0)} MiB (target < 1536 MiB)`);
}
