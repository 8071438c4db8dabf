// Bad input and forbidden access over raw HTTP: each answered with a 4xx, a stable code, and nothing half-written.

import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let ids: { dataset: string; run: string; model: string; endpoint: string; version: string };
let bobToken: string;
let carolToken: string;

interface Answer {
  status: number;
  body: { error?: { code: string; message: string; details?: Record<string, unknown> } } & Record<string, unknown>;
}

async function call(method: string, path: string, token: string | null, body?: unknown): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (token !== null) headers.authorization = `Bearer ${token}`;
  let payload: string | FormData | undefined;
  if (body instanceof FormData) payload = body;
  else if (typeof body === 'string') {
    headers['content-type'] = 'application/json';
    payload = body;
  } else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const response = await fetch(`${server.url}${path}`, { method, headers, body: payload ?? null });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Answer['body']) : {} };
}

const admin = (method: string, path: string, body?: unknown) => call(method, path, server.token, body);

function upload(name: string, filename: string, content: string): FormData {
  const form = new FormData();
  form.append('name', name);
  form.append('file', new Blob([content], { type: 'text/csv' }), filename);
  return form;
}

function expectError(answer: Answer, status: number, code: string): void {
  expect({ status: answer.status, code: answer.body.error?.code }).toEqual({ status, code });
  expect(answer.body.error?.message).toMatch(/\S/);
}

const RECORD = {
  Seniority: 9,
  Home: 'rent',
  Time: 60,
  Age: 30,
  Marital: 'married',
  Records: 'no',
  Job: 'freelance',
  Expenses: 73,
  Income: 129,
  Assets: 0,
  Debt: 0,
  Amount: 800,
  Price: 846,
};

beforeAll(async () => {
  server = await startTestServer();
  const runs = await admin('GET', '/api/v1/projects/demo/runs');
  const models = await admin('GET', '/api/v1/projects/demo/models');
  const endpoints = await admin('GET', '/api/v1/projects/demo/endpoints');
  const datasets = await admin('GET', '/api/v1/projects/demo/datasets');
  const first = (a: Answer) => (a.body.items as { id: string }[])[0]!.id;
  const ds = (datasets.body.items as { id: string; latestVersion: { version: string } }[])[0]!;
  ids = {
    dataset: ds.id,
    version: ds.latestVersion.version,
    run: first(runs),
    model: first(models),
    endpoint: first(endpoints),
  };

  const bob = await admin('POST', '/api/v1/users', { name: 'bob' });
  bobToken = (await admin('POST', `/api/v1/users/${bob.body.id as string}/tokens`, { name: 't' })).body.token as string;
  const carol = await admin('POST', '/api/v1/users', { name: 'carol' });
  carolToken = (await admin('POST', `/api/v1/users/${carol.body.id as string}/tokens`, { name: 't' })).body
    .token as string;
  await admin('PUT', `/api/v1/projects/demo/members/${carol.body.id as string}`, { role: 'viewer' });
  expect((await call('POST', '/api/v1/projects', bobToken, { name: 'bobs' })).status).toBe(201);
});

afterAll(async () => {
  await server?.close();
});

describe('authentication', () => {
  it('rejects a missing, malformed or unknown token with 401', async () => {
    expectError(await call('GET', '/api/v1/me', null), 401, 'unauthenticated');
    expectError(await call('GET', '/api/v1/projects', 'not-a-real-token'), 401, 'unauthenticated');
    const raw = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: 'Basic abc' } });
    expect(raw.status).toBe(401);
  });

  it('shows a new token once and keeps only its hash', async () => {
    const me = await call('GET', '/api/v1/me', bobToken);
    expect(me.status).toBe(200);
    expect((me.body.user as { name: string }).name).toBe('bob');
    expect(JSON.stringify(await admin('GET', '/api/v1/audit?limit=500'))).not.toContain(bobToken);
  });
});

