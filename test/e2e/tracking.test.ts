// Experiment tracking through the SDK: experiments, tracked runs logged in batches, metric history (paged and
// streamed), run search with MLflow's filter language, lifecycle, and who may do what.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardClient, type Experiment, type Run } from '@modelyard/client';
import { apiFailure, userClient } from '../helpers/api-calls.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let admin: ModelyardClient;
let viewer: ModelyardClient;
let outsider: ModelyardClient;
let sweep: Experiment;

beforeAll(async () => {
  server = await startTestServer({ demoRun: true });
  admin = new ModelyardClient({ baseUrl: server.url, token: server.token });
  viewer = await userClient(admin, server.url, 'tracking-viewer', { project: 'demo', role: 'viewer' });
  await admin.createProject({ name: 'other' });
  outsider = await userClient(admin, server.url, 'tracking-outsider', { project: 'other', role: 'admin' });
  sweep = await admin.createExperiment('demo', { name: 'sweep', description: 'depth sweep', tags: { team: 'risk' } });
});

afterAll(async () => {
  await server?.close();
});

describe('experiments', () => {
  it('creates, lists, tags, deletes and restores experiments', async () => {
    expect((await apiFailure(admin.createExperiment('demo', { name: 'sweep' }))).code).toBe('experiment_exists');
    const names = async (stage?: 'active' | 'deleted' | 'all') =>
      (await admin.listExperiments('demo', stage && { stage })).items.map((e) => e.name);
    expect(await names()).toEqual(['Default', 'sweep']);
    const scratch = await admin.createExperiment('demo', { name: 'scratch' });
    expect((await admin.setExperimentTag(scratch.id, 'owner', 'ann')).tags).toEqual({ owner: 'ann' });
    await admin.updateExperiment(scratch.id, { lifecycleStage: 'deleted' });
    expect(await names()).toEqual(['Default', 'sweep']);
    expect(await names('deleted')).toEqual(['scratch']);
    const run = await apiFailure(admin.startRun(scratch.id));
    expect(run.code).toBe('experiment_deleted');
    await admin.updateExperiment(scratch.id, { lifecycleStage: 'active', name: 'scratch-2' });
    expect(await names()).toEqual(['Default', 'scratch-2', 'sweep']);
    expect((await apiFailure(viewer.createExperiment('demo', { name: 'mine' }))).status).toBe(403);
    expect((await apiFailure(outsider.getExperiment(sweep.id))).status).toBe(404);
  });
});

