import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ApiError, ModelyardClient, type Page, type Run } from './index.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

type Reply = { status: number; json?: unknown; text?: string; contentType?: string };
type Handler = (req: Seen) => Reply;

// A real HTTP server: the client is tested over the wire, through the runtime's own fetch and FormData.
let server: Server;
let baseUrl: string;
let seen: Seen[] = [];
let handler: Handler = () => ({ status: 200, json: {} });

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const s: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      seen.push(s);
      const reply = handler(s);
      const text = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? '');
      const type = reply.contentType ?? (reply.json !== undefined ? 'application/json' : 'text/plain');
      res.writeHead(reply.status, { 'content-type': type });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  seen = [];
  handler = () => ({ status: 200, json: {} });
});

const last = (): Seen => {
  const s = seen.at(-1);
  if (!s) throw new Error('no request seen');
  return s;
};

const run = (status: Run['status'], progress: number): Run => ({
  id: 'run_1',
  projectId: 'prj_1',
  experimentId: 'exp_1',
  parentRunId: null,
  kind: 'training',
  lifecycleStage: 'active',
  tags: {},
  name: 'r',
  status,
  task: 'classification',
  algorithm: 'glm',
  target: 'y',
  datasetId: 'ds_1',
  datasetVersion: 'abc',
  params: {},
  metrics: status === 'succeeded' ? { auc: 0.9 } : {},
  progress,
  error: status === 'failed' ? { code: 'training_failed', message: 'boom' } : null,
  environment: null,
  createdAt: '',
  startedAt: null,
  finishedAt: null,
  durationMs: null,
  createdBy: 'u',
});

describe('ModelyardClient requests', () => {
  it('sends the bearer token and Accept header under /api/v1', async () => {
    handler = () => ({ status: 200, json: { user: { id: 'u1', name: 'admin' }, roles: {} } });
    const me = await new ModelyardClient({ baseUrl: `${baseUrl}/`, token: 'tok-123' }).me();
    expect(me.user.name).toBe('admin');
    expect(last().method).toBe('GET');
    expect(last().url).toBe('/api/v1/me');
    expect(last().headers.authorization).toBe('Bearer tok-123');
    expect(last().headers.accept).toBe('application/json');
  });

  it('sends no Authorization header without a token', async () => {
    await new ModelyardClient({ baseUrl }).health();
    expect(last().url).toBe('/healthz');
    expect(last().headers.authorization).toBeUndefined();
  });

  it('sends JSON bodies with a JSON content type', async () => {
    handler = () => ({ status: 201, json: { id: 'run_1' } });
    const client = new ModelyardClient({ baseUrl, token: 't' });
    await client.createRun('demo', { dataset: 'credit', target: 'Status', task: 'classification', algorithm: 'glm' });
    expect(last().method).toBe('POST');
    expect(last().url).toBe('/api/v1/projects/demo/runs');
    expect(last().headers['content-type']).toBe('application/json');
    expect(JSON.parse(last().body.toString())).toEqual({
      dataset: 'credit',
      target: 'Status',
      task: 'classification',
      algorithm: 'glm',
    });
  });

  it('URL-encodes every path segment', async () => {
    const client = new ModelyardClient({ baseUrl, token: 't' });
    await client.getProject('a b/../c?d#e');
    expect(last().url).toBe('/api/v1/projects/a%20b%2F..%2Fc%3Fd%23e');
    await client.setAlias('mdl/1', 'cham pion', 3);
    expect(last().method).toBe('PUT');
    expect(last().url).toBe('/api/v1/models/mdl%2F1/aliases/cham%20pion');
    expect(JSON.parse(last().body.toString())).toEqual({ version: 3 });
  });

  it('passes list queries and leaves out undefined ones', async () => {
    handler = () => ({ status: 200, json: { items: [], nextCursor: null } });
    const client = new ModelyardClient({ baseUrl, token: 't' });
    await client.listRuns('demo', { limit: 10, cursor: 'c/1=' });
    expect(last().url).toBe('/api/v1/projects/demo/runs?limit=10&cursor=c%2F1%3D');
    await client.listRuns('demo');
    expect(last().url).toBe('/api/v1/projects/demo/runs');
    await client.listAudit({ project: 'demo' });
    expect(last().url).toBe('/api/v1/audit?project=demo');
  });

  it('answers undefined for 204', async () => {
    handler = () => ({ status: 204 });
    const client = new ModelyardClient({ baseUrl, token: 't' });
    await expect(client.removeMember('demo', 'usr_1')).resolves.toBeUndefined();
    expect(last().method).toBe('DELETE');
    expect(last().url).toBe('/api/v1/projects/demo/members/usr_1');
  });

  it('predicts with a records body', async () => {
    handler = () => ({ status: 200, json: { predictions: [{ value: 1 }], model: 'm', modelVersion: 1 } });
    const client = new ModelyardClient({ baseUrl, token: 't' });
    const res = await client.predict('ep_1', [{ x: 1, c: 'a', m: null }]);
    expect(res.predictions).toEqual([{ value: 1 }]);
    expect(JSON.parse(last().body.toString())).toEqual({ records: [{ x: 1, c: 'a', m: null }] });
  });

  it('returns snapshot bytes untouched', async () => {
    handler = () => ({ status: 200, text: 'PAR1\u0001', contentType: 'application/octet-stream' });
    const bytes = await new ModelyardClient({ baseUrl, token: 't' }).getDatasetSnapshot('ds_1', 'abc');
    expect(last().url).toBe('/api/v1/datasets/ds_1/versions/abc/snapshot');
    expect(Array.from(bytes)).toEqual([0x50, 0x41, 0x52, 0x31, 0x01]);
  });

  it('uses an injected fetch', async () => {
    const calls: string[] = [];
    const fake: typeof fetch = async (input) => {
      calls.push(String(input));
      return new Response(JSON.stringify({ status: 'ok' }), { status: 200 });
    };
    await new ModelyardClient({ baseUrl: 'http://example.test', fetch: fake }).ready();
    expect(calls).toEqual(['http://example.test/readyz']);
  });
});

