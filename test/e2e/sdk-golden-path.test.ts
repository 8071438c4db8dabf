// The golden path through the SDK against a real server: project → dataset → train → register → serve → predict →
// inference log and audit, then a restart on the same data dir that must find every object again.

import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  ApiError,
  ModelyardClient,
  type Dataset,
  type Endpoint,
  type FeatureRecord,
  type Model,
  type PredictResponse,
  type Project,
  type Run,
} from '@modelyard/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDIT_CSV, creditRecords, regressionCsv } from '../helpers/golden-data.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const STEP_TIMEOUT = 180_000;
const WAIT = { intervalMs: 200, timeoutMs: 120_000 };

let server: TestServer;
let dataDir: string;
let client: ModelyardClient;

const seen: {
  project?: Project;
  dataset?: Dataset;
  run?: Run;
  regressionRun?: Run;
  model?: Model;
  endpoint?: Endpoint;
  records?: FeatureRecord[];
  prediction?: PredictResponse;
} = {};

beforeAll(async () => {
  server = await startTestServer({ demo: false });
  dataDir = server.dataDir;
  client = new ModelyardClient({ baseUrl: server.url, token: server.token });
}, STEP_TIMEOUT);

afterAll(async () => {
  await server?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('SDK golden path', () => {
  it('answers who the caller is, and refuses a wrong token', async () => {
    const me = await client.me();
    expect(me.user.name).toBe('admin');
    expect(me.user.isAdmin).toBe(true);
    const stranger = new ModelyardClient({ baseUrl: server.url, token: 'myd_wrong' });
    await expect(stranger.me()).rejects.toMatchObject({ status: 401, code: 'unauthenticated' });
    expect(await new ModelyardClient({ baseUrl: server.url }).health()).toEqual({ status: 'ok' });
  });

  it('creates the project and finds it by name', async () => {
    seen.project = await client.createProject({ name: 'golden', description: 'SDK golden path' });
    expect(seen.project).toMatchObject({ name: 'golden', description: 'SDK golden path', role: 'admin' });
    expect(await client.getProject('golden')).toEqual(seen.project);
    const names = [];
    for await (const p of client.paginate((q) => client.listProjects(q))) names.push(p.name);
    expect(names).toContain('golden');
    const err = await client.createProject({ name: 'golden' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).status).toBe(409);
  });

  it('uploads the credit data; the same content is the same version', async () => {
    const data = new Uint8Array(await readFile(CREDIT_CSV));
    seen.dataset = await client.createDatasetFromFile('golden', {
      name: 'credit',
      data,
      filename: 'credit_data.csv',
      description: 'loans',
    });
    const v = seen.dataset.latestVersion;
    expect(v?.rows).toBe(4454);
    expect(v?.version).toMatch(/^[0-9a-f]{64}$/);
    expect(v?.profile.columns).toHaveLength(14);
    const status = v?.profile.columns.find((c) => c.name === 'Status');
    expect(status?.topValues?.map((t) => t.value).sort()).toEqual(['bad', 'good']);

    const again = await client.createDatasetFromFile('golden', {
      name: 'credit',
      data: new Blob([data]),
      filename: 'credit_data.csv',
    });
    expect(again.id).toBe(seen.dataset.id);
    expect(again.latestVersion?.version).toBe(v?.version);
    const versions = await client.listDatasetVersions(seen.dataset.id);
    expect(versions.items.map((x) => x.version)).toEqual([v?.version]);
    expect(await client.getDataset(seen.dataset.id)).toMatchObject({ id: seen.dataset.id, name: 'credit' });
    const snapshot = await client.getDatasetSnapshot(seen.dataset.id, v?.version ?? '');
    expect(new TextDecoder().decode(snapshot.subarray(0, 4))).toBe('PAR1');
  });

  it(
    'trains a classifier that beats AUC 0.75, reporting progress while waiting',
    async () => {
      const created = await client.createRun('golden', {
        dataset: 'credit',
        target: 'Status',
        task: 'classification',
        algorithm: 'glm',
        params: { seed: 42 },
      });
      expect(created.status).toBe('queued');
      const states: string[] = [];
      const run = await client.waitForRun(created.id, { ...WAIT, onProgress: (r) => states.push(r.status) });
      seen.run = run;
      expect(run.status).toBe('succeeded');
      expect(states.at(-1)).toBe('succeeded');
      expect(run.metrics.auc).toBeGreaterThan(0.75);
      expect(run.datasetVersion).toBe(seen.dataset?.latestVersion?.version);
      expect(run.environment?.node).toBe(process.version);
      const artifact = await client.getRunArtifact(run.id);
      expect(typeof artifact).toBe('object');
      const runs = (await client.listRuns('golden')).items;
      expect(runs[0]?.id).toBe(run.id);
    },
    STEP_TIMEOUT,
  );

  it('registers the model, moves the champion alias, and serves it', async () => {
    const runId = seen.run?.id ?? '';
    let model = await client.createModel('golden', { name: 'credit-glm' });
    const version = await client.registerModelVersion(model.id, runId);
    expect(version).toMatchObject({ modelId: model.id, version: 1, runId, task: 'classification' });
    expect(version.metrics.auc).toBe(seen.run?.metrics.auc);
    model = await client.setAlias(model.id, 'champion', 1);
    expect(model.aliases).toEqual({ champion: 1 });
    expect((await client.listModelVersions(model.id)).items.map((x) => x.version)).toEqual([1]);
    seen.model = model;

    seen.endpoint = await client.createEndpoint('golden', { name: 'scoring', model: 'credit-glm@champion' });
    expect(seen.endpoint).toMatchObject({ name: 'scoring', model: 'credit-glm@champion', modelVersion: 1 });
    expect(await client.getEndpoint(seen.endpoint.id)).toEqual(seen.endpoint);
  });

  it('predicts two records and logs the request', async () => {
    const endpointId = seen.endpoint?.id ?? '';
    seen.records = await creditRecords();
    const res = await client.predict(endpointId, seen.records);
    expect(res.modelVersion).toBe(1);
    expect(res.predictions).toHaveLength(2);
    for (const p of res.predictions) {
      expect('label' in p && ['good', 'bad'].includes(p.label)).toBe(true);
      const probabilities = 'probabilities' in p ? Object.values(p.probabilities) : [];
      expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    }
    seen.prediction = res;
    const log = await client.listRequests(endpointId);
    expect(log.items[0]).toMatchObject({ endpointId, modelVersion: 1, inputs: seen.records, outputs: res.predictions });
  });

  it('refuses or converts a feature value of the other type, never scores it as missing', async () => {
    // The CSV's `Records` column holds "yes"/"no": a string column, or a boolean one if the reader takes yes/no for
    // booleans. A record that gives it the other representation (false vs "no") must score like the canonical one or be
    // refused with invalid_records, the way a string for a numeric feature is refused; scoring it as a missing value
    // silently changes the prediction.
    const endpointId = seen.endpoint?.id ?? '';
    const record = seen.records?.[0] ?? {};
    const column = seen.dataset?.latestVersion?.profile.columns.find((c) => c.name === 'Records');
    const boolean = column?.type === 'boolean';
    const canonical = await client.predict(endpointId, [{ ...record, Records: boolean ? false : 'no' }]);
    const other = await client
      .predict(endpointId, [{ ...record, Records: boolean ? 'no' : false }])
      .catch((e: unknown) => e);
    if (other instanceof ApiError) {
      expect(other.code).toBe('invalid_records');
      return;
    }
    expect((other as PredictResponse).predictions).toEqual(canonical.predictions);
  });

  it(
    'trains a regression on a generated CSV registered by server path',
    async () => {
      await writeFile(join(dataDir, 'imports', 'synth.csv'), regressionCsv(300, 777));
      const ds = await client.createDatasetFromPath('golden', {
        name: 'synth',
        path: join(dataDir, 'imports', 'synth.csv'),
      });
      expect(ds.latestVersion?.rows).toBe(300);
      const created = await client.createRun('golden', {
        dataset: ds.id,
        target: 'y',
        task: 'regression',
        algorithm: 'glm',
      });
      const run = await client.waitForRun(created.id, WAIT);
      expect(run.status).toBe('succeeded');
      expect(run.metrics.r2).toBeGreaterThan(0.95);
      expect(run.metrics.rmse).toBeLessThan(1);
      seen.regressionRun = run;
    },
    STEP_TIMEOUT,
  );

  it('pages through lists with a cursor', async () => {
    const all = (await client.listRuns('golden', { limit: 500 })).items.map((r) => r.id);
    expect(all).toEqual(expect.arrayContaining([seen.run?.id, seen.regressionRun?.id]));
    const paged: string[] = [];
    for await (const run of client.paginate((q) => client.listRuns('golden', { ...q, limit: 1 }))) paged.push(run.id);
    expect(paged).toEqual(all);
    const first = await client.listRuns('golden', { limit: 1 });
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toEqual(expect.any(String));
    await expect(client.listRuns('golden', { limit: 0 })).rejects.toMatchObject({ status: 400 });
  });

  it('moves and deletes aliases', async () => {
    const modelId = seen.model?.id ?? '';
    expect((await client.setAlias(modelId, 'challenger', 1)).aliases).toEqual({ champion: 1, challenger: 1 });
    expect((await client.deleteAlias(modelId, 'challenger')).aliases).toEqual({ champion: 1 });
    expect((await client.listModels('golden')).items.map((m) => m.name)).toEqual(['credit-glm']);
  });

  it('manages users, tokens and members, and enforces roles', async () => {
    const user = await client.createUser({ name: 'golden-viewer' });
    expect(user).toMatchObject({ name: 'golden-viewer', isAdmin: false });
    expect((await client.listUsers({ limit: 500 })).items.map((u) => u.name)).toContain('golden-viewer');
    const created = await client.createToken(user.id, 'e2e');
    expect(created.name).toBe('e2e');
    const viewer = new ModelyardClient({ baseUrl: server.url, token: created.token });
    expect((await viewer.me()).user.id).toBe(user.id);

    expect(await client.setMember('golden', user.id, 'viewer')).toMatchObject({ userId: user.id, role: 'viewer' });
    expect((await client.listMembers('golden')).map((m) => [m.userName, m.role])).toEqual(
      expect.arrayContaining([
        ['admin', 'admin'],
        ['golden-viewer', 'viewer'],
      ]),
    );
    expect((await viewer.getProject('golden')).role).toBe('viewer');
    expect((await viewer.listDatasets('golden')).items.map((d) => d.name)).toContain('credit');
    await expect(
      viewer.createRun('golden', { dataset: 'credit', target: 'Status', task: 'classification', algorithm: 'glm' }),
    ).rejects.toMatchObject({ status: 403, code: 'forbidden' });
    await expect(viewer.setMember('golden', user.id, 'admin')).rejects.toMatchObject({ status: 403 });
    await expect(viewer.listUsers()).rejects.toMatchObject({ status: 403 });

    await client.removeMember('golden', user.id);
    expect((await client.listMembers('golden')).map((m) => m.userId)).not.toContain(user.id);
    await expect(viewer.getProject('golden')).rejects.toBeInstanceOf(ApiError);
  });

  it('serves the OpenAPI document and health without a token', async () => {
    const anonymous = new ModelyardClient({ baseUrl: server.url });
    const doc = await anonymous.openapi();
    expect(doc.openapi).toEqual(expect.stringMatching(/^3\./));
    expect(Object.keys(doc.paths as object)).toContain('/api/v1/endpoints/{endpoint}/predict');
    expect(await anonymous.ready()).toEqual({ status: 'ok' });
    await expect(anonymous.listProjects()).rejects.toMatchObject({ status: 401, code: 'unauthenticated' });
  });

  it('maps API errors to codes', async () => {
    await expect(client.getDataset('ds_nope')).rejects.toMatchObject({ status: 404, code: 'dataset_not_found' });
    await expect(
      client.createRun('golden', { dataset: 'nope', target: 'Status', task: 'classification', algorithm: 'glm' }),
    ).rejects.toMatchObject({ status: 404, code: 'dataset_not_found' });
    await expect(client.getProject('no-such-project')).rejects.toMatchObject({ status: 404 });
    await expect(client.createDatasetFromPath('golden', { name: 'x', path: '/etc/passwd' })).rejects.toBeInstanceOf(
      ApiError,
    );
  });

  it('keeps an audit trail of the writes', async () => {
    const events = (await client.listAudit({ project: 'golden', limit: 100 })).items;
    const actions = new Set(events.map((e) => e.action));
    expect(events.length).toBeGreaterThan(0);
    expect(events.every((e) => e.projectId === seen.project?.id)).toBe(true);
    expect(actions.size).toBeGreaterThan(2);
  });

  it(
    'finds every object again after a restart on the same data dir',
    async () => {
      const requestsBefore = (await client.listRequests(seen.endpoint?.id ?? '')).items.length;
      await server.close();
      server = await startTestServer({ dataDir });
      client = new ModelyardClient({ baseUrl: server.url, token: server.token });

      expect(await client.getProject('golden')).toEqual(seen.project);
      const dataset = await client.getDataset(seen.dataset?.id ?? '');
      expect(dataset.latestVersion?.version).toBe(seen.dataset?.latestVersion?.version);
      expect(dataset).toEqual(seen.dataset);

      const run = await client.getRun(seen.run?.id ?? '');
      expect(run.status).toBe('succeeded');
      expect(run.metrics).toEqual(seen.run?.metrics);
      expect((await client.getRun(seen.regressionRun?.id ?? '')).metrics).toEqual(seen.regressionRun?.metrics);

      const model = await client.getModel(seen.model?.id ?? '');
      expect(model.aliases).toEqual({ champion: 1 });
      const endpoint = await client.getEndpoint(seen.endpoint?.id ?? '');
      expect(endpoint).toEqual(seen.endpoint);

      const res = await client.predict(endpoint.id, seen.records ?? []);
      expect(res.modelVersion).toBe(1);
      res.predictions.forEach((p, i) => {
        const before = seen.prediction?.predictions[i];
        expect('label' in p && before && 'label' in before && p.label === before.label).toBe(true);
        for (const [label, prob] of Object.entries('probabilities' in p ? p.probabilities : {})) {
          const old = before && 'probabilities' in before ? before.probabilities[label] : undefined;
          expect(prob).toBeCloseTo(old ?? NaN, 10);
        }
      });
      expect((await client.listRequests(endpoint.id)).items).toHaveLength(requestsBefore + 1);
    },
    STEP_TIMEOUT,
  );
});
