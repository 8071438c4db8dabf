// The golden path with tree models: gradient-boosted trees and forests, trained through the API, registered, served.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardClient, ApiError, type Run } from '@modelyard/client';
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

async function train(
  target: string,
  params: Record<string, number | string | boolean>,
  algorithm: 'gbdt' | 'forest' | 'glm' = 'gbdt',
): Promise<Run> {
  const run = await client.createRun('demo', {
    dataset: 'credit_data',
    target,
    task: 'classification',
    algorithm,
    params,
  });
  return client.waitForRun(run.id, { intervalMs: 100, timeoutMs: 120_000 });
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

describe('gbdt runs', () => {
  it('trains a binary GBDT that beats the GLM baseline, registers it and serves it', async () => {
    const run = await train('Status', { nTrees: 60, maxDepth: 4, learningRate: 0.1 });
    expect(run.status).toBe('succeeded');
    expect(run.algorithm).toBe('gbdt');
    expect(run.metrics.auc).toBeGreaterThan(0.8);
    expect(run.metrics.logloss).toBeLessThan(0.5);

    const model = await client.createModel('demo', { name: 'credit-gbdt' });
    const version = await client.registerModelVersion(model.id, run.id);
    await client.setAlias(model.id, 'champion', version.version);
    const endpoint = await client.createEndpoint('demo', { name: 'credit-gbdt', model: 'credit-gbdt@champion' });
    const answer = await client.predict(endpoint.id, await creditRecords(5));
    expect(answer.predictions).toHaveLength(5);
    for (const p of answer.predictions) {
      if (!('probabilities' in p)) throw new Error('expected a class prediction');
      expect(['good', 'bad']).toContain(p.label);
      expect(p.probabilities.good! + p.probabilities.bad!).toBeCloseTo(1, 12);
    }
  });

  it('trains a multiclass GBDT, and a multinomial GLM on the same target', async () => {
    const run = await train('Home', { nTrees: 20, maxDepth: 3 });
    expect(run.status).toBe('succeeded');
    expect(run.metrics.accuracy).toBeGreaterThan(0.4);
    expect(run.metrics.logloss).toBeGreaterThan(0);
    const glm = await train('Home', { lambdaSearch: true, nLambdas: 8, alpha: 0.5 }, 'glm');
    expect(glm.status).toBe('succeeded');
    expect(glm.metrics.accuracy).toBeGreaterThan(0.4);
    expect(glm.metrics.auc_ovr).toBeGreaterThan(0.5);

    const model = await client.createModel('demo', { name: 'home-glm' });
    const version = await client.registerModelVersion(model.id, glm.id);
    await client.setAlias(model.id, 'champion', version.version);
    const endpoint = await client.createEndpoint('demo', { name: 'home-glm', model: 'home-glm@champion' });
    const records = (await creditRecords(3)).map(({ Home: _home, ...rest }) => ({ ...rest, Status: 'good' }));
    const answer = await client.predict(endpoint.id, records);
    expect(answer.predictions).toHaveLength(3);
    for (const p of answer.predictions) {
      if (!('probabilities' in p)) throw new Error('expected a class prediction');
      const probabilities = Object.values(p.probabilities);
      expect(probabilities.length).toBeGreaterThan(2);
      expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(Object.keys(p.probabilities)).toContain(p.label);
    }
  });

  it('refuses parameters GBDT does not take or values out of range', async () => {
    const create = (params: Record<string, number | string>) =>
      codeOf(
        client.createRun('demo', {
          dataset: 'credit_data',
          target: 'Status',
          task: 'classification',
          algorithm: 'gbdt',
          params,
        }),
      );
    expect(await create({ nTrees: 0 })).toBe('invalid_param');
    expect(await create({ growPolicy: 'sideways' })).toBe('invalid_param');
    expect(await create({ tolerance: 0.01 })).toBe('unknown_param');
  });

  it('trains a random forest and extremely randomized trees, and serves the forest', async () => {
    const forest = await train('Status', { nTrees: 40, minSamplesLeaf: 5, maxFeatures: 'sqrt' }, 'forest');
    expect(forest.status).toBe('succeeded');
    expect(forest.metrics.auc).toBeGreaterThan(0.78);
    const extra = await train('Status', { nTrees: 40, minSamplesLeaf: 5, extraTrees: true }, 'forest');
    expect(extra.status).toBe('succeeded');
    expect(extra.metrics.auc).toBeGreaterThan(0.75);
    expect(
      await codeOf(
        client.createRun('demo', {
          dataset: 'credit_data',
          target: 'Status',
          task: 'classification',
          algorithm: 'forest',
          params: { maxFeatures: 'all' },
        }),
      ),
    ).toBe('invalid_param');

    const model = await client.createModel('demo', { name: 'credit-forest' });
    const version = await client.registerModelVersion(model.id, forest.id);
    const endpoint = await client.createEndpoint('demo', {
      name: 'credit-forest',
      model: `credit-forest@${version.version}`,
    });
    const answer = await client.predict(endpoint.id, await creditRecords(3));
    expect(answer.predictions).toHaveLength(3);
    for (const p of answer.predictions) {
      if (!('probabilities' in p)) throw new Error('expected a class prediction');
      expect(p.probabilities.good! + p.probabilities.bad!).toBeCloseTo(1, 12);
    }
  });
});