describe('multipart uploads', () => {
  it('sends file, name and description fields', async () => {
    handler = () => ({ status: 201, json: { id: 'ds_1', name: 'credit' } });
    const client = new ModelyardClient({ baseUrl, token: 't' });
    const data = new TextEncoder().encode('a,b\n1,2\n');
    const ds = await client.createDatasetFromFile('my proj', {
      name: 'credit',
      data,
      filename: 'credit.csv',
      description: 'loans',
    });
    expect(ds.id).toBe('ds_1');
    const req = last();
    expect(req.url).toBe('/api/v1/projects/my%20proj/datasets');
    const type = req.headers['content-type'] ?? '';
    expect(type).toMatch(/^multipart\/form-data; boundary=/);
    // Parse the body back with the runtime's own multipart reader.
    const form = await new Response(new Uint8Array(req.body), { headers: { 'content-type': type } }).formData();
    expect(form.get('name')).toBe('credit');
    expect(form.get('description')).toBe('loans');
    const file = form.get('file');
    expect(file).toBeInstanceOf(Blob);
    expect((file as File).name).toBe('credit.csv');
    expect(await (file as File).text()).toBe('a,b\n1,2\n');
  });

  it('accepts a Blob and leaves out a missing description', async () => {
    handler = () => ({ status: 200, json: { id: 'ds_1' } });
    const client = new ModelyardClient({ baseUrl, token: 't' });
    await client.createDatasetFromFile('demo', { name: 'd', data: new Blob(['x\n1\n']), filename: 'd.csv' });
    const form = await new Response(new Uint8Array(last().body), {
      headers: { 'content-type': last().headers['content-type'] ?? '' },
    }).formData();
    expect(form.has('description')).toBe(false);
    expect(await (form.get('file') as File).text()).toBe('x\n1\n');
  });

  it('registers a server path as JSON', async () => {
    handler = () => ({ status: 201, json: { id: 'ds_2' } });
    const client = new ModelyardClient({ baseUrl, token: 't' });
    await client.createDatasetFromPath('demo', { name: 'd', path: '/data/d.csv' });
    expect(last().headers['content-type']).toBe('application/json');
    expect(JSON.parse(last().body.toString())).toEqual({ name: 'd', path: '/data/d.csv' });
  });
});