describe('datasets', () => {
  it('reports a malformed CSV with its line number and registers nothing', async () => {
    const csv = 'a,b,c\n1,2,3\n4,5,6\n7,8,9\n10,11,12\n13,14,15\n16,17,18,19\n20,21,22\n';
    const answer = await admin('POST', '/api/v1/projects/demo/datasets', upload('broken', 'broken.csv', csv));
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.status).toBeLessThan(500);
    expect(answer.body.error?.code).toBe('invalid_csv');
    expect(answer.body.error?.details?.line).toBe(7);
    const list = await admin('GET', '/api/v1/projects/demo/datasets');
    expect((list.body.items as { name: string }[]).map((d) => d.name)).not.toContain('broken');
  });

  it('rejects an empty file and a header-only file', async () => {
    for (const content of ['', 'a,b,c\n']) {
      const answer = await admin('POST', '/api/v1/projects/demo/datasets', upload('empty', 'empty.csv', content));
      expect(answer.body.error?.code).toBe('empty_dataset');
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
    }
    const list = await admin('GET', '/api/v1/projects/demo/datasets');
    expect((list.body.items as { name: string }[]).map((d) => d.name)).not.toContain('empty');
  });

  it('refuses server paths that climb out of the allowed roots, by ../ or by symlink', async () => {
    const outside = join(tmpdir(), `modelyard-outside-${process.pid}.csv`);
    await writeFile(outside, 'a,b\n1,2\n');
    const imports = join(server.dataDir, 'imports');
    await mkdir(imports, { recursive: true });
    await symlink(outside, join(imports, 'escape.csv'));
    await writeFile(join(imports, 'fine.csv'), 'a,b\n1,2\n3,4\n');
    for (const path of [
      join(imports, '..', '..', '..', 'etc', 'passwd'),
      '../../etc/passwd',
      join(imports, 'escape.csv'),
      outside,
    ]) {
      expectError(
        await admin('POST', '/api/v1/projects/demo/datasets', { name: 'escape', path }),
        400,
        'path_not_allowed',
      );
    }
    const fine = await admin('POST', '/api/v1/projects/demo/datasets', {
      name: 'fine',
      path: join(imports, 'fine.csv'),
    });
    expect(fine.status).toBe(201);
    expect((fine.body.latestVersion as { rows: number }).rows).toBe(2);
    const again = await admin('POST', '/api/v1/projects/demo/datasets', {
      name: 'fine',
      path: join(imports, 'fine.csv'),
    });
    expect(again.status).toBe(200);
    expect((again.body.latestVersion as { version: string }).version).toBe(
      (fine.body.latestVersion as { version: string }).version,
    );
  });
});

describe('training', () => {
  it('rejects an unknown target column before queueing anything', async () => {
    const before = (await admin('GET', '/api/v1/projects/demo/runs?limit=500')).body.items as unknown[];
    const answer = await admin('POST', '/api/v1/projects/demo/runs', {
      dataset: 'credit_data',
      target: 'NoSuchColumn',
      task: 'classification',
      algorithm: 'glm',
    });
    expectError(answer, 400, 'unknown_target');
    expect(answer.body.error?.details?.columns).toContain('Status');
    const after = (await admin('GET', '/api/v1/projects/demo/runs?limit=500')).body.items as unknown[];
    expect(after.length).toBe(before.length);
  });

  it('rejects a target with one class', async () => {
    const csv = 'x,y\n' + Array.from({ length: 30 }, (_, i) => `${i},same`).join('\n') + '\n';
    expect((await admin('POST', '/api/v1/projects/demo/datasets', upload('oneclass', 'one.csv', csv))).status).toBe(
      201,
    );
    const answer = await admin('POST', '/api/v1/projects/demo/runs', {
      dataset: 'oneclass',
      target: 'y',
      task: 'classification',
      algorithm: 'glm',
    });
    expectError(answer, 422, 'single_class_target');
  });

  it('rejects bad bodies, unknown parameters and unknown algorithms', async () => {
    expectError(await admin('POST', '/api/v1/projects/demo/runs', '{"dataset":'), 400, 'invalid_json');
    expectError(
      await admin('POST', '/api/v1/projects/demo/runs', {
        dataset: 'credit_data',
        target: 'Status',
        task: 'classification',
        algorithm: 'xgboost',
      }),
      400,
      'invalid_request',
    );
    expectError(
      await admin('POST', '/api/v1/projects/demo/runs', {
        dataset: 'credit_data',
        target: 'Status',
        task: 'classification',
        algorithm: 'glm',
        params: { lamda: 1 },
      }),
      400,
      'unknown_param',
    );
    expectError(
      await admin('POST', '/api/v1/projects/demo/runs', {
        dataset: 'credit_data',
        target: 'Status',
        task: 'regression',
        algorithm: 'glm',
      }),
      422,
      'target_not_numeric',
    );
  });
});

describe('prediction', () => {
  const predict = (records: unknown[]) => admin('POST', `/api/v1/endpoints/${ids.endpoint}/predict`, { records });

  it('answers a good record and logs it', async () => {
    const answer = await predict([RECORD]);
    expect(answer.status).toBe(200);
    const [prediction] = answer.body.predictions as { label: string; probabilities: Record<string, number> }[];
    expect(['good', 'bad']).toContain(prediction!.label);
    expect(prediction!.probabilities.good! + prediction!.probabilities.bad!).toBeCloseTo(1, 12);
  });

  it('rejects a missing, an extra and a wrong-typed field, logging nothing', async () => {
    const logged = async () =>
      ((await admin('GET', `/api/v1/endpoints/${ids.endpoint}/requests?limit=500`)).body.items as unknown[]).length;
    const before = await logged();
    const { Price: _price, ...missing } = RECORD;
    const cases: [Record<string, unknown>, string, string][] = [
      [missing, 'Price', 'missing'],
      [{ ...RECORD, Shoe: 42 }, 'Shoe', 'unexpected'],
      [{ ...RECORD, Income: 'lots' }, 'Income', 'wrong_type'],
    ];
    for (const [record, field, problem] of cases) {
      const answer = await predict([RECORD, record]);
      expectError(answer, 400, 'invalid_records');
      expect(answer.body.error?.details?.issues).toContainEqual(expect.objectContaining({ row: 1, field, problem }));
    }
    expectError(await predict([]), 400, 'invalid_request');
    expectError(
      await admin('POST', `/api/v1/endpoints/${ids.endpoint}/predict`, { rows: [RECORD] }),
      400,
      'invalid_request',
    );
    expect(await logged()).toBe(before);
  });
});