describe('tracked runs', () => {
  let run: Run;

  it('logs params, metrics with steps and tags in batches, all or nothing', async () => {
    run = await admin.startRun(sweep.id, { name: 'depth-6', tags: { team: 'risk' }, startTime: 1_700_000_000_000 });
    expect([run.kind, run.status, run.startedAt]).toEqual(['tracked', 'running', '2023-11-14T22:13:20.000Z']);
    await admin.logRun(run.id, {
      params: { max_depth: '6', lr: '0.1' },
      metrics: [
        { key: 'loss', value: 0.9, step: 0, timestamp: 1 },
        { key: 'loss', value: 0.5, step: 1, timestamp: 2 },
        { key: 'auc', value: 0.81, step: 1, timestamp: 2 },
        { key: 'odd', value: 'NaN' },
      ],
    });
    const changed = await apiFailure(
      admin.logRun(run.id, { params: { lr: '0.2' }, metrics: [{ key: 'x', value: 1 }] }),
    );
    expect([changed.status, changed.code, changed.details?.oldValue]).toEqual([409, 'param_changed', '0.1']);
    const tooMany = Array.from({ length: 1001 }, (_, i) => ({ key: 'm', value: i, step: i }));
    const large = await apiFailure(admin.logRun(run.id, { metrics: tooMany }));
    expect([large.status, large.code, large.details?.limit]).toEqual([400, 'batch_too_large', 1000]);
    expect((await apiFailure(admin.logRun(run.id, { params: { bad$key: '1' } }))).status).toBe(400);
    expect((await apiFailure(viewer.logRun(run.id, { params: { a: '1' } }))).status).toBe(403);
    const loaded = await viewer.getRun(run.id);
    expect(loaded.params).toEqual({ lr: '0.1', max_depth: '6' });
    expect(loaded.metrics).toEqual({ auc: 0.81, loss: 0.5, odd: 'NaN' });
    expect(loaded.tags).toEqual({ team: 'risk' });
    expect(loaded.experimentId).toBe(sweep.id);
  });

  it('reads metric history page by page and as one NDJSON stream', async () => {
    const points = Array.from({ length: 2500 }, (_, i) => ({
      key: 'curve',
      value: 1 / (i + 1),
      step: i,
      timestamp: i,
    }));
    for (let i = 0; i < points.length; i += 1000) await admin.logRun(run.id, { metrics: points.slice(i, i + 1000) });
    const first = await viewer.metricHistory(run.id, 'curve', { limit: 1000 });
    expect(first.items).toHaveLength(1000);
    const steps: number[] = first.items.map((p) => p.step);
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await viewer.metricHistory(run.id, 'curve', { limit: 1000, cursor });
      steps.push(...page.items.map((p) => p.step));
      cursor = page.nextCursor;
    }
    expect(steps).toEqual(points.map((p) => p.step));
    const response = await fetch(`${server.url}/api/v1/runs/${run.id}/metrics/curve?format=ndjson`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    expect(response.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await response.text()).trim().split('\n');
    expect(lines).toHaveLength(2500);
    expect(JSON.parse(lines[2499]!)).toEqual({ key: 'curve', value: 1 / 2500, step: 2499, timestamp: 2499 });
  });

  it('searches runs with the filter language, ordered, across tracked and training runs', async () => {
    for (const [depth, auc] of [
      ['3', 0.7],
      ['9', 0.86],
    ] as const) {
      const other = await admin.startRun(sweep.id, { name: `depth-${depth}` });
      await admin.logRun(other.id, { params: { max_depth: depth }, metrics: [{ key: 'auc', value: auc }] });
    }
    const names = async (filter: string, orderBy?: string[]) =>
      (await viewer.searchRuns('demo', { experiments: ['sweep'], filter, ...(orderBy && { orderBy }) })).items.map(
        (r) => r.name,
      );
    expect(await names('metrics.auc > 0.75', ['metrics.auc DESC'])).toEqual(['depth-9', 'depth-6']);
    expect(await names("params.max_depth = '3'")).toEqual(['depth-3']);
    expect(await names("tags.team = 'risk' and attributes.status = 'RUNNING'")).toEqual(['depth-6']);
    expect(await names("attributes.run_name LIKE 'depth-%'", ['metrics.auc ASC'])).toEqual([
      'depth-3',
      'depth-6',
      'depth-9',
    ]);
    // The demo's training run sits in the Default experiment with its holdout metrics.
    const trained = await viewer.searchRuns('demo', { filter: "metrics.auc > 0.5 and attributes.status = 'FINISHED'" });
    expect(trained.items.map((r) => r.kind)).toEqual(['training']);
    const bad = await apiFailure(viewer.searchRuns('demo', { filter: 'metrics.auc > 0.5 or params.a = 1' }));
    expect([bad.status, bad.code, bad.details?.position]).toEqual([400, 'invalid_filter', 18]);
    expect(bad.message).toContain("Invalid clause(s) in filter string: 'or' (at position 18");
    const paged = await viewer.searchRuns('demo', {
      experiments: ['sweep'],
      limit: 2,
      orderBy: ['attributes.run_name'],
    });
    const rest = await viewer.searchRuns('demo', {
      experiments: ['sweep'],
      limit: 2,
      orderBy: ['attributes.run_name'],
      cursor: paged.nextCursor!,
    });
    expect([...paged.items, ...rest.items].map((r) => r.name)).toEqual(['depth-3', 'depth-6', 'depth-9']);
    expect((await apiFailure(outsider.searchRuns('demo', {}))).status).toBe(404);
  });

  it('compares runs: params that differ, latest metrics, and downsampled curves', async () => {
    const [other] = (await viewer.searchRuns('demo', { experiments: ['sweep'], filter: "params.max_depth = '9'" }))
      .items;
    const comparison = await viewer.compareRuns('demo', {
      runs: [run.id, other!.id],
      curves: ['curve', 'auc'],
      points: 10,
    });
    expect(comparison.runs.map((r) => r.name)).toEqual(['depth-6', 'depth-9']);
    const depth = comparison.params.find((p) => p.key === 'max_depth')!;
    expect([depth.values[run.id], depth.values[other!.id], depth.differs]).toEqual(['6', '9', true]);
    const lr = comparison.params.find((p) => p.key === 'lr')!;
    expect([lr.values[run.id], lr.values[other!.id], lr.differs]).toEqual(['0.1', null, true]);
    const auc = comparison.metrics.find((m) => m.key === 'auc')!;
    expect(auc.values).toEqual({ [run.id]: 0.81, [other!.id]: 0.86 });
    const curve = comparison.curves.find((c) => c.key === 'curve')!;
    expect(curve.runs[0]!.total).toBe(2500);
    expect(curve.runs[0]!.points).toHaveLength(10);
    expect([curve.runs[0]!.points[0]!.step, curve.runs[0]!.points[9]!.step]).toEqual([0, 2499]);
    expect(curve.runs[1]!.points).toEqual([]);
    const [training] = (await admin.listRuns('demo')).items.filter((r) => r.kind === 'training');
    const elsewhere = await admin.startRun((await admin.createExperiment('other', { name: 'x' })).id);
    expect((await apiFailure(admin.compareRuns('demo', { runs: [training!.id, elsewhere.id] }))).status).toBe(404);
    expect((await apiFailure(outsider.compareRuns('demo', { runs: [run.id] }))).status).toBe(404);
  });

  it('records the dataset versions a run read, from our API and MLflow log-inputs, and lineage follows them', async () => {
    const [dataset] = (await admin.listDatasets('demo')).items;
    const version = dataset!.latestVersion!.version;
    const reader = await admin.startRun(sweep.id, { name: 'reads-credit' });
    const inputs = await admin.logRunInputs(reader.id, [{ dataset: dataset!.name, context: 'training' }]);
    expect(inputs).toEqual([{ datasetId: dataset!.id, datasetName: dataset!.name, version, context: 'training' }]);
    const up = await viewer.lineage('run', reader.id, { direction: 'up', depth: 1 });
    expect(up.nodes.map((n) => n.id)).toContain(`${dataset!.id}@${version}`);
    const down = await viewer.lineage('dataset_version', `${dataset!.id}@${version}`, { direction: 'down', depth: 1 });
    expect(down.nodes.map((n) => n.id)).toContain(reader.id);

    // The MLflow client's log-inputs links a run the same way when the dataset's name and digest are ours.
    const mlflowRun = await admin.startRun(sweep.id, { name: 'mlflow-inputs' });
    const response = await fetch(`${server.url}/mlflow/demo/api/2.0/mlflow/runs/log-inputs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        run_id: mlflowRun.id,
        datasets: [
          {
            tags: [{ key: 'mlflow.data.context', value: 'eval' }],
            dataset: { name: dataset!.name, digest: version.slice(0, 8), source_type: 'local', source: 'x' },
          },
          { dataset: { name: 'not-ours', digest: 'abcd1234', source_type: 'local', source: 'y' } },
        ],
      }),
    });
    expect(response.status).toBe(200);
    expect(await admin.listRunInputs(mlflowRun.id)).toEqual([
      { datasetId: dataset!.id, datasetName: dataset!.name, version, context: 'eval' },
    ]);
    const missing = await apiFailure(admin.logRunInputs(reader.id, [{ dataset: 'no-such-dataset' }]));
    expect(missing.status).toBe(404);
    expect((await apiFailure(viewer.logRunInputs(reader.id, [{ dataset: dataset!.name }]))).status).toBe(403);
  });

  it('ends, deletes and restores runs; a deleted run takes no logging', async () => {
    const ended = await admin.updateRun(run.id, { status: 'succeeded', endTime: 1_700_000_060_000 });
    expect([ended.status, ended.finishedAt, ended.durationMs]).toEqual([
      'succeeded',
      '2023-11-14T22:14:20.000Z',
      60_000,
    ]);
    await admin.updateRun(run.id, { lifecycleStage: 'deleted' });
    expect((await apiFailure(admin.logRun(run.id, { tags: { a: 'b' } }))).code).toBe('run_deleted');
    const names = async (stage: 'active' | 'deleted') =>
      (await admin.searchRuns('demo', { experiments: [sweep.id], stage })).items.map((r) => r.name);
    expect(await names('deleted')).toEqual(['depth-6']);
    expect(await names('active')).not.toContain('depth-6');
    await admin.updateRun(run.id, { lifecycleStage: 'active' });
    await admin.deleteRunTag(run.id, 'team');
    expect((await admin.getRun(run.id)).tags).toEqual({});
    expect((await apiFailure(admin.deleteRunTag(run.id, 'team'))).status).toBe(404);
    const [training] = (await admin.listRuns('demo')).items.filter((r) => r.kind === 'training');
    expect((await apiFailure(admin.updateRun(training!.id, { status: 'killed' }))).code).toBe('training_run_status');
  });
});