describe('errors', () => {
  it('maps the error body to an ApiError', async () => {
    handler = () => ({
      status: 404,
      json: { error: { code: 'dataset_not_found', message: "No dataset 'x'.", details: { dataset: 'x' } } },
    });
    const err = await new ModelyardClient({ baseUrl, token: 't' }).getDataset('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({
      status: 404,
      code: 'dataset_not_found',
      message: "No dataset 'x'.",
      details: { dataset: 'x' },
    });
  });

  it('codes a non-JSON error body http_<status>', async () => {
    handler = () => ({ status: 502, text: '<html>Bad Gateway</html>' });
    const err = (await new ModelyardClient({ baseUrl }).me().catch((e: unknown) => e)) as ApiError;
    expect(err.status).toBe(502);
    expect(err.code).toBe('http_502');
    expect(err.message).toContain('/api/v1/me');
    expect(err.message).toContain('Bad Gateway');
    expect(err.details).toBeUndefined();
  });

  it('codes a JSON body that is not an error body http_<status>', async () => {
    handler = () => ({ status: 500, json: { message: 'oops' } });
    const err = (await new ModelyardClient({ baseUrl }).me().catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe('http_500');
  });

  it('codes a network failure network_error with status 0 and names the URL', async () => {
    // A port that was just free: nothing listens there.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const err = (await new ModelyardClient({ baseUrl: `http://127.0.0.1:${port}` })
      .me()
      .catch((e: unknown) => e)) as ApiError;
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBe(0);
    expect(err.code).toBe('network_error');
    expect(err.message).toContain(`http://127.0.0.1:${port}/api/v1/me`);
    expect(err.message).toMatch(/ECONNREFUSED/);
  });

  it('codes a 2xx answer that is not JSON invalid_response', async () => {
    handler = () => ({ status: 200, text: 'hello' });
    const err = (await new ModelyardClient({ baseUrl }).me().catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe('invalid_response');
  });
});

describe('pagination', () => {
  it('follows nextCursor through every page', async () => {
    const pages: Record<string, Page<{ id: number }>> = {
      '': { items: [{ id: 1 }, { id: 2 }], nextCursor: 'p2' },
      p2: { items: [{ id: 3 }], nextCursor: 'p3' },
      p3: { items: [], nextCursor: null },
    };
    handler = (req) => {
      const cursor = new URL(req.url, baseUrl).searchParams.get('cursor') ?? '';
      return { status: 200, json: pages[cursor] };
    };
    const client = new ModelyardClient({ baseUrl, token: 't' });
    const ids: number[] = [];
    for await (const item of client.paginate((p) => client.listDatasets('demo', { ...p, limit: 2 }))) {
      ids.push((item as unknown as { id: number }).id);
    }
    expect(ids).toEqual([1, 2, 3]);
    expect(seen.map((s) => s.url)).toEqual([
      '/api/v1/projects/demo/datasets?limit=2',
      '/api/v1/projects/demo/datasets?cursor=p2&limit=2',
      '/api/v1/projects/demo/datasets?cursor=p3&limit=2',
    ]);
  });
});

describe('waitForRun', () => {
  it('polls until the run succeeds and reports every state', async () => {
    const states = [run('queued', 0), run('running', 0.5), run('succeeded', 1)];
    handler = () => ({ status: 200, json: states.shift() ?? run('succeeded', 1) });
    const client = new ModelyardClient({ baseUrl, token: 't' });
    const progress: string[] = [];
    const final = await client.waitForRun('run_1', { intervalMs: 5, onProgress: (r) => progress.push(r.status) });
    expect(final.status).toBe('succeeded');
    expect(final.metrics.auc).toBe(0.9);
    expect(progress).toEqual(['queued', 'running', 'succeeded']);
    expect(seen.every((s) => s.url === '/api/v1/runs/run_1')).toBe(true);
  });

  it('answers a failed run without throwing', async () => {
    handler = () => ({ status: 200, json: run('failed', 0.3) });
    const final = await new ModelyardClient({ baseUrl, token: 't' }).waitForRun('run_1', { intervalMs: 5 });
    expect(final.status).toBe('failed');
    expect(final.error?.code).toBe('training_failed');
  });

  it('throws a timeout ApiError when the run does not finish in time', async () => {
    handler = () => ({ status: 200, json: run('running', 0.1) });
    const err = (await new ModelyardClient({ baseUrl, token: 't' })
      .waitForRun('run_1', { intervalMs: 5, timeoutMs: 30 })
      .catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe('timeout');
    expect(err.status).toBe(0);
  });

  it('passes API errors through', async () => {
    handler = () => ({ status: 404, json: { error: { code: 'run_not_found', message: "No run 'x'." } } });
    const err = (await new ModelyardClient({ baseUrl, token: 't' })
      .waitForRun('x', { intervalMs: 5 })
      .catch((e: unknown) => e)) as ApiError;
    expect(err.code).toBe('run_not_found');
  });
});
