// Batch scoring flights-3m.parquet (vega-datasets, 3M rows) through a batch job on a real server, against DuckDB
// copying the same file to Parquet, in the same run. Ours: from `POST /batch-jobs/{id}/run` to the run reporting its
// output version registered (partitions scored in threads, joined to the input columns, snapshot, profile, hash,
// stored). Models: a GLM and a 100-tree GBDT (regression on `delay`), trained on a 100,000-row sample.

import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { ModelyardClient, type BatchRun } from '@modelyard/client';
import { startServer } from '../../packages/server/src/start.js';

const SOURCE = fileURLToPath(new URL('../../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url));
const TOKEN = 'myd_bench-admin-token-0123456789abcdefghijklmnop';
const RUNS = Number(process.argv[2] ?? 3);
const PARTITIONS = Number(process.argv[3] ?? 2);
/** `--xgboost`: also time XGBoost predicting the same rows in memory (Debian's python3-xgboost, python3-pandas). */
const XGBOOST = process.argv.includes('--xgboost');

/** XGBoost's in-memory predict of all rows (no Parquet read or write): a floor for any 100-tree GBDT scorer here. */
async function xgboostPeer(dir: string): Promise<{ train_s: number; predict_s: number[]; rows: number }> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const sample = join(dir, 'xgb-sample.csv');
  const full = join(dir, 'xgb-full.csv');
  await connection.run(
    `COPY (SELECT * FROM read_parquet('${SOURCE}') USING SAMPLE 100000 ROWS (reservoir, 42)) TO '${sample}' (HEADER)`,
  );
  await connection.run(`COPY (SELECT * FROM read_parquet('${SOURCE}')) TO '${full}' (HEADER)`);
  connection.closeSync();
  instance.closeSync();
  const script = fileURLToPath(new URL('xgb_predict.py', import.meta.url));
  const out = execFileSync('/usr/bin/python3', [script, sample, full, String(RUNS)], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as { train_s: number; predict_s: number[]; rows: number };
}

async function duckdbCopy(out: string): Promise<number> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const started = performance.now();
  await connection.run(`COPY (SELECT * FROM read_parquet('${SOURCE}')) TO '${out}' (FORMAT parquet)`);
  const seconds = (performance.now() - started) / 1000;
  connection.closeSync();
  instance.closeSync();
  return seconds;
}

async function timedRun(
  client: ModelyardClient,
  jobId: string,
): Promise<{ total: number; scored: number; run: BatchRun }> {
  const started = performance.now();
  let run = await client.runBatchJob(jobId);
  let scored = NaN;
  while (run.status !== 'succeeded' && run.status !== 'failed') {
    await new Promise((r) => setTimeout(r, 10));
    run = await client.getBatchRun(run.id);
    if (Number.isNaN(scored) && run.partitionsDone === run.partitionsTotal)
      scored = (performance.now() - started) / 1000;
  }
  if (run.status !== 'succeeded') throw new Error(`run failed: ${JSON.stringify(run.error)}`);
  return { total: (performance.now() - started) / 1000, scored, run };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'modelyard-bench-batch-'));
  const server = await startServer({
    port: 0,
    dataDir: join(dir, 'data'),
    adminToken: TOKEN,
    seedDemo: false,
    logger: false,
    allowedRoots: [dirname(SOURCE)],
  });
  try {
    const client = new ModelyardClient({ baseUrl: server.url, token: TOKEN });
    // Each partition's read / score / write times, as the scoring threads report them.
    const phases: { read: number; score: number; write: number }[] = [];
    const tails: Record<string, number>[] = [];
    server.services.batch.onTimings = (_run, ms) => tails.push(ms);
    const pool = server.services.batch.pool;
    const run = pool.run.bind(pool);
    pool.run = async (...args) => {
      const reply = await run(...args);
      if (reply.type === 'done') phases.push(reply.ms);
      return reply;
    };
    await client.createProject({ name: 'bench' });
    await client.createDatasetFromPath('bench', { name: 'flights', path: SOURCE });
    await client.createDatasetFromQuery('bench', {
      name: 'flights_sample',
      sql: 'SELECT * FROM flights USING SAMPLE 100000 ROWS (reservoir, 42)',
    });
    const models: { name: string; algorithm: 'glm' | 'gbdt'; params: Record<string, number> }[] = [
      { name: 'flights-glm', algorithm: 'glm', params: {} },
      { name: 'flights-gbdt', algorithm: 'gbdt', params: { nTrees: 100, maxDepth: 6, learningRate: 0.1 } },
    ];
    for (const m of models) {
      const run = await client.createRun('bench', {
        dataset: 'flights_sample',
        target: 'delay',
        task: 'regression',
        algorithm: m.algorithm,
        params: m.params,
      });
      const done = await client.waitForRun(run.id, { intervalMs: 200, timeoutMs: 600_000 });
      if (done.status !== 'succeeded') throw new Error(`${m.name} training failed`);
      const model = await client.createModel('bench', { name: m.name });
      await client.registerModelVersion(model.id, run.id);
    }

    const copies: number[] = [];
    const results: Record<
      string,
      { total: number[]; scored: number[]; phases: { read: number; score: number; write: number }[] }
    > = {};
    for (const m of models) {
      const job = await client.createBatchJob('bench', {
        name: `score-${m.name}`,
        model: `${m.name}@1`,
        source: { kind: 'dataset', dataset: 'flights', version: null },
        outputDataset: `flights_${m.algorithm}_scored`,
        partitions: PARTITIONS,
      });
      results[m.name] = { total: [], scored: [], phases: [] };
      for (let i = 0; i < RUNS; i++) {
        copies.push(await duckdbCopy(join(dir, `copy-${m.name}-${i}.parquet`)));
        phases.length = 0;
        const { total, scored, run } = await timedRun(client, job.id);
        results[m.name]!.phases.push(...phases);
        results[m.name]!.total.push(total);
        results[m.name]!.scored.push(scored);
        if (i === 0) console.log(`${m.name}: ${run.rowsDone} rows in ${run.partitionsTotal} partitions`);
      }
    }

    const copy = median(copies);
    const xgb = XGBOOST ? await xgboostPeer(dir) : undefined;
    console.log(
      `\nload average at the end: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(', ')} (${cpus().length} cores)`,
    );
    console.log(
      `DuckDB COPY flights-3m → Parquet: median ${copy.toFixed(2)} s (${copies.map((c) => c.toFixed(2)).join(', ')})`,
    );
    if (xgb) {
      const predict = median(xgb.predict_s);
      console.log(
        `XGBoost 100 trees depth 6, predict ${xgb.rows} rows in memory (DMatrix + predict, 2 threads): median ` +
          `${predict.toFixed(2)} s (${xgb.predict_s.map((t) => t.toFixed(2)).join(', ')}); ` +
          `ratio to DuckDB copy ${(predict / copy).toFixed(2)}×`,
      );
    }
    for (const [name, r] of Object.entries(results)) {
      const total = median(r.total);
      console.log(
        `${name}: trigger → registered version median ${total.toFixed(2)} s ` +
          `(${r.total.map((t) => t.toFixed(2)).join(', ')}); partitions scored at ${median(r.scored).toFixed(2)} s, ` +
          `join + profile + hash + register ${median(r.total.map((t, i) => t - r.scored[i]!)).toFixed(2)} s; ` +
          `ratio to DuckDB copy ${(total / copy).toFixed(2)}×`,
      );
      const ms = (key: 'read' | 'score' | 'write') => (median(r.phases.map((p) => p[key])) / 1000).toFixed(2);
      console.log(`  per partition (median): read ${ms('read')} s, score ${ms('score')} s, write ${ms('write')} s`);
      const mine = tails.filter((_, i) => (name === models[0]!.name ? i < RUNS : i >= RUNS));
      const step = (key: string) => (median(mine.map((t) => t[key]!)) / 1000).toFixed(2);
      console.log(
        `  run steps (median): partitions ${step('partitions')} s, join ${step('join')} s, ` +
          `profile ${step('profile')} s, hash + store ${step('store')} s, register ${step('register')} s`,
      );
    }
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
