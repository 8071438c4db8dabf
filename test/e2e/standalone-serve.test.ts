// `modelyard serve` as its own process: a model file, an ONNX file made outside our code, and name@alias from the
// platform followed through alias moves, all answering the platform's predict API.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardClient, type Model, type Run } from '@modelyard/client';
import { apiFailure } from '../helpers/api-calls.js';
import { creditRecords } from '../helpers/golden-data.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const CLI = resolve(import.meta.dirname, '../../packages/server/src/cli/main.ts');
const FIXTURES = resolve(import.meta.dirname, '../../packages/server/src/serving/__fixtures__');

let platform: TestServer;
let admin: ModelyardClient;
let model: Model;
let runs: Run[];
let dir: string;
const children: ChildProcess[] = [];

/** Starts `modelyard serve …` and resolves with its URL once it listens. */
function serve(args: string[], env: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn('node', ['--import', 'tsx', CLI, 'serve', ...args, '--port', '0'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolvePromise, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /at (http:\/\/\S+?)\/api\/v1\/endpoints\//.exec(stderr);
      if (match) resolvePromise({ url: match[1]!, child });
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

beforeAll(async () => {
  platform = await startTestServer();
  admin = new ModelyardClient({ baseUrl: platform.url, token: platform.token });
  dir = await mkdtemp(join(tmpdir(), 'modelyard-serve-'));
  runs = [];
  for (const nTrees of [10, 25]) {
    const run = await admin.createRun('demo', {
      dataset: 'credit_data',
      target: 'Status',
      task: 'classification',
      algorithm: 'gbdt',
      params: { nTrees, maxDepth: 3 },
    });
    runs.push(await admin.waitForRun(run.id, { intervalMs: 100, timeoutMs: 120_000 }));
  }
  model = await admin.createModel('demo', { name: 'credit-edge' });
  for (const run of runs) await admin.registerModelVersion(model.id, run.id);
  await admin.setAlias(model.id, 'champion', 1);
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await platform?.close();
});

describe('modelyard serve', () => {
  it('serves a model file with the platform’s answers, logs each request, and refuses bad input', async () => {
    const file = join(dir, 'model.json');
    await writeFile(file, await admin.downloadModelFile(runs[0]!.id));
    const log = join(dir, 'requests.jsonl');
    const { url, child } = await serve([file, '--name', 'credit', '--log', log, '--auth-token', 'edge-secret']);
    const records = await creditRecords(30);
    const endpoint = await admin.createEndpoint('demo', { name: 'credit-edge', model: 'credit-edge@1' });
    const expected = (await admin.predict(endpoint.id, records)).predictions;

    const edge = new ModelyardClient({ baseUrl: url, token: 'edge-secret' });
    const answer = await edge.predict('credit', records);
    expect(answer.predictions).toEqual(expected);
    expect(answer).toMatchObject({ model: 'model.json', route: 'primary' });
    expect(
      (await apiFailure(new ModelyardClient({ baseUrl: url, token: 'wrong' }).predict('credit', records))).code,
    ).toBe('unauthenticated');
    const bad = await apiFailure(edge.predict('credit', [{ ...records[0]!, Age: 'forty' }]));
    expect([bad.status, bad.code]).toEqual([400, 'invalid_records']);
    expect((await apiFailure(edge.predict('other', records))).code).toBe('endpoint_not_found');

    await stop(child);
    const lines = (await readFile(log, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string; outputs: unknown[] });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ id: answer.requestId, outputs: expected });
  });

  it('serves an ONNX file made by scikit-learn', async () => {
    const reference = JSON.parse(await readFile(join(FIXTURES, 'credit-forest.json'), 'utf8')) as {
      records: Record<string, number>[];
      expected: { label: string }[];
    };
    const { url, child } = await serve([join(FIXTURES, 'credit-forest.onnx')]);
    const answer = await new ModelyardClient({ baseUrl: url }).predict('default', reference.records);
    expect(answer.predictions.map((p) => ('label' in p ? p.label : null))).toEqual(
      reference.expected.map((e) => e.label),
    );
    await stop(child);
  });

  it('follows an alias on the platform and swaps without failing a request', async () => {
    const { url, child } = await serve(['credit-edge@champion', '--follow', '1'], {
      MODELYARD_URL: platform.url,
      MODELYARD_TOKEN: platform.token,
      MODELYARD_PROJECT: 'demo',
    });
    const edge = new ModelyardClient({ baseUrl: url });
    const records = await creditRecords(2);
    expect((await edge.predict('default', records)).modelVersion).toBe(1);
    await admin.setAlias(model.id, 'champion', 2);
    const seen = new Set<number>();
    const deadline = Date.now() + 15_000;
    while (!seen.has(2) && Date.now() < deadline) {
      seen.add((await edge.predict('default', records)).modelVersion);
    }
    expect([...seen].sort()).toContain(2);
    await stop(child);
  });
});
