// The whole server on PostgreSQL metadata: seed, train, predict, restart, and find everything again.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../packages/server/src/store/test-databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let database: { url: string; drop(): Promise<void> };
let server: TestServer | undefined;

const get = async (path: string, token: string) => {
  const response = await fetch(`${server!.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

beforeAll(async () => {
  database = await createPostgresDatabase();
});

afterAll(async () => {
  await server?.close();
  await database?.drop();
});

describe('server on PostgreSQL', () => {
  it('seeds and serves the demo, then finds it again after a restart', async () => {
    server = await startTestServer({ databaseUrl: database.url });
    expect(server.server.services.store.dialect).toBe('postgres');
    const runs = await get('/api/v1/projects/demo/runs', server.token);
    const [run] = runs.body.items as { id: string; status: string; metrics: Record<string, number> }[];
    expect(run?.status).toBe('succeeded');
    expect(run!.metrics.auc).toBeGreaterThan(0.75);

    const endpoints = await get('/api/v1/projects/demo/endpoints', server.token);
    const [endpoint] = endpoints.body.items as { id: string; modelVersion: number }[];
    const record = {
      Seniority: 1,
      Home: 'owner',
      Time: 36,
      Age: 40,
      Marital: 'married',
      Records: 'no',
      Job: 'fixed',
      Expenses: 60,
      Income: 200,
      Assets: 5000,
      Debt: 0,
      Amount: 900,
      Price: 1500,
    };
    const predict = async () => {
      const response = await fetch(`${server!.url}/api/v1/endpoints/${endpoint!.id}/predict`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server!.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ records: [record] }),
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as { predictions: { probabilities: Record<string, number> }[] }).predictions[0]!;
    };
    const before = await predict();

    const dataDir = server.dataDir;
    await server.close();
    server = await startTestServer({ dataDir, databaseUrl: database.url });
    const again = await get(`/api/v1/runs/${run!.id}`, server.token);
    expect(again.body.metrics).toEqual(run!.metrics);
    expect(await predict()).toEqual(before);
    const audit = await get('/api/v1/audit?limit=100', server.token);
    expect((audit.body.items as { action: string }[]).map((e) => e.action)).toContain('endpoint.create');
  });
});
