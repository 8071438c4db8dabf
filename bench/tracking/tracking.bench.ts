// Tracking at scale on the embedded store (SQLite), through the real HTTP API:
//  1. ingest: 50 concurrent clients (in a child process) each send log batches of 1,000 metric points; points/s, and
//     every point counted afterwards. Peer: better-sqlite3 alone inserting the same rows, 1,000 per transaction.
//  2. search: 100,000 runs with 20 params and 10 metrics each; `runs/search` with a metric filter and a metric order,
//     first page (100 runs) p50/p95 over 30 requests. Peer: the same filter and order as one hand-written SQL query.
//  3. history: one metric with 1,000,000 points streamed as NDJSON; seconds to read it all. Peer: the same rows
//     selected by better-sqlite3 into JS objects.
// Usage: node --import tsx bench/tracking/tracking.bench.ts [ingest|search|history]...

import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { ModelyardClient } from '../../packages/client/src/index.js';
import { startServer, type RunningServer } from '../../packages/server/src/start.js';

const TOKEN = 'myd_bench-admin-token-0123456789abcdefghijklmnopqrst';
const CLIENTS = 50;
const BATCHES_PER_CLIENT = 20;
const BATCH = 1000;
const SEARCH_RUNS = 100_000;
const HISTORY_POINTS = 1_000_000;

interface Bench {
  server: RunningServer;
  client: ModelyardClient;
  dataDir: string;
}

async function start(): Promise<Bench> {
  const dataDir = await mkdtemp(join(tmpdir(), 'modelyard-bench-tracking-'));
  const server = await startServer({ port: 0, dataDir, adminToken: TOKEN, seedDemo: false, logger: false });
  const client = new ModelyardClient({ baseUrl: server.url, token: TOKEN });
  await client.createProject({ name: 'bench' });
  return { server, client, dataDir };
}

async function stop(b: Bench): Promise<void> {
  await b.server.close();
  await rm(b.dataDir, { recursive: true, force: true });
}

const sqlitePath = (b: Bench) => join(b.dataDir, 'metadata.sqlite');

// --- 1. ingest -------------------------------------------------------------------------------------------------------

/** Child process: CLIENTS loops, each logging BATCHES_PER_CLIENT batches to its own run; prints elapsed ms. */
async function ingestClients(url: string, runIds: string[]): Promise<void> {
  const client = new ModelyardClient({ baseUrl: url, token: TOKEN });
  const started = performance.now();
  await Promise.all(
    runIds.map(async (runId, c) => {
      for (let b = 0; b < BATCHES_PER_CLIENT; b++) {
        const metrics = Array.from({ length: BATCH }, (_, i) => ({
          key: `m${i % 10}`,
          value: Math.sin(c + b * BATCH + i),
          step: b * BATCH + i,
          timestamp: 1_700_000_000_000 + b * BATCH + i,
        }));
        await client.logRun(runId, { metrics });
      }
    }),
  );
  process.send!({ ms: performance.now() - started });
}

async function ingest(): Promise<void> {
  const b = await start();
  try {
    const experiment = await b.client.createExperiment('bench', { name: 'ingest' });
    const runs = [];
    for (let c = 0; c < CLIENTS; c++) runs.push((await b.client.startRun(experiment.id, { name: `client-${c}` })).id);
    const child = fork(fileURLToPath(import.meta.url), ['--ingest-child', b.server.url, ...runs], {
      execArgv: ['--import', 'tsx'],
    });
    const { ms } = await new Promise<{ ms: number }>((resolve, reject) => {
      child.once('message', (m) => resolve(m as { ms: number }));
      child.once('error', reject);
    });
    child.kill();
    const sent = CLIENTS * BATCHES_PER_CLIENT * BATCH;
    const db = new Database(sqlitePath(b), { readonly: true });
    const stored = (db.prepare('select count(*) as n from run_metrics').get() as { n: number }).n;
    db.close();
    // Peer: the same number of rows straight into a fresh SQLite file, one transaction per 1,000.
    const peerDir = await mkdtemp(join(tmpdir(), 'modelyard-bench-peer-'));
    const peer = new Database(join(peerDir, 'p.sqlite'));
    peer.pragma('journal_mode = WAL');
    peer.pragma('synchronous = FULL');
    peer.exec(
      'create table m (id integer primary key autoincrement, run_id text, key text, value real, is_nan int, step int, timestamp int)',
    );
    peer.exec('create index m_i on m (run_id, key, id)');
    const insert = peer.prepare(
      'insert into m (run_id, key, value, is_nan, step, timestamp) values (?, ?, ?, 0, ?, ?)',
    );
    const batch = peer.transaction((rows: number) => {
      for (let i = 0; i < rows; i++) insert.run('run_x', `m${i % 10}`, Math.sin(i), i, i);
    });
    const peerStart = performance.now();
    for (let i = 0; i < sent / BATCH; i++) batch(BATCH);
    const peerMs = performance.now() - peerStart;
    peer.close();
    await rm(peerDir, { recursive: true, force: true });
    const ours = sent / (ms / 1000);
    const theirs = sent / (peerMs / 1000);
    console.log(
      `ingest: ${CLIENTS} clients x ${BATCHES_PER_CLIENT} batches x ${BATCH} points = ${sent} points in ` +
        `${(ms / 1000).toFixed(2)} s: ${Math.round(ours)} points/s; stored ${stored} (lost ${sent - stored}). ` +
        `Peer better-sqlite3 alone: ${Math.round(theirs)} points/s; ours/peer ${(ours / theirs).toFixed(2)}`,
    );
  } finally {
    await stop(b);
  }
}

