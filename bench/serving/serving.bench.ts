// HTTP predict of a 100-tree depth-6 GBDT: Modelyard's real server against Flask + XGBoost (the shape of MLflow's
// scoring server), side by side in one run.
//
// Ours: a real server in this process (temp data dir, demo project seeded); a GBDT on credit_data (target Status)
// trained through the SDK, registered, aliased `champion`, served by an endpoint; `POST /api/v1/endpoints/:id/predict`
// with a bearer token. Theirs: bench/serving/flask_xgb_server.py under Debian's python3 (XGBoost hist, same tree
// count, depth and data), `POST /predict`, started as a child process and killed at the end.
// Load: a closed loop in a separate child process (so the load generator never shares our event loop), single-record
// requests cycled over the same real rows of credit_data.csv for both, the same connections and durations, a warm-up
// first. Prints requests/s, p50, p99, non-2xx and errors per server, and ours/theirs.
//
// Usage: node --import tsx bench/serving/serving.bench.ts [--connections 1,16,64] [--duration 10] [--warmup 3]
//          [--rows 200] [--rounds 1] [--peers flask,waitress,gunicorn] [--ours-only | --peers-only] [--profile]
//          [--client raw|autocannon]
// The client is raw-load.ts for every server by default: autocannon cannot measure a server that answers
// `Connection: close` (Flask's dev server; see raw-load.ts) and reports latency in whole ms. `--client autocannon`
// uses autocannon wherever the server keeps connections open (raw-load.ts still for Flask's dev server), as a
// cross-check of the instrument.
// --profile samples our server's main thread (every 250 µs) during its measured runs into bench/.data/serving/; the
// sampling slows it, so take figures from a run without it.
// (after `npx tsc -b packages/engine packages/client packages/server`: training threads load built files).

