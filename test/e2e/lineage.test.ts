// Lineage through the SDK on the demo project: from the endpoint up to the raw data, from the data down to every
// endpoint, with a second run/model version/endpoint so the graph branches; governance and bad input.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ModelyardClient,
  type Endpoint,
  type LineageGraph,
  type LineageKind,
  type LineageQuery,
  type Model,
  type NodeRef,
  type Run,
} from '@modelyard/client';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { apiFailure, userClient } from '../helpers/api-calls.js';

const WAIT = { intervalMs: 200, timeoutMs: 120_000 };

let server: TestServer;
let admin: ModelyardClient;
let viewer: ModelyardClient;
let outsider: ModelyardClient;

const demo: { datasetId: string; version: string; run: Run; model: Model; endpoint: Endpoint } = {} as never;
let challengerRun: Run;
let challenger: Endpoint;

const names = (g: LineageGraph): string[] => g.nodes.map((n) => `${n.kind} ${n.name}`);
const edgeNames = (g: LineageGraph): string[] => {
  const name = (r: NodeRef) => g.nodes.find((n) => n.kind === r.kind && n.id === r.id)?.name ?? `?${r.id}`;
  return g.edges.map((e) => `${name(e.from)} -> ${name(e.to)}`).sort();
};

const versionId = () => `${demo.datasetId}@${demo.version}`;
const short = () => `credit_data@${demo.version.slice(0, 12)}`;

beforeAll(async () => {
  server = await startTestServer();
  admin = new ModelyardClient({ baseUrl: server.url, token: server.token });
  const [dataset] = (await admin.listDatasets('demo')).items;
  const [run] = (await admin.listRuns('demo')).items;
  const [model] = (await admin.listModels('demo')).items;
  const [endpoint] = (await admin.listEndpoints('demo')).items;
  Object.assign(demo, {
    datasetId: dataset!.id,
    version: dataset!.latestVersion!.version,
    run: run!,
    model: model!,
    endpoint: endpoint!,
  });

  // A second branch on the same data: a challenger run, registered as v2 and served by its own endpoint.
  const created = await admin.createRun('demo', {
    dataset: 'credit_data',
    target: 'Status',
    task: 'classification',
    algorithm: 'glm',
    name: 'challenger',
    params: { lambda: 0.01, alpha: 0 },
  });
  challengerRun = await admin.waitForRun(created.id, WAIT);
  expect(challengerRun.status).toBe('succeeded');
  const v2 = await admin.registerModelVersion(demo.model.id, challengerRun.id);
  expect(v2.version).toBe(2);
  challenger = await admin.createEndpoint('demo', { name: 'credit-challenger', model: 'credit-glm@2' });

  await admin.createProject({ name: 'elsewhere' });
  outsider = await userClient(admin, server.url, 'olga', { project: 'elsewhere', role: 'viewer' });
  viewer = await userClient(admin, server.url, 'victor', { project: 'demo', role: 'viewer' });
}, 180_000);

afterAll(async () => {
  await server?.close();
});