// --- 2. search -------------------------------------------------------------------------------------------------------

/** 100,000 runs with 20 params and 10 metrics each, written straight into the store's tables. */
function seedRuns(path: string, experimentId: string, projectId: string, userId: string): void {
  const db = new Database(path);
  const run = db.prepare(
    `insert into runs (id, project_id, experiment_id, parent_run_id, name, kind, status, lifecycle_stage, params,
      progress, created_at, started_at, created_by) values (?, ?, ?, null, ?, 'tracked', ?, 'active', '{}', 0, ?, ?, ?)`,
  );
  const param = db.prepare('insert into run_params (run_id, key, value) values (?, ?, ?)');
  const latest = db.prepare(
    'insert into run_latest_metrics (run_id, key, value, is_nan, step, timestamp) values (?, ?, ?, 0, 0, 1)',
  );
  const chunk = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = `run_bench${String(i).padStart(8, '0')}`;
      const at = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();
      run.run(id, projectId, experimentId, `run-${i}`, i % 10 === 0 ? 'failed' : 'succeeded', at, at, userId);
      for (let p = 0; p < 20; p++) param.run(id, `p${p}`, String((i * (p + 7)) % (p + 3)));
      for (let m = 0; m < 10; m++) latest.run(id, `m${m}`, ((i * 2654435761 + m * 97) % 100_000) / 100_000);
    }
  });
  for (let i = 0; i < SEARCH_RUNS; i += 5000) chunk(i, Math.min(SEARCH_RUNS, i + 5000));
  db.exec('analyze');
  db.close();
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)]!;

async function search(): Promise<void> {
  const b = await start();
  try {
    const experiment = await b.client.createExperiment('bench', { name: 'search' });
    const me = await b.client.me();
    const seedStart = performance.now();
    seedRuns(sqlitePath(b), experiment.id, experiment.projectId, me.user.id);
    console.log(`search: seeded ${SEARCH_RUNS} runs in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`);
    const query = {
      experiments: [experiment.id],
      filter: "metrics.m0 > 0.5 and params.p3 = '2'",
      orderBy: ['metrics.m1 DESC'],
      limit: 100,
    };
    const timed = async (q: typeof query | Omit<typeof query, 'orderBy'>) => {
      const times: number[] = [];
      let ids: string[] = [];
      for (let i = 0; i < 33; i++) {
        const t = performance.now();
        const page = await b.client.searchRuns('bench', q);
        if (i >= 3) times.push(performance.now() - t);
        ids = page.items.map((r) => r.id);
      }
      return { times, ids };
    };
    const { times, ids: firstIds } = await timed(query);
    const { orderBy: _, ...newestFirst } = query;
    const plain = await timed({ ...newestFirst, filter: 'metrics.m0 > 0.5' });
    console.log(
      `search: filter "metrics.m0 > 0.5", default order (newest first), first page of 100: ` +
        `p50 ${percentile(plain.times, 0.5).toFixed(1)} ms, p95 ${percentile(plain.times, 0.95).toFixed(1)} ms`,
    );
    // Peer: the same rows by one hand-written query on the same file.
    const db = new Database(sqlitePath(b), { readonly: true });
    const peerSql = db.prepare(`select r.* from runs r
      join run_latest_metrics m0 on m0.run_id = r.id and m0.key = 'm0'
      join run_params p3 on p3.run_id = r.id and p3.key = 'p3'
      left join run_latest_metrics m1 on m1.run_id = r.id and m1.key = 'm1'
      where r.experiment_id = ? and r.lifecycle_stage = 'active' and m0.value > 0.5 and p3.value = '2'
      order by m1.value is null, m1.value desc, r.id desc limit 100`);
    const peerTimes: number[] = [];
    let peerIds: string[] = [];
    for (let i = 0; i < 33; i++) {
      const t = performance.now();
      peerIds = (peerSql.all(experiment.id) as { id: string }[]).map((r) => r.id);
      if (i >= 3) peerTimes.push(performance.now() - t);
    }
    db.close();
    const same = JSON.stringify(firstIds) === JSON.stringify(peerIds);
    console.log(
      `search: filter "${query.filter}" order ${query.orderBy[0]} over ${SEARCH_RUNS} runs, first page of 100: ` +
        `p50 ${percentile(times, 0.5).toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms (HTTP, with ` +
        `params/metrics/tags of the page). Peer hand-written SQL alone: p50 ${percentile(peerTimes, 0.5).toFixed(1)} ms; ` +
        `ours/peer ${(percentile(times, 0.5) / percentile(peerTimes, 0.5)).toFixed(2)}; same runs: ${same}`,
    );
  } finally {
    await stop(b);
  }
}

