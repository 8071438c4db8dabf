// Run artifacts through our API and SDK: upload, list, download, delete; paths that could leave the run refused;
// roles; the same files seen through the MLflow-compatible API; a large upload streamed, not held in memory.

import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, ModelyardClient, type Run } from '@modelyard/client';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let admin: ModelyardClient;
let viewer: ModelyardClient;
let outsider: ModelyardClient;
let run: Run;
let viewerToken: string;

const text = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** A raw request, so `..` reaches the server as written (fetch would resolve it away). */
function raw(method: string, path: string, token: string, body?: string): Promise<{ status: number; body: string }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: url.hostname, port: url.port, method, path, headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (data += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

beforeAll(async () => {
  server = await startTestServer({ demo: false });
  admin = new ModelyardClient({ baseUrl: server.url, token: server.token });
  await admin.createProject({ name: 'arts', description: '' });
  await admin.createProject({ name: 'elsewhere', description: '' });
  const experiment = await admin.createExperiment('arts', { name: 'files' });
  run = await admin.startRun(experiment.id, { name: 'with-files' });
  const v = await admin.createUser({ name: 'vera' });
  viewerToken = (await admin.createToken(v.id, 'cli')).token;
  await admin.setMember('arts', v.id, 'viewer');
  viewer = new ModelyardClient({ baseUrl: server.url, token: viewerToken });
  const o = await admin.createUser({ name: 'otto' });
  await admin.setMember('elsewhere', o.id, 'editor');
  outsider = new ModelyardClient({ baseUrl: server.url, token: (await admin.createToken(o.id, 'cli')).token });
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe('run artifacts', () => {
  it('uploads, lists, downloads and deletes files and folders', async () => {
    const stored = await admin.uploadArtifact(run.id, 'model/summary.json', text('{"auc":0.8}'));
    expect(stored).toEqual({ path: 'model/summary.json', bytes: 11 });
    await admin.uploadArtifact(run.id, 'model/weights.bin', new Blob([new Uint8Array([1, 2, 3, 4, 5])]));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(text('streamed '));
        controller.enqueue(text('text'));
        controller.close();
      },
    });
    expect(await admin.uploadArtifact(run.id, 'notes and plots/résumé 1.txt', stream)).toEqual({
      path: 'notes and plots/résumé 1.txt',
      bytes: 13,
    });

    const root = await admin.listArtifacts(run.id);
    expect(root.items.sort((a, b) => a.path.localeCompare(b.path))).toEqual([
      { path: 'model', isDir: true, bytes: null },
      { path: 'notes and plots', isDir: true, bytes: null },
    ]);
    const model = await viewer.listArtifacts(run.id, 'model');
    expect(model.items).toEqual([
      { path: 'model/summary.json', isDir: false, bytes: 11 },
      { path: 'model/weights.bin', isDir: false, bytes: 5 },
    ]);
    expect(decode(await viewer.downloadArtifact(run.id, 'model/summary.json'))).toBe('{"auc":0.8}');
    expect(decode(await admin.downloadArtifact(run.id, 'notes and plots/résumé 1.txt'))).toBe('streamed text');
    expect([...(await admin.downloadArtifact(run.id, 'model/weights.bin'))]).toEqual([1, 2, 3, 4, 5]);

    const response = await fetch(
      `${server.url}/api/v1/runs/${run.id}/artifacts/${encodeURIComponent('model/summary.json')}`,
      { headers: { authorization: `Bearer ${server.token}` } },
    );
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('content-disposition')).toBe("attachment; filename*=UTF-8''summary.json");

    await admin.deleteArtifact(run.id, 'model/weights.bin');
    expect((await failure(admin.downloadArtifact(run.id, 'model/weights.bin'))).code).toBe('artifact_not_found');
    await admin.deleteArtifact(run.id, 'notes and plots');
    expect((await admin.listArtifacts(run.id)).items.map((i) => i.path)).toEqual(['model']);
    const missing = await failure(admin.deleteArtifact(run.id, 'nothing/here.txt'));
    expect([missing.status, missing.code]).toEqual([404, 'artifact_not_found']);
    expect((await admin.listArtifacts(run.id, 'no-such-folder')).items).toEqual([]);
  });

  it('refuses paths that leave the run: .. and absolute', async () => {
    for (const path of ['../escape.txt', 'a/../../escape.txt', '/etc/passwd', 'a/./b.txt', '..', 'C:/x.txt']) {
      const error = await failure(admin.uploadArtifact(run.id, path, text('x')));
      expect([path, error.status, error.code]).toEqual([path, 400, 'invalid_artifact_path']);
    }
    expect((await failure(admin.listArtifacts(run.id, '../..'))).code).toBe('invalid_artifact_path');
    // Written out in the URL, as a hand-made request would.
    const put = await raw('PUT', `/api/v1/runs/${run.id}/artifacts/a/../../../escape.txt`, server.token, 'x');
    expect(put.status).toBe(400);
    expect(JSON.parse(put.body)).toMatchObject({ error: { code: 'invalid_artifact_path' } });
    const get = await raw('GET', `/api/v1/runs/${run.id}/artifacts/../model.json`, server.token);
    expect(get.status).toBe(400);
    const names = (await admin.listArtifacts(run.id)).items.map((i) => i.path);
    expect(names).not.toContain('escape.txt');
  });

  it('lets viewers read but not write, and hides the run from outsiders', async () => {
    await admin.uploadArtifact(run.id, 'shared.txt', text('hello'));
    const write = await failure(viewer.uploadArtifact(run.id, 'mine.txt', text('no')));
    expect([write.status, write.code]).toEqual([403, 'forbidden']);
    expect((await failure(viewer.deleteArtifact(run.id, 'shared.txt'))).status).toBe(403);
    expect(decode(await viewer.downloadArtifact(run.id, 'shared.txt'))).toBe('hello');
    for (const call of [
      () => outsider.listArtifacts(run.id),
      () => outsider.downloadArtifact(run.id, 'shared.txt'),
      () => outsider.uploadArtifact(run.id, 'x.txt', text('x')),
      () => outsider.deleteArtifact(run.id, 'shared.txt'),
    ]) {
      const error = await failure(call());
      expect([error.status, error.code]).toEqual([404, 'run_not_found']);
    }
  });

  it('shares files with the MLflow-compatible API both ways', async () => {
    await admin.uploadArtifact(run.id, 'plots/roc curve.png', new Uint8Array([137, 80, 78, 71]));
    const headers = { authorization: `Bearer ${server.token}` };
    const listed = await fetch(`${server.url}/mlflow/arts/api/2.0/mlflow/artifacts/list?run_id=${run.id}&path=plots`, {
      headers,
    });
    expect(await listed.json()).toMatchObject({
      files: [{ path: 'plots/roc curve.png', is_dir: false, file_size: 4 }],
    });
    const put = await fetch(
      `${server.url}/mlflow/arts/api/2.0/mlflow-artifacts/artifacts/${run.experimentId}/${run.id}/artifacts/mlflow/model.txt`,
      { method: 'PUT', headers: { ...headers, 'content-type': 'application/octet-stream' }, body: 'from mlflow' },
    );
    expect(put.status).toBe(200);
    expect((await admin.listArtifacts(run.id, 'mlflow')).items).toEqual([
      { path: 'mlflow/model.txt', isDir: false, bytes: 11 },
    ]);
    expect(decode(await admin.downloadArtifact(run.id, 'mlflow/model.txt'))).toBe('from mlflow');
  });

  it('refuses an upload over the limit and stores nothing of it', async () => {
    const config = server.server.services.config;
    const limit = config.maxUploadBytes;
    config.maxUploadBytes = 1000;
    try {
      const declared = await failure(admin.uploadArtifact(run.id, 'big/declared.bin', new Uint8Array(5000)));
      expect([declared.status, declared.code]).toEqual([413, 'payload_too_large']);
      const streamed = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new Uint8Array(600));
          controller.enqueue(new Uint8Array(600));
          controller.close();
        },
      });
      const undeclared = await failure(admin.uploadArtifact(run.id, 'big/streamed.bin', streamed));
      expect([undeclared.status, undeclared.code]).toEqual([413, 'payload_too_large']);
    } finally {
      config.maxUploadBytes = limit;
    }
    expect((await admin.listArtifacts(run.id, 'big')).items).toEqual([]);
  });

  it('streams a 100 MB upload and download without holding it in memory', async () => {
    const MB = 1024 * 1024;
    const total = 100 * MB;
    // One chunk sent over and over (as a file read would reuse its buffer): what grows is the transfer, not the data.
    const chunk = new Uint8Array(MB).map((_, i) => i % 251);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= total) return controller.close();
        sent += MB;
        controller.enqueue(chunk);
      },
    });
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    try {
      expect(await admin.uploadArtifact(run.id, 'large/blob.bin', body)).toEqual({
        path: 'large/blob.bin',
        bytes: total,
      });
    } finally {
      clearInterval(sampler);
    }
    // Server and client share this process: together they grew by a fixed ~30 MB of buffers and garbage, where holding
    // the upload would have taken all of it.
    expect(peak - before).toBeLessThan(total * 0.5);
    {
      // Downloaded as a stream too: read chunk by chunk, counted and checked, never kept.
      const response = await fetch(`${server.url}/api/v1/runs/${run.id}/artifacts/large%2Fblob.bin`, {
        headers: { authorization: `Bearer ${server.token}` },
      });
      expect(response.headers.get('content-type')).toBe('application/octet-stream');
      let received = 0;
      let wrong = 0;
      for await (const part of response.body as unknown as AsyncIterable<Uint8Array>) {
        for (let i = 0; i < part.length; i += 4093) if (part[i] !== ((received + i) % MB) % 251) wrong++;
        received += part.length;
      }
      expect([received, wrong]).toEqual([total, 0]);
    }
    expect((await admin.listArtifacts(run.id, 'large')).items).toEqual([
      { path: 'large/blob.bin', isDir: false, bytes: total },
    ]);
  }, 120_000);
});