describe('lineage', () => {
  it('walks up from the endpoint to the raw dataset version', async () => {
    const g = await admin.lineage('endpoint', demo.endpoint.id, { direction: 'up' });
    expect(g.root).toEqual({ kind: 'endpoint', id: demo.endpoint.id });
    expect(names(g)).toEqual([
      'endpoint credit-scoring',
      'model_version credit-glm v1',
      'run demo-credit-glm',
      `dataset_version ${short()}`,
    ]);
    expect(g.nodes.map((n) => n.id)).toEqual([demo.endpoint.id, `${demo.model.id}@1`, demo.run.id, versionId()]);
    expect(g.nodes.every((n) => n.projectId === demo.model.projectId)).toBe(true);
    expect(edgeNames(g)).toEqual(
      [`${short()} -> demo-credit-glm`, 'demo-credit-glm -> credit-glm v1', 'credit-glm v1 -> credit-scoring'].sort(),
    );
    const further = await admin.lineage('endpoint', demo.endpoint.id, { direction: 'up', depth: 4 });
    expect(names(further).at(-1)).toBe('dataset credit_data');
  });

  it('walks down from the dataset version to both endpoints through both runs', async () => {
    const g = await admin.lineage('dataset_version', versionId(), { direction: 'down' });
    expect(g.root).toEqual({ kind: 'dataset_version', id: versionId() });
    expect(names(g)).toEqual([
      `dataset_version ${short()}`,
      'run demo-credit-glm',
      'run challenger',
      'model_version credit-glm v1',
      'model_version credit-glm v2',
      'endpoint credit-scoring',
      'endpoint credit-challenger',
    ]);
    expect(edgeNames(g)).toEqual(
      [
        `${short()} -> demo-credit-glm`,
        `${short()} -> challenger`,
        'demo-credit-glm -> credit-glm v1',
        'challenger -> credit-glm v2',
        'credit-glm v1 -> credit-scoring',
        'credit-glm v2 -> credit-challenger',
      ].sort(),
    );
    const fromDataset = await admin.lineage('dataset', demo.datasetId, { direction: 'down', depth: 4 });
    expect(names(fromDataset)).toEqual(['dataset credit_data', ...names(g)]);
  });

  it('stops at the depth asked for', async () => {
    const one = await admin.lineage('dataset_version', versionId(), { direction: 'down', depth: 1 });
    expect(names(one)).toEqual([`dataset_version ${short()}`, 'run demo-credit-glm', 'run challenger']);
    expect(one.edges).toHaveLength(2);
    const two = await admin.lineage('run', challengerRun.id, { direction: 'down', depth: 2 });
    expect(names(two)).toEqual(['run challenger', 'model_version credit-glm v2', 'endpoint credit-challenger']);
    const ten = await admin.lineage('endpoint', challenger.id, { direction: 'up', depth: 10 });
    expect(names(ten)).toEqual([
      'endpoint credit-challenger',
      'model_version credit-glm v2',
      'run challenger',
      `dataset_version ${short()}`,
      'dataset credit_data',
    ]);
  });

  it('follows an alias to the version it points at now', async () => {
    await admin.setAlias(demo.model.id, 'champion', 2);
    try {
      const v2 = await admin.lineage('model_version', `${demo.model.id}@2`, { direction: 'down', depth: 1 });
      expect(names(v2).sort()).toEqual(
        ['endpoint credit-challenger', 'endpoint credit-scoring', 'model_version credit-glm v2'].sort(),
      );
      const v1 = await admin.lineage('model_version', `${demo.model.id}@1`, { direction: 'down', depth: 1 });
      expect(names(v1)).toEqual(['model_version credit-glm v1']);
    } finally {
      await admin.setAlias(demo.model.id, 'champion', 1);
    }
  });

  it('gives a viewer of the project the graph', async () => {
    const g = await viewer.lineage('endpoint', demo.endpoint.id, { direction: 'up', depth: 4 });
    expect(g).toEqual(await admin.lineage('endpoint', demo.endpoint.id, { direction: 'up', depth: 4 }));
    expect(g.nodes).toHaveLength(5);
  });

  it("answers a member of another project with each object's not-found error", async () => {
    const roots: [LineageKind, string][] = [
      ['dataset', demo.datasetId],
      ['dataset_version', versionId()],
      ['run', demo.run.id],
      ['model_version', `${demo.model.id}@1`],
      ['endpoint', demo.endpoint.id],
    ];
    for (const [kind, id] of roots) {
      for (const direction of ['up', 'down'] as const) {
        const error = await apiFailure(outsider.lineage(kind, id, { direction }));
        expect([error.status, error.code], `${kind} ${direction}`).toEqual([404, `${kind}_not_found`]);
      }
    }
  });

  it('refuses an unknown kind, a missing direction and a depth outside 1..10 with 400', async () => {
    const bad: [LineageKind, LineageQuery][] = [
      ['project' as LineageKind, { direction: 'up' }],
      ['endpoint', { direction: 'up', depth: 0 }],
      ['endpoint', { direction: 'up', depth: 11 }],
      ['endpoint', { direction: 'up', depth: 1.5 }],
      ['endpoint', { direction: 'sideways' } as unknown as LineageQuery],
      ['endpoint', {} as LineageQuery],
    ];
    for (const [kind, query] of bad) {
      const error = await apiFailure(admin.lineage(kind, demo.endpoint.id, query));
      expect([error.status, error.code], `${kind} ${JSON.stringify(query)}`).toEqual([400, 'invalid_request']);
    }
  });

  it('cuts a graph at maxNodes, closest nodes first, and says so', async () => {
    const whole = await admin.lineage('dataset_version', versionId(), { direction: 'down' });
    expect(whole.truncated).toBe(false);
    expect(whole.nodes.length).toBeGreaterThan(3);
    const cut = await admin.lineage('dataset_version', versionId(), { direction: 'down', maxNodes: 3 });
    expect(cut.truncated).toBe(true);
    expect(cut.nodes.map((n) => n.kind)).toEqual(['dataset_version', 'run', 'run']);
    // Every edge joins two nodes of the cut graph.
    const ids = new Set(cut.nodes.map((n) => n.id));
    expect(cut.edges.every((e) => ids.has(e.from.id) && ids.has(e.to.id))).toBe(true);
    const error = await apiFailure(admin.lineage('endpoint', demo.endpoint.id, { direction: 'up', maxNodes: 0 }));
    expect(error.status).toBe(400);
  });

  it('answers malformed or unknown ids with 404', async () => {
    const missing: [LineageKind, string][] = [
      ['dataset_version', demo.datasetId],
      ['dataset_version', `${demo.datasetId}@${demo.version.slice(0, 12)}`],
      ['model_version', `${demo.model.id}@champion`],
      ['model_version', `${demo.model.id}@3`],
      ['run', 'run_nothing'],
      ['endpoint', demo.run.id],
    ];
    for (const [kind, id] of missing) {
      const error = await apiFailure(admin.lineage(kind, id, { direction: 'down' }));
      expect([error.status, error.code], `${kind} ${id}`).toEqual([404, `${kind}_not_found`]);
    }
  });
});