import { execFileSync, spawn, fork, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { ModelyardClient } from '../../packages/client/src/index.js';
import { percentile, rawLoad } from './raw-load.js';
import { startServer, type RunningServer } from '../../packages/server/src/start.js';

/** autocannon's options with two that test/types leaves out. */
type CannonOptions = Parameters<typeof autocannon>[0] & {
  /** Each connection sends these in turn. */
  requests: { method: 'POST'; body: string; headers: Record<string, string> }[];
  /** A new connection after this many answers. */
  reconnectRate?: number;
};

const TOKEN = 'myd_bench-admin-token-0123456789abcdefghijklmnopqrst';
const CSV = '/work/shared/data/credit_data.csv';
const PYTHON = '/usr/bin/python3';
const PEER_SCRIPT = fileURLToPath(new URL('./flask_xgb_server.py', import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

type Peer = 'flask' | 'waitress' | 'gunicorn';
const PEER_LABEL: Record<Peer, string> = {
  flask: 'Flask threaded dev server + XGBoost',
  waitress: 'waitress (4 threads) + Flask + XGBoost',
  gunicorn: 'gunicorn (2 gthread workers × 4 threads) + Flask + XGBoost',
};

interface Target {
  name: string;
  url: string;
  headers: Record<string, string>;
  /** The server answers `Connection: close` (Werkzeug's dev server does, always): a new connection per request. */
  closes?: boolean;
}

type Client = 'autocannon' | 'raw';

interface LoadJob {
  url: string;
  client: Client;
  headers: Record<string, string>;
  bodies: string[];
  connections: number;
  duration: number;
}

interface Measured {
  client: Client;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  max: number;
  total: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

// --- the load generator: a child process running autocannon (or raw-load.ts) ----------------------------------------

async function loadChild(): Promise<void> {
  const job = await new Promise<LoadJob>((resolve) => process.once('message', (m) => resolve(m as LoadJob)));
  const measured = job.client === 'raw' ? await rawChild(job) : await autocannonChild(job);
  process.send!(measured, () => process.exit(0));
}

async function rawChild(job: LoadJob): Promise<Measured> {
  const r = await rawLoad({ ...job, timeout: 10 });
  const sorted = r.latencies.sort((a, b) => a - b);
  const ms = (x: number) => Math.round(x * 100) / 100;
  return {
    client: 'raw',
    rps: r.total / job.duration,
    p50: ms(percentile(sorted, 50)),
    p90: ms(percentile(sorted, 90)),
    p99: ms(percentile(sorted, 99)),
    mean: sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length),
    max: ms(sorted.at(-1) ?? 0),
    total: r.total,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
  };
}

async function autocannonChild(job: LoadJob): Promise<Measured> {
  const headers = { 'content-type': 'application/json', ...job.headers };
  const options: CannonOptions = {
    url: job.url,
    method: 'POST',
    headers,
    requests: job.bodies.map((body) => ({ method: 'POST', body, headers })),
    connections: job.connections,
    duration: job.duration,
    timeout: 10,
  };
  const result = await autocannon(options);
  return {
    client: 'autocannon',
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    mean: result.latency.average,
    max: result.latency.max,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/** The client chosen (--client); servers that close every connection always get raw-load.ts. */
let chosenClient: Client = 'raw';

function load(target: Target, bodies: string[], connections: number, duration: number): Promise<Measured> {
  const child = fork(SELF, ['--load-child'], { execArgv: ['--import', 'tsx'] });
  const job: LoadJob = {
    url: target.url,
    client: target.closes === true ? 'raw' : chosenClient,
    headers: target.headers,
    bodies,
    connections,
    duration,
  };
  child.send(job);
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m as Measured));
    child.once('error', reject);
    child.once('exit', (code) => code !== 0 && reject(new Error(`load generator exited with ${code}`)));
  });
}

// --- data ------------------------------------------------------------------------------------------------------------

/** The first `count` rows of credit_data.csv as feature records (target left out; empty cells null). */
async function creditRecords(count: number): Promise<Record<string, string | number | null>[]> {
  const [header = '', ...lines] = (await readFile(CSV, 'utf8')).trim().split('\n');
  const cell = (raw: string): string | number | null =>
    raw === '' ? null : raw.startsWith('"') ? raw.slice(1, -1) : Number(raw);
  const names = header.split(',').map((n) => String(cell(n)));
  return lines.slice(0, count).map((line) => {
    const values = line.split(',').map(cell);
    return Object.fromEntries(names.map((n, i) => [n, values[i] ?? null] as const).filter(([n]) => n !== 'Status'));
  });
}

// --- servers ---------------------------------------------------------------------------------------------------------

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

async function waitForPort(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

async function startPeer(peer: Peer): Promise<{ target: Target; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(PYTHON, [PEER_SCRIPT, '--port', String(port), '--server', peer], {
    stdio: ['ignore', 'ignore', 'inherit'],
    detached: true, // its own process group: gunicorn's workers go with it
  });
  children.push(child);
  const base = `http://127.0.0.1:${port}`;
  await waitForPort(`${base}/ping`, child, 180_000);
  return { target: { name: PEER_LABEL[peer], url: `${base}/predict`, headers: {} }, child };
}

async function stopPeer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  process.kill(-child.pid!, 'SIGTERM');
  const timer = setTimeout(() => child.exitCode === null && process.kill(-child.pid!, 'SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

async function startOurs(): Promise<{ server: RunningServer; target: Target; dataDir: string; trainS: number }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'modelyard-bench-serving-'));
  const server = await startServer({
    port: 0,
    dataDir,
    adminToken: TOKEN,
    seedDemo: true,
    logger: false,
    workers: 1,
  });
  const client = new ModelyardClient({ baseUrl: server.url, token: TOKEN });
  const started = performance.now();
  const created = await client.createRun('demo', {
    dataset: 'credit_data',
    target: 'Status',
    task: 'classification',
    algorithm: 'gbdt',
    params: { nTrees: 100, maxDepth: 6 },
  });
  const run = await client.waitForRun(created.id, { intervalMs: 100, timeoutMs: 300_000 });
  if (run.status !== 'succeeded') throw new Error(`training run ended ${run.status}`);
  const trainS = (performance.now() - started) / 1000;
  const model = await client.createModel('demo', { name: 'credit-gbdt' });
  const version = await client.registerModelVersion(model.id, run.id);
  await client.setAlias(model.id, 'champion', version.version);
  const endpoint = await client.createEndpoint('demo', { name: 'credit-gbdt', model: 'credit-gbdt@champion' });
  return {
    server,
    dataDir,
    trainS,
    target: {
      name: 'Modelyard',
      url: `${server.url}/api/v1/endpoints/${endpoint.id}/predict`,
      headers: { authorization: `Bearer ${TOKEN}` },
    },
  };
}

/** One request; notes whether the server closes connections after answering. */
async function probe(target: Target, body: string): Promise<string> {
  const response = await fetch(target.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${target.name}: ${response.status} ${text.slice(0, 300)}`);
  target.closes = response.headers.get('connection')?.toLowerCase() === 'close';
  return `${target.closes ? '[Connection: close] ' : ''}${text.slice(0, 200)}`;
}

// --- profiling our server's thread during its measured load (--profile) -------------------------------------------

async function startProfile(): Promise<Session> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 250 });
  await session.post('Profiler.start');
  return session;
}

async function stopProfile(session: Session, name: string): Promise<void> {
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  const dir = fileURLToPath(new URL('../.data/serving/', import.meta.url));
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${name}.cpuprofile`);
  await writeFile(file, JSON.stringify(profile));
  console.log(`  profile: ${file} (summarise with bench/serving/profile-summary.ts)`);
}

/** The commit measured, and a digest of uncommitted changes to the server and engine sources (others edit them). */
function describeTree(): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  try {
    const head = git('rev-parse', '--short', 'HEAD').trim();
    const diff = git('diff', 'HEAD', '--', 'packages/server/src', 'packages/engine/src');
    const digest = createHash('sha256').update(diff).digest('hex').slice(0, 12);
    return diff === '' ? `commit ${head}` : `commit ${head} + uncommitted changes (diff sha256 ${digest})`;
  } catch {
    return 'commit unknown';
  }
}