describe('unknown ids', () => {
  it('answers 404 with the object type in the code', async () => {
    expectError(await admin('GET', '/api/v1/runs/run_nope'), 404, 'run_not_found');
    expectError(await admin('GET', '/api/v1/datasets/ds_nope'), 404, 'dataset_not_found');
    expectError(await admin('GET', '/api/v1/models/mdl_nope'), 404, 'model_not_found');
    expectError(await admin('GET', '/api/v1/endpoints/ep_nope'), 404, 'endpoint_not_found');
    expectError(await admin('GET', '/api/v1/projects/nope/runs'), 404, 'project_not_found');
    expectError(
      await admin('POST', '/api/v1/endpoints/ep_nope/predict', { records: [RECORD] }),
      404,
      'endpoint_not_found',
    );
    expectError(
      await admin('POST', '/api/v1/projects/demo/endpoints', { name: 'x', model: 'nope@champion' }),
      404,
      'model_not_found',
    );
    expectError(await admin('GET', '/api/v1/nothing-here'), 404, 'route_not_found');
  });
});

describe('project roles', () => {
  it('lets a viewer read but not write', async () => {
    expect((await call('GET', `/api/v1/runs/${ids.run}`, carolToken)).status).toBe(200);
    expect(
      (await call('POST', `/api/v1/endpoints/${ids.endpoint}/predict`, carolToken, { records: [RECORD] })).status,
    ).toBe(200);
    const writes: [string, string, unknown][] = [
      ['POST', '/api/v1/projects/demo/datasets', upload('viewer-data', 'v.csv', 'a,b\n1,2\n')],
      [
        'POST',
        '/api/v1/projects/demo/runs',
        { dataset: 'credit_data', target: 'Status', task: 'classification', algorithm: 'glm' },
      ],
      ['POST', '/api/v1/projects/demo/models', { name: 'viewer-model' }],
      ['POST', `/api/v1/models/${ids.model}/versions`, { run: ids.run }],
      ['PUT', `/api/v1/models/${ids.model}/aliases/champion`, { version: 1 }],
      ['POST', '/api/v1/projects/demo/endpoints', { name: 'viewer-ep', model: 'credit-glm@champion' }],
      ['PUT', `/api/v1/projects/demo/members/${ids.run}`, { role: 'admin' }],
    ];
    for (const [method, path, body] of writes)
      expectError(await call(method, path, carolToken, body), 403, 'forbidden');
  });

  it("hides another project's objects from a member of a different project", async () => {
    const reads: [string, string][] = [
      [`/api/v1/datasets/${ids.dataset}`, 'dataset_not_found'],
      [`/api/v1/datasets/${ids.dataset}/versions/${ids.version}/snapshot`, 'dataset_not_found'],
      [`/api/v1/runs/${ids.run}`, 'run_not_found'],
      [`/api/v1/runs/${ids.run}/artifact`, 'run_not_found'],
      [`/api/v1/models/${ids.model}`, 'model_not_found'],
      [`/api/v1/endpoints/${ids.endpoint}`, 'endpoint_not_found'],
      [`/api/v1/endpoints/${ids.endpoint}/requests`, 'endpoint_not_found'],
      ['/api/v1/projects/demo/datasets', 'project_not_found'],
    ];
    for (const [path, code] of reads) expectError(await call('GET', path, bobToken), 404, code);
    expectError(
      await call('POST', `/api/v1/endpoints/${ids.endpoint}/predict`, bobToken, { records: [RECORD] }),
      404,
      'endpoint_not_found',
    );
    expectError(
      await call('POST', '/api/v1/projects/bobs/runs', bobToken, {
        dataset: ids.dataset,
        target: 'Status',
        task: 'classification',
        algorithm: 'glm',
      }),
      404,
      'dataset_not_found',
    );
    expect(
      ((await call('GET', '/api/v1/projects', bobToken)).body.items as { name: string }[]).map((p) => p.name),
    ).toEqual(['bobs']);
    expectError(await call('GET', '/api/v1/audit', bobToken), 403, 'forbidden');
  });
});