// --- 3. history ------------------------------------------------------------------------------------------------------

async function history(): Promise<void> {
  const b = await start();
  try {
    const experiment = await b.client.createExperiment('bench', { name: 'history' });
    const run = await b.client.startRun(experiment.id, { name: 'long' });
    const store = b.server.services.store;
    for (let i = 0; i < HISTORY_POINTS; i += 10_000) {
      await store.logRunData(run.id, {
        metrics: Array.from({ length: 10_000 }, (_, j) => ({
          key: 'loss',
          value: 1 / (i + j + 1),
          step: i + j,
          timestamp: 1_700_000_000_000 + i + j,
        })),
      });
    }
    // The reader runs in its own process, as a real client would, so it does not share the server's event loop.
    const child = fork(fileURLToPath(import.meta.url), ['--history-child', b.server.url, run.id], {
      execArgv: ['--import', 'tsx'],
    });
    const { ms, lines } = await new Promise<{ ms: number; lines: number }>((resolve, reject) => {
      child.once('message', (m) => resolve(m as { ms: number; lines: number }));
      child.once('error', reject);
    });
    child.kill();
    const seconds = ms / 1000;
    const db = new Database(sqlitePath(b), { readonly: true });
    const p = performance.now();
    const rows = db
      .prepare('select value, is_nan, step, timestamp from run_metrics where run_id = ? and key = ? order by id')
      .all(run.id, 'loss');
    const peerSeconds = (performance.now() - p) / 1000;
    db.close();
    console.log(
      `history: ${lines} points of one metric streamed (NDJSON over HTTP) in ${seconds.toFixed(2)} s. ` +
        `Peer better-sqlite3 select into JS: ${rows.length} rows in ${peerSeconds.toFixed(2)} s; ` +
        `ours/peer ${(seconds / peerSeconds).toFixed(2)}`,
    );
  } finally {
    await stop(b);
  }
}

/** Child process: reads the whole NDJSON history, parsing every line; prints elapsed ms and the line count. */
async function historyClient(url: string, runId: string): Promise<void> {
  const t = performance.now();
  const response = await fetch(`${url}/api/v1/runs/${runId}/metrics/loss?format=ndjson`, {
    headers: { authorization: `Bearer ${TOKEN}` },
  });
  let lines = 0;
  let rest = '';
  const decoder = new TextDecoder();
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const text = rest + decoder.decode(value, { stream: true });
    const parts = text.split('\n');
    rest = parts.pop()!;
    for (const line of parts) if ((JSON.parse(line) as { step: number }).step >= 0) lines++;
  }
  process.send!({ ms: performance.now() - t, lines });
}

if (process.argv[2] === '--history-child') {
  await historyClient(process.argv[3]!, process.argv[4]!);
} else if (process.argv[2] === '--ingest-child') {
  await ingestClients(process.argv[3]!, process.argv.slice(4));
} else {
  const parts = process.argv.slice(2);
  const all = parts.length === 0;
  if (all || parts.includes('ingest')) await ingest();
  if (all || parts.includes('search')) await search();
  if (all || parts.includes('history')) await history();
}
