// Bad input on the MLflow-compatible API: limits, non-finite metrics, changed params, unknown and deleted objects,
// malformed filters (with the position), unsafe artifact paths, huge uploads streamed, and who may call.

import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardClient } from '@modelyard/client';
import { userClient } from '../helpers/api-calls.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
const api = '/api/2.0/mlflow';

async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(server.url + path, {
    method,
    headers: {
      authorization: `Bearer ${server.token}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, json: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown> };
}

/** A request whose path goes out exactly as written (fetch would resolve `..` before sending). */
function rawRequest(method: string, path: string): Promise<{ status: number; body: string }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path, headers: { authorization: `Bearer ${server.token}` } },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(method === 'PUT' ? 'x' : undefined);
  });
}

async function newRun(experimentId = '0'): Promise<string> {
  const created = await call('POST', `${api}/runs/create`, { experiment_id: experimentId, start_time: Date.now() });
  return (created.json.run as { info: { run_id: string } }).info.run_id;
}

beforeAll(async () => {
  server = await startTestServer({ demo: false });
});

afterAll(async () => {
  await server.close();
});

describe('MLflow API bad input', () => {
  it('refuses log-batch over its limits and keeps nothing of the refused batch', async () => {
    const run = await newRun();
    const metrics = Array.from({ length: 1001 }, (_, i) => ({ key: 'm', value: i, timestamp: 1, step: i }));
    const over = await call('POST', `${api}/runs/log-batch`, { run_id: run, metrics });
    expect(over.status).toBe(400);
    expect(over.json.error_code).toBe('INVALID_PARAMETER_VALUE');
    const mixed = await call('POST', `${api}/runs/log-batch`, {
      run_id: run,
      metrics: metrics.slice(0, 950),
      params: Array.from({ length: 60 }, (_, i) => ({ key: `p${i}`, value: 'v' })),
    });
    expect(mixed.status).toBe(400);
    expect(mixed.json.message).toMatch(/at most 1000 metrics, params, and tags in total/);
    const longKey = await call('POST', `${api}/runs/log-batch`, {
      run_id: run,
      tags: [{ key: 'k'.repeat(251), value: '' }],
    });
    expect(longKey.status).toBe(400);
    const history = await call('GET', `${api}/metrics/get-history?run_id=${run}&metric_key=m`);
    expect(history.json).toEqual({});
  });

  it('accepts NaN and ±Infinity metrics and returns them as MLflow does', async () => {
    const run = await newRun();
    for (const [step, value] of ['NaN', 'Infinity', '-Infinity'].entries()) {
      const logged = await call('POST', `${api}/runs/log-metric`, {
        run_id: run,
        key: 'odd',
        value,
        timestamp: 1,
        step,
      });
      expect(logged.status).toBe(200);
    }
    const history = await call('GET', `${api}/metrics/get-history?run_id=${run}&metric_key=odd`);
    expect((history.json.metrics as { value: unknown }[]).map((m) => m.value)).toEqual([
      'NaN',
      'Infinity',
      '-Infinity',
    ]);
    const got = await call('GET', `${api}/runs/get?run_id=${run}`);
    const data = (got.json.run as { data: { metrics: { key: string; value: unknown }[] } }).data;
    expect(data.metrics.find((m) => m.key === 'odd')?.value).toBe('-Infinity');
  });

  it('refuses a param logged again with another value, in single and batch calls', async () => {
    const run = await newRun();
    expect((await call('POST', `${api}/runs/log-parameter`, { run_id: run, key: 'lr', value: '0.1' })).status).toBe(
      200,
    );
    const single = await call('POST', `${api}/runs/log-parameter`, { run_id: run, key: 'lr', value: '0.2' });
    expect(single.status).toBe(400);
    expect(single.json.message).toContain(`for run ID='${run}'`);
    const batch = await call('POST', `${api}/runs/log-batch`, {
      run_id: run,
      params: [{ key: 'lr', value: '0.3' }],
      metrics: [{ key: 'x', value: 1, timestamp: 1 }],
    });
    expect(batch.status).toBe(400);
    // All or nothing: the batch's metric was not kept either.
    expect((await call('GET', `${api}/metrics/get-history?run_id=${run}&metric_key=x`)).json).toEqual({});
  });

  it('answers unknown runs with RESOURCE_DOES_NOT_EXIST', async () => {
    for (const [method, path, body] of [
      ['GET', `${api}/runs/get?run_id=run_nope`, undefined],
      ['POST', `${api}/runs/log-metric`, { run_id: 'run_nope', key: 'a', value: 1, timestamp: 1 }],
      ['POST', `${api}/runs/log-batch`, { run_id: 'run_nope' }],
      ['GET', `${api}/metrics/get-history?run_id=run_nope&metric_key=a`, undefined],
    ] as const) {
      const got = await call(method, path, body);
      expect(got.status).toBe(404);
      expect(got.json).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'Run with id=run_nope not found' });
    }
  });

  it('refuses runs and logging in a deleted experiment, as MLflow does, until it is restored', async () => {
    const exp = (await call('POST', `${api}/experiments/create`, { name: `doomed-${Date.now()}` })).json
      .experiment_id as string;
    const run = await newRun(exp);
    expect((await call('POST', `${api}/experiments/delete`, { experiment_id: exp })).status).toBe(200);
    const create = await call('POST', `${api}/runs/create`, { experiment_id: exp });
    expect(create.status).toBe(400);
    expect(create.json.message).toBe(`The experiment ${exp} must be in the 'active' state. Current state is deleted.`);
    const log = await call('POST', `${api}/runs/log-metric`, { run_id: run, key: 'a', value: 1, timestamp: 1 });
    expect(log.status).toBe(400);
    expect(log.json.message).toBe(`The run ${run} must be in the 'active' state. Current state is deleted.`);
    const deleted = await call('POST', `${api}/runs/search`, { experiment_ids: [exp], run_view_type: 'DELETED_ONLY' });
    expect((deleted.json.runs as unknown[]).length).toBe(1);
    expect((await call('POST', `${api}/experiments/restore`, { experiment_id: exp })).status).toBe(200);
    expect(
      (await call('POST', `${api}/runs/log-metric`, { run_id: run, key: 'a', value: 1, timestamp: 1 })).status,
    ).toBe(200);
  });

  it('names the position of a malformed filter', async () => {
    const cases: [string, RegExp][] = [
      ["metrics.auc > 0.8 and params.x = 'a", /position \d+/],
      ['metrics.auc >', /position 12|position 13/],
      ['foo.bar = 1', /at position 0/],
    ];
    for (const [filter, position] of cases) {
      const got = await call('POST', `${api}/runs/search`, { experiment_ids: ['0'], filter });
      expect(got.status, filter).toBe(400);
      expect(got.json.error_code).toBe('INVALID_PARAMETER_VALUE');
      expect(got.json.message).toMatch(position);
    }
    const experiments = await call('POST', `${api}/experiments/search`, { filter: "name = 'a' or name = 'b'" });
    expect(experiments.status).toBe(400);
    expect(experiments.json.message).toMatch(/at position 11/);
  });

  it('refuses artifact paths that leave the run folder', async () => {
    const run = await newRun();
    const base = `/api/2.0/mlflow-artifacts/artifacts/0/${run}/artifacts`;
    for (const path of [`${base}/../../other/x`, `${base}/a/%2e%2e/%2e%2e/b`, `${base}/a/..%2F..%2Fb`]) {
      for (const method of ['PUT', 'GET']) {
        const got = await rawRequest(method, path);
        expect(got.status, `${method} ${path}`).toBe(400);
        expect(JSON.parse(got.body)).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
      }
    }
    const listed = await call('GET', `${api}/artifacts/list?run_id=${run}&path=${encodeURIComponent('../..')}`);
    expect(listed.status).toBe(400);
    const absolute = await call('GET', `/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent('/etc/passwd')}`);
    expect(absolute.status).toBe(400);
  });

  it('streams a 200 MB artifact upload to disk without holding it in memory', async () => {
    const run = await newRun();
    const size = 200 * 1024 * 1024;
    const chunk = Buffer.alloc(1024 * 1024, 7);
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const url = new URL(server.url);
    // node:http with pipeline keeps the client's side under back-pressure too, so what grows would be the server.
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          method: 'PUT',
          path: `/api/2.0/mlflow-artifacts/artifacts/0/${run}/artifacts/big.bin`,
          headers: {
            authorization: `Bearer ${server.token}`,
            'content-type': 'application/octet-stream',
            'content-length': size,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      pipeline(
        Readable.from(
          (function* () {
            for (let sent = 0; sent < size; sent += chunk.length) yield chunk;
          })(),
        ),
        req,
      ).catch(reject);
    });
    clearInterval(sampler);
    expect(status).toBe(200);
    // Server and client share this process: the growth covers both, and stays far below the 200 MB sent.
    expect(peak - before).toBeLessThan(80 * 1024 * 1024);
    const listed = await call('GET', `${api}/artifacts/list?run_id=${run}`);
    expect(listed.json.files).toEqual([{ path: 'big.bin', is_dir: false, file_size: size }]);
  }, 120_000);

  it('accepts basic auth with the user name and a token, and checks roles on the project', async () => {
    const basic = (user: string, token: string) => ({
      authorization: `Basic ${Buffer.from(`${user}:${token}`).toString('base64')}`,
    });
    const ok = await call('POST', `${api}/experiments/search`, {}, basic('admin', server.token));
    expect(ok.status).toBe(200);
    const wrongUser = await call('POST', `${api}/experiments/search`, {}, basic('someone', server.token));
    expect(wrongUser.status).toBe(401);
    expect(wrongUser.json.error_code).toBe('UNAUTHENTICATED');
    const none = await fetch(`${server.url}${api}/experiments/search`, { method: 'POST' });
    expect(none.status).toBe(401);

    const admin = new ModelyardClient({ baseUrl: server.url, token: server.token });
    await admin.createProject({ name: 'mlteam', description: '' });
    const viewer = await userClient(admin, server.url, 'mlviewer', { project: 'mlteam', role: 'viewer' });
    const { token } = await admin.createToken(
      (await admin.listUsers()).items.find((u) => u.name === 'mlviewer')!.id,
      'ml',
    );
    void viewer;
    const prefix = '/mlflow/mlteam/api/2.0/mlflow';
    const read = await call('POST', `${prefix}/experiments/search`, {}, { authorization: `Bearer ${token}` });
    expect(read.status).toBe(200);
    const write = await call(
      'POST',
      `${prefix}/experiments/create`,
      { name: 'x' },
      { authorization: `Bearer ${token}` },
    );
    expect(write.status).toBe(403);
    expect(write.json.error_code).toBe('PERMISSION_DENIED');
    const other = await call('POST', `${api}/experiments/search`, {}, { authorization: `Bearer ${token}` });
    expect(other.status).toBe(403);
    // The per-project prefix keeps the artifact proxy under it (mlflow-artifacts: URIs resolve against the tracking URI).
    const exp = (await call('POST', `${prefix}/experiments/create`, { name: 'team-exp' })).json.experiment_id as string;
    const run = (
      (await call('POST', `${prefix}/runs/create`, { experiment_id: exp })).json.run as { info: { run_id: string } }
    ).info.run_id;
    const put = await fetch(
      `${server.url}/mlflow/mlteam/api/2.0/mlflow-artifacts/artifacts/${exp}/${run}/artifacts/f.txt`,
      {
        method: 'PUT',
        headers: { authorization: `Bearer ${server.token}` },
        body: 'hello',
      },
    );
    expect(put.status).toBe(200);
    const unknown = await call('GET', `${api}/runs/get?run_id=${run}`);
    expect(unknown.status).toBe(404);
  });
});