// --- main ------------------------------------------------------------------------------------------------------------

const fmt = (x: number, digits = 0) =>
  x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const load1 = () => loadavg()[0]!.toFixed(2);

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      connections: { type: 'string', default: '1,16,64' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      rows: { type: 'string', default: '200' },
      rounds: { type: 'string', default: '1' },
      peers: { type: 'string', default: 'flask' },
      'ours-only': { type: 'boolean', default: false },
      'peers-only': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      client: { type: 'string', default: 'raw' },
    },
  });
  if (values.client !== 'raw' && values.client !== 'autocannon') throw new Error('--client raw|autocannon');
  chosenClient = values.client;
  const connections = values.connections.split(',').map(Number);
  const duration = Number(values.duration);
  const warmup = Number(values.warmup);
  const rounds = Number(values.rounds);
  const peers = values['ours-only'] ? [] : (values.peers.split(',') as Peer[]);
  console.log(`${describeTree()}; Node ${process.version}; 1-min load ${load1()}`);
  const records = await creditRecords(Number(values.rows));
  const bodies = records.map((r) => JSON.stringify({ records: [r] }));
  console.log(
    `${records.length} single-record bodies (${fmt(bodies.reduce((s, b) => s + b.length, 0) / bodies.length)} B each on average)`,
  );

  const targets: { target: Target; stop: () => Promise<void> }[] = [];
  let oursName: string | null = null;
  if (!values['peers-only']) {
    const ours = await startOurs();
    console.log(`Modelyard: trained in ${ours.trainS.toFixed(1)} s, endpoint ${ours.target.url}`);
    console.log(`  first answer: ${await probe(ours.target, bodies[0]!)}`);
    oursName = ours.target.name;
    targets.push({
      target: ours.target,
      stop: async () => {
        await ours.server.close();
        await rm(ours.dataDir, { recursive: true, force: true });
      },
    });
  }
  for (const peer of peers) {
    const started = performance.now();
    const { target, child } = await startPeer(peer);
    console.log(`${target.name}: answering after ${((performance.now() - started) / 1000).toFixed(1)} s`);
    console.log(`  first answer: ${await probe(target, bodies[0]!)}`);
    targets.push({ target, stop: () => stopPeer(child) });
  }

  const rows: { name: string; connections: number; round: number; load: string; m: Measured }[] = [];
  try {
    for (const c of connections) {
      for (const { target } of targets) {
        if (warmup > 0) await load(target, bodies, c, warmup);
      }
      for (let round = 1; round <= rounds; round++) {
        // Alternate the order between rounds so neither side always runs right after the other's load.
        const order = round % 2 === 1 ? targets : [...targets].reverse();
        for (const { target } of order) {
          const before = load1();
          const profiling = values.profile && target.name === oursName ? await startProfile() : null;
          const m = await load(target, bodies, c, duration);
          if (profiling) await stopProfile(profiling, `modelyard-c${c}-r${round}`);
          rows.push({ name: target.name, connections: c, round, load: before, m });
          // Closed loop: mean latency should be about connections / throughput; far off means the clocks are wrong.
          const little = (1000 * c) / m.rps;
          const check =
            m.mean > 2 * little || m.mean < little / 2
              ? ` — MEAN ${m.mean.toFixed(1)} ms vs c/rps ${little.toFixed(1)} ms`
              : '';
          console.log(
            `  ${target.name}, ${c} connections, round ${round}: ${fmt(m.rps)} req/s, p50 ${m.p50} ms, p99 ${m.p99} ms, ` +
              `mean ${m.mean.toFixed(1)} ms, non-2xx ${m.non2xx}, errors ${m.errors} (${m.client}, load ${before})${check}`,
          );
        }
      }
    }
  } finally {
    for (const { stop } of targets) await stop();
  }

  // The table: one line per server and connection count: the round with the median requests/s (the lower middle one
  // for an even count) gives requests/s and latencies; non-2xx and errors (with timeouts) are summed over rounds.
  console.log(
    '\n| server | connections | requests/s | range over rounds | p50 ms | p99 ms | non-2xx | errors | ours / theirs (req/s) | client | 1-min load |',
  );
  console.log('| --- | --: | --: | --: | --: | --: | --: | --: | --: | --- | --: |');
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
  for (const c of connections) {
    const at = rows.filter((r) => r.connections === c);
    const oursRps = oursName === null ? null : median(at.filter((r) => r.name === oursName).map((r) => r.m.rps));
    for (const { target } of targets) {
      const mine = at.filter((r) => r.name === target.name);
      const rps = mine.map((x) => x.m.rps);
      const pick = mine.find((r) => r.m.rps === median(rps))!;
      const sum = (f: (r: (typeof mine)[number]) => number) => mine.reduce((s, r) => s + f(r), 0);
      const ratio = oursRps === null || target.name === oursName ? '' : `${(oursRps / pick.m.rps).toFixed(1)}×`;
      console.log(
        `| ${target.name} | ${c} | ${fmt(pick.m.rps)} | ${fmt(Math.min(...rps))}–${fmt(Math.max(...rps))} | ` +
          `${pick.m.p50} | ${pick.m.p99} | ${sum((r) => r.m.non2xx)} | ${sum((r) => r.m.errors + r.m.timeouts)} | ` +
          `${ratio} | ${pick.m.client} | ${mine.map((r) => r.load).join(', ')} |`,
      );
    }
  }
  if (rounds > 1) {
    console.log('\nAll rounds:');
    for (const r of rows)
      console.log(
        `  ${r.name} c=${r.connections} round ${r.round}: ${fmt(r.m.rps)} req/s, p50 ${r.m.p50}, p99 ${r.m.p99}`,
      );
  }
}

if (process.argv.includes('--load-child')) {
  await loadChild();
} else {
  await main();
  process.exit(0);
}
