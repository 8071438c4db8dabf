// Search through the SDK on the demo project: ranking, column hits, kinds, paging, literal wildcards, bad input, and
// governance: a project's members never see another project's objects, even searching their exact names.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardClient, type SearchHit, type SearchKind, type SearchQuery } from '@modelyard/client';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { apiFailure, userClient } from '../helpers/api-calls.js';

let server: TestServer;
let admin: ModelyardClient;
let demoViewer: ModelyardClient;
let rivalViewer: ModelyardClient;
let loner: ModelyardClient;
let demoDatasetId: string;

const brief = (h: SearchHit): string => `${h.kind} ${h.name} ${h.match}`;
const hits = async (client: ModelyardClient, query: SearchQuery): Promise<SearchHit[]> =>
  (await client.search(query)).items;

beforeAll(async () => {
  server = await startTestServer();
  admin = new ModelyardClient({ baseUrl: server.url, token: server.token });
  demoDatasetId = (await admin.listDatasets('demo')).items[0]!.id;
  await admin.createModel('demo', { name: 'credit-glm-challenger' });
  await admin.createModel('demo', { name: 'wild', description: 'grows 100% on a_b' });

  // Another project holding objects with the demo's exact names, and one of its own.
  await admin.createProject({ name: 'rival', description: 'credit rival' });
  const csv = 'Income,Secret_col\n1,2\n3,4\n';
  await admin.createDatasetFromFile('rival', {
    name: 'credit_data',
    data: new TextEncoder().encode(csv),
    filename: 'credit_data.csv',
    description: 'rival copy',
  });
  await admin.createModel('rival', { name: 'credit-glm', description: 'grows 100% on a_b too' });
  await admin.createModel('rival', { name: 'rival-only' });

  demoViewer = await userClient(admin, server.url, 'dora', { project: 'demo', role: 'viewer' });
  rivalViewer = await userClient(admin, server.url, 'ralf', { project: 'rival', role: 'viewer' });
  loner = await userClient(admin, server.url, 'lonnie', null);
}, 180_000);

afterAll(async () => {
  await server?.close();
});

describe('search', () => {
  it('ranks exact names before prefixes before contained names', async () => {
    expect((await hits(demoViewer, { q: 'CREDIT-GLM' })).map(brief)).toEqual([
      'model credit-glm name',
      'model credit-glm-challenger prefix',
      'run demo-credit-glm contains',
    ]);
  });

  it('breaks ties by kind order, and puts name matches before description matches', async () => {
    expect((await hits(demoViewer, { q: 'credit' })).map(brief)).toEqual([
      'dataset credit_data prefix',
      'model credit-glm prefix',
      'model credit-glm-challenger prefix',
      'endpoint credit-scoring prefix',
      'run demo-credit-glm contains',
    ]);
    const scoring = await hits(demoViewer, { q: 'scoring' });
    expect(scoring.map(brief)).toEqual(['endpoint credit-scoring contains', 'dataset credit_data description']);
    expect(scoring[1]!.snippet).toMatch(/Credit scoring/);
    expect(scoring[0]!.snippet).toBeUndefined();
  });

  it('finds columns of the latest dataset version, with the dataset id and name', async () => {
    const found = await hits(demoViewer, { q: 'income' });
    expect(found).toEqual([
      {
        kind: 'column',
        id: demoDatasetId,
        name: 'Income',
        projectId: expect.any(String) as string,
        projectName: 'demo',
        match: 'column',
        datasetName: 'credit_data',
      },
    ]);
  });

  it('keeps to the kinds asked for', async () => {
    expect((await hits(demoViewer, { q: 'credit', kinds: ['model', 'endpoint'] })).map(brief)).toEqual([
      'model credit-glm prefix',
      'model credit-glm-challenger prefix',
      'endpoint credit-scoring prefix',
    ]);
    expect(await hits(demoViewer, { q: 'income', kinds: ['dataset', 'run'] })).toEqual([]);
    expect((await hits(demoViewer, { q: 'income', kinds: ['column'] })).map(brief)).toEqual(['column Income column']);
  });

  it('pages through the ranked list with an opaque cursor', async () => {
    const all = await hits(demoViewer, { q: 'credit', limit: 100 });
    expect(all).toHaveLength(5);
    const seen: SearchHit[] = [];
    let cursor: string | undefined;
    const sizes: number[] = [];
    do {
      const page = await demoViewer.search({ q: 'credit', limit: 2, ...(cursor ? { cursor } : {}) });
      sizes.push(page.items.length);
      seen.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen).toEqual(all);
  });

  it("never shows a project's objects to non-members, even for their exact names", async () => {
    for (const q of ['credit_data', 'credit-glm', 'Income', 'secret_col', 'rival']) {
      const found = await hits(demoViewer, { q });
      expect(
        found.every((h) => h.projectName === 'demo'),
        q,
      ).toBe(true);
    }
    expect(await hits(demoViewer, { q: 'rival-only' })).toEqual([]);
    expect(await hits(demoViewer, { q: 'secret_col' })).toEqual([]);

    const rival = await hits(rivalViewer, { q: 'credit' });
    expect(rival.map((h) => `${h.projectName} ${brief(h)}`)).toEqual([
      'rival dataset credit_data prefix',
      'rival model credit-glm prefix',
    ]);
    expect((await hits(rivalViewer, { q: 'secret' })).map(brief)).toEqual(['column Secret_col column']);
    expect(await hits(loner, { q: 'credit' })).toEqual([]);

    // Platform admins see every project.
    const everywhere = await hits(admin, { q: 'credit_data', kinds: ['dataset'] });
    expect(everywhere.map((h) => h.projectName).sort()).toEqual(['demo', 'rival']);
  });

  it('takes %, _ and \\ literally', async () => {
    expect((await hits(demoViewer, { q: '100%' })).map(brief)).toEqual(['model wild description']);
    expect((await hits(demoViewer, { q: '%' })).map(brief)).toEqual(['model wild description']);
    expect((await hits(demoViewer, { q: 'a_b' })).map(brief)).toEqual(['model wild description']);
    // As a wildcard, `_` would match "glm" in credit-glm.
    expect(await hits(demoViewer, { q: 'g_m' })).toEqual([]);
    expect(await hits(demoViewer, { q: '\\' })).toEqual([]);
  });

  it('answers 400 for bad input', async () => {
    const bad: SearchQuery[] = [
      { q: '' },
      { q: 'x'.repeat(201) },
      { q: 'credit', limit: 0 },
      { q: 'credit', limit: 101 },
      { q: 'credit', kinds: ['table' as SearchKind] },
      { q: 'credit', kinds: [] },
    ];
    for (const query of bad) {
      const error = await apiFailure(demoViewer.search(query));
      expect([error.status, error.code], JSON.stringify(query)).toEqual([400, 'invalid_request']);
    }
    const cursor = await apiFailure(demoViewer.search({ q: 'credit', cursor: 'not-ours' }));
    expect([cursor.status, cursor.code]).toEqual([400, 'invalid_cursor']);
    const missing = await fetch(`${server.url}/api/v1/search`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    expect(missing.status).toBe(400);
  });
});
