// What `?explain=true` adds to an HTTP predict call: one record at a time over a keep-alive connection, the same
// records with and without explanations, alternating blocks so both see the same machine. Model: GBDT, 100 trees of
// depth 6 on credit_data, served by a real in-process server.
//
// node --import tsx bench/explain/http-explain.bench.ts [calls]

import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelyardClient, type FeatureRecord } from '@modelyard/client';
import { startServer } from '../../packages/server/src/start.js';
import { creditRecords } from '../../test/helpers/golden-data.js';

const CALLS = Number(process.argv[2] ?? 2000);
const TOKEN = 'myd_bench-admin-token-0123456789abcdefghijklmnop';

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))]!;

const dir = await mkdtemp(join(tmpdir(), 'modelyard-bench-explain-'));
const server = await startServer({ port: 0, dataDir: dir, adminToken: TOKEN, seedDemo: true, logger: false });
try {
  const client = new ModelyardClient({ baseUrl: server.url, token: TOKEN });
  const run = await client.createRun('demo', {
    dataset: 'credit_data',
    target: 'Status',
    task: 'classification',
    algorithm: 'gbdt',
    params: { nTrees: 100, maxDepth: 6, learningRate: 0.1 },
  });
  await client.waitForRun(run.id, { intervalMs: 100, timeoutMs: 300_000 });
  const model = await client.createModel('demo', { name: 'explain-bench' });
  await client.registerModelVersion(model.id, run.id);
  const endpoint = await client.createEndpoint('demo', { name: 'explain-bench', model: 'explain-bench@1' });
  const records = (await creditRecords(200)) as FeatureRecord[];
  const call = async (i: number, explain: boolean) => {
    const started = performance.now();
    const response = await fetch(
      `${server.url}/api/v1/endpoints/${endpoint.id}/predict${explain ? '?explain=true' : ''}`,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ records: [records[i % records.length]] }),
      },
    );
    await response.text();
    if (response.status !== 200) throw new Error(`status ${response.status}`);
    return performance.now() - started;
  };
  for (let i = 0; i < 300; i++) await call(i, i % 2 === 0);
  const plain: number[] = [];
  const explained: number[] = [];
  for (let block = 0; block < CALLS / 100; block++) {
    for (let i = 0; i < 50; i++) plain.push(await call(block * 50 + i, false));
    for (let i = 0; i < 50; i++) explained.push(await call(block * 50 + i, true));
  }
  const row = (name: string, xs: number[]) =>
    `${name}: p50 ${quantile(xs, 0.5).toFixed(3)} ms, p99 ${quantile(xs, 0.99).toFixed(3)} ms (${xs.length} calls)`;
  console.log(`load ${loadavg()[0]!.toFixed(2)}; one record per call, sequential`);
  console.log(row('predict', plain));
  console.log(row('predict?explain=true', explained));
  console.log(`explain adds p50 ${(quantile(explained, 0.5) - quantile(plain, 0.5)).toFixed(3)} ms`);
} finally {
  await server.close();
  await rm(dir, { recursive: true, force: true });
}
