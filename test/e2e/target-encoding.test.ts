// Target encoding and bad training data through the API: the option reaches every trainer, the encoding travels in
// the stored artifact and serves unseen categories, and data no model can learn from fails the run with its code.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, ModelyardClient, type Run } from '@modelyard/client';
import type { ModelArtifact } from '@modelyard/engine';
import { creditRecords } from '../helpers/golden-data.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let client: ModelyardClient;

beforeAll(async () => {
  server = await startTestServer();
  client = new ModelyardClient({ baseUrl: server.url, token: server.token });
});

afterAll(async () => {
  await server?.close();
});

const WAIT = { intervalMs: 100, timeoutMs: 120_000 };

async function train(
  dataset: string,
  body: { target: string; task: 'classification' | 'regression'; algorithm: 'glm' | 'gbdt' | 'forest' },
  params: Record<string, number | string | boolean>,
): Promise<Run> {
  const run = await client.createRun('demo', { dataset, ...body, params });
  return client.waitForRun(run.id, WAIT);
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error.code;
    throw error;
  }
  return 'no error';
}

async function upload(name: string, csv: string): Promise<string> {
  const dataset = await client.createDatasetFromFile('demo', {
    name,
    data: new Blob([csv]),
    filename: `${name}.csv`,
  });
  return dataset.id;
}

describe('target encoding through the API', () => {
  it('trains every algorithm with target-encoded categories and serves unseen ones', async () => {
    const credit = { target: 'Status', task: 'classification' as const };
    const params = { categoricalEncoding: 'target', targetSmoothing: 5 };
    const runs = await Promise.all([
      train('credit_data', { ...credit, algorithm: 'glm' }, params),
      train('credit_data', { ...credit, algorithm: 'gbdt' }, { ...params, nTrees: 30 }),
      train('credit_data', { ...credit, algorithm: 'forest' }, { ...params, nTrees: 20, minSamplesLeaf: 5 }),
    ]);
    for (const run of runs) {
      expect(run.status).toBe('succeeded');
      expect(run.metrics.auc).toBeGreaterThan(0.75);
      const artifact = await client.getRunArtifact<ModelArtifact>(run.id);
      const encoding = artifact.preprocessing.targetEncoding;
      expect(encoding?.smoothing).toBe(5);
      expect(encoding?.columns.map((c) => c.feature)).toEqual(['Home', 'Marital', 'Records', 'Job']);
      expect(artifact.features.find((f) => f.name === 'Home')?.type).toBe('category');
    }

    const gbdt = runs[1]!;
    const model = await client.createModel('demo', { name: 'credit-target-encoded' });
    const version = await client.registerModelVersion(model.id, gbdt.id);
    const endpoint = await client.createEndpoint('demo', {
      name: 'credit-target-encoded',
      model: `credit-target-encoded@${version.version}`,
    });
    const [record] = await creditRecords(1);
    const answer = await client.predict(endpoint.id, [
      record!,
      { ...record!, Home: 'castle' },
      { ...record!, Home: null },
    ]);
    const [, unseen, missing] = answer.predictions;
    // Unseen and missing categories both take the prior.
    expect(unseen).toEqual(missing);
    expect(unseen).toMatchObject({ label: expect.any(String) });
  });

  it('refuses an encoding option outside its range before queuing', async () => {
    const create = (params: Record<string, string | number>) =>
      codeOf(
        client.createRun('demo', {
          dataset: 'credit_data',
          target: 'Status',
          task: 'classification',
          algorithm: 'forest',
          params,
        }),
      );
    expect(await create({ categoricalEncoding: 'onehot' })).toBe('invalid_param');
    expect(await create({ targetSmoothing: 'high' })).toBe('invalid_param');
    expect(await create({ targetFolds: 1 })).toBe('invalid_param');
  });
});

describe('bad training data fails the run with a clear code', () => {
  it('a constant regression target: constant_target', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `${i},7`);
    const dataset = await upload('constant-target', ['x,y', ...rows].join('\n'));
    const run = await train(dataset, { target: 'y', task: 'regression', algorithm: 'gbdt' }, { nTrees: 5 });
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('constant_target');
    expect(run.error?.message).toContain('"y"');
  });

  it('only all-missing features: no_usable_features', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => `,${i % 5}`);
    const dataset = await upload('empty-feature', ['x,y', ...rows].join('\n'));
    const run = await train(dataset, { target: 'y', task: 'regression', algorithm: 'forest' }, { nTrees: 5 });
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('no_usable_features');
    expect(run.error?.message).toContain('"x"');
  });
});
