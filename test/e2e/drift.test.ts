// Drift and out-of-profile flags on a real server: a credit model's endpoint gets real rows (no flags, no dataset
// drift against the training profile), then shifted rows (flags on every shifted record, drift in the shifted
// columns and in the model's output), compared with the training profile and with the earlier window; the reports
// form a time series; a monitor's scheduled run; an empty window; bad windows.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardClient, type DriftReport, type Endpoint, type FeatureRecord } from '@modelyard/client';
import { apiFailure } from '../helpers/api-calls.js';
import { creditRecords } from '../helpers/golden-data.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let admin: ModelyardClient;
let endpoint: Endpoint;
let records: FeatureRecord[];
let normalFrom: string;
let shiftedFrom: string;
let shiftedTo: string;

const SHIFTED = ['Seniority', 'Time', 'Age', 'Expenses', 'Income', 'Assets', 'Amount', 'Price'];

/** The same rows with eight numeric features moved well past what training saw. */
function shift(record: FeatureRecord): FeatureRecord {
  const out: FeatureRecord = { ...record };
  for (const name of SHIFTED) {
    const v = out[name];
    if (typeof v === 'number') out[name] = v * 3 + 100;
  }
  return out;
}

async function send(rows: FeatureRecord[]) {
  const warnings = [];
  for (let i = 0; i < rows.length; i += 100) {
    const answer = await admin.predict(endpoint.id, rows.slice(i, i + 100));
    warnings.push(...(answer.warnings ?? []).map((w) => ({ ...w, row: w.row + i })));
  }
  return warnings;
}

const byName = (report: DriftReport) => new Map(report.columns.map((c) => [c.column, c]));

beforeAll(async () => {
  server = await startTestServer();
  admin = new ModelyardClient({ baseUrl: server.url, token: server.token });
  const run = await admin.createRun('demo', {
    dataset: 'credit_data',
    target: 'Status',
    task: 'classification',
    algorithm: 'gbdt',
    params: { nTrees: 30, maxDepth: 4 },
  });
  await admin.waitForRun(run.id, { intervalMs: 100, timeoutMs: 120_000 });
  const model = await admin.createModel('demo', { name: 'credit-drift' });
  await admin.registerModelVersion(model.id, run.id);
  await admin.setAlias(model.id, 'live', 1);
  endpoint = await admin.createEndpoint('demo', { name: 'credit-drift', model: 'credit-drift@live' });
  // Every fourth row: the file is ordered (its first rows spend and earn less than the rest).
  records = ((await creditRecords(4454)) as FeatureRecord[]).filter((_, i) => i % 4 === 0);
});

afterAll(async () => {
  await server?.close();
});

describe('out-of-profile flags', () => {
  it('flags nothing on rows the model trained on, and every shifted value past the training range', async () => {
    normalFrom = new Date().toISOString();
    expect(await send(records.slice(0, 1000))).toEqual([]);
    await new Promise((r) => setTimeout(r, 5));
    shiftedFrom = new Date().toISOString();
    const warnings = await send(records.slice(0, 500).map(shift));
    // Batched log entries take their time stamp when they commit: let them, then close the window.
    await new Promise((r) => setTimeout(r, 100));
    shiftedTo = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    expect(warnings.length).toBeGreaterThan(500);
    expect(new Set(warnings.map((w) => w.problem))).toEqual(new Set(['out_of_range']));
    expect(new Set(warnings.map((w) => w.field)).size).toBeGreaterThanOrEqual(5);
    for (const w of warnings) expect(SHIFTED).toContain(w.field);
    // A category never seen, and a value missing where training never had one.
    const odd = await admin.predict(endpoint.id, [{ ...records[0]!, Home: 'castle', Price: null }]);
    expect(odd.warnings).toEqual(
      expect.arrayContaining([
        { row: 0, field: 'Home', problem: 'unseen_category', value: 'castle' },
        { row: 0, field: 'Price', problem: 'unexpected_missing', value: null },
      ]),
    );
  });
});

describe('drift reports', () => {
  it('finds no dataset drift in real rows against the training profile', async () => {
    const report = await admin.runDrift(endpoint.id, { from: normalFrom, to: shiftedFrom });
    expect(report.currentRows).toBe(1000);
    expect(report.referenceRows).toBe(4454);
    expect(report.reference).toEqual({ kind: 'training' });
    expect(report.modelRef).toBe('credit-drift@1');
    expect(report.testedColumns).toBe(13);
    expect(report.datasetDrift).toBe(false);
    const columns = byName(report);
    expect(columns.get('Income')?.test).toBe('wasserstein');
    expect(columns.get('Home')?.test).toBe('jensenshannon');
    expect(report.prediction?.test).toBe('wasserstein');
    expect(report.prediction?.drifted).toBe(false);
  });

  it('finds the shifted columns, the output and dataset drift, against training and against the earlier window', async () => {
    const vsTraining = await admin.runDrift(endpoint.id, { from: shiftedFrom, to: shiftedTo });
    expect(vsTraining.currentRows).toBe(500);
    const columns = byName(vsTraining);
    for (const name of SHIFTED) expect(columns.get(name)?.drifted, name).toBe(true);
    for (const name of ['Home', 'Marital', 'Records', 'Job']) expect(columns.get(name)?.drifted, name).toBe(false);
    expect(vsTraining.datasetDrift).toBe(true);
    expect(vsTraining.driftedColumns).toBeGreaterThanOrEqual(8);
    const vsWindow = await admin.runDrift(endpoint.id, {
      from: shiftedFrom,
      to: shiftedTo,
      reference: { kind: 'window', from: normalFrom, to: shiftedFrom },
      columns: { Income: { test: 'ks' }, Home: { test: 'chisquare', threshold: 0.01 } },
    });
    expect(vsWindow.referenceRows).toBe(1000);
    expect(byName(vsWindow).get('Income')).toMatchObject({ test: 'ks', drifted: true, threshold: 0.05 });
    expect(byName(vsWindow).get('Income')!.pValue).toBeLessThan(1e-10);
    // The same rows on both sides of Home: nothing to see.
    expect(byName(vsWindow).get('Home')).toMatchObject({ test: 'chisquare', drifted: false, threshold: 0.01 });
    expect(vsWindow.datasetDrift).toBe(true);
  });

  it('keeps the reports as a time series, newest first', async () => {
    const reports = await admin.driftReports(endpoint.id);
    expect(reports.length).toBe(3);
    expect(reports[0]!.reference.kind).toBe('window');
    expect(reports.map((r) => r.createdAt)).toEqual([...reports.map((r) => r.createdAt)].sort().reverse());
    expect(await admin.driftReports(endpoint.id, { limit: 1 })).toHaveLength(1);
  });

  it('answers a window without traffic with nothing tested and no drift', async () => {
    const report = await admin.runDrift(endpoint.id, { from: '2020-01-01T00:00:00Z', to: '2020-01-02T00:00:00Z' });
    expect(report).toMatchObject({ currentRows: 0, testedColumns: 0, driftedColumns: 0, datasetDrift: false });
    expect(report.skipped.length).toBe(14);
  });

  it('refuses bad windows', async () => {
    const backwards = await apiFailure(admin.runDrift(endpoint.id, { from: shiftedTo, to: shiftedFrom }));
    expect(backwards).toMatchObject({ status: 400, code: 'invalid_window' });
    const text = await apiFailure(admin.runDrift(endpoint.id, { from: 'yesterday' }));
    expect(text).toMatchObject({ status: 400, code: 'invalid_window' });
    const unit = await apiFailure(admin.setDriftMonitor(endpoint.id, { schedule: null, window: '5x' }));
    expect(unit.status).toBe(400);
    const cron = await apiFailure(admin.setDriftMonitor(endpoint.id, { schedule: 'every day' }));
    expect(cron).toMatchObject({ status: 400, code: 'invalid_schedule' });
    expect(await apiFailure(admin.driftMonitor(endpoint.id))).toMatchObject({
      status: 404,
      code: 'drift_monitor_not_found',
    });
  });
});

describe('drift monitor', () => {
  it('runs on its schedule once per tick across replicas, comparing the last window with the one before', async () => {
    const monitor = await admin.setDriftMonitor(endpoint.id, {
      schedule: '0 0 1 1 *',
      window: '1h',
      reference: { kind: 'previous_window' },
    });
    expect(monitor.nextRunAt).not.toBeNull();
    expect(await admin.driftMonitor(endpoint.id)).toEqual(monitor);
    const { store } = server.server.services;
    // Two replicas reaching the same tick: one claims it.
    expect(await store.claimDriftTick(endpoint.id, monitor.nextRunAt!, '2099-01-01T00:00:00.000Z')).toBe(true);
    expect(await store.claimDriftTick(endpoint.id, monitor.nextRunAt!, '2099-01-01T00:00:00.000Z')).toBe(false);
    const report = await server.server.services.driftMonitors.runNow(monitor);
    expect(report).toMatchObject({ trigger: 'schedule', currentRows: 1501 });
    expect(report!.reference.kind).toBe('window');
    await admin.deleteDriftMonitor(endpoint.id);
    expect((await apiFailure(admin.driftMonitor(endpoint.id))).status).toBe(404);
  });
});

describe('alerts on drift and out-of-profile traffic', () => {
  it('fires rules on the newest drift report and on the share of flagged records', async () => {
    const rule = (name: string, metric: 'dataset_drift' | 'drift_share' | 'out_of_profile_share', threshold: number) =>
      admin.createAlertRule(endpoint.id, { name, metric, window: '1h', comparison: '>=', threshold });
    await rule('dataset-drift', 'dataset_drift', 1);
    await rule('half-the-features', 'drift_share', 0.5);
    await rule('out-of-profile', 'out_of_profile_share', 0.2);
    await admin.runDrift(endpoint.id, { from: shiftedFrom, to: shiftedTo });
    await server.server.services.alerts.evaluateNow();
    const alerts = (await admin.listAlerts(endpoint.id)).items;
    const fired = new Map(alerts.map((a) => [a.ruleName, a]));
    expect(fired.get('dataset-drift')?.value).toBe(1);
    expect(fired.get('half-the-features')!.value).toBeGreaterThanOrEqual(8 / 13);
    // 501 of the 1,501 records answered in the hour carried a flag (the 500 shifted ones and the odd one).
    expect(fired.get('out-of-profile')!.value).toBeCloseTo(501 / 1501, 12);
  });
});

describe('explanations on the endpoint', () => {
  it('returns exact SHAP values that add up to each answer, and refuses oversized requests', async () => {
    const rows = records.slice(0, 20);
    const response = await fetch(`${server.url}/api/v1/endpoints/${endpoint.id}/predict?explain=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ records: rows }),
    });
    expect(response.status).toBe(200);
    const answer = (await response.json()) as Awaited<ReturnType<typeof admin.predict>>;
    expect(answer.explanations).toHaveLength(20);
    answer.explanations!.forEach((e, i) => {
      const prediction = answer.predictions[i] as { probabilities: Record<string, number> };
      const p = prediction.probabilities[e.outputs[0]!]!;
      const total = e.expected[0]! + Object.values(e.contributions).reduce((s, c) => s + c[0]!, 0);
      expect(e.space).toBe('margin');
      expect(Math.abs(total - Math.log(p / (1 - p)))).toBeLessThan(1e-9);
    });
    const plain = await admin.predict(endpoint.id, rows);
    expect(plain.explanations).toBeUndefined();
    const tooMany = await fetch(`${server.url}/api/v1/endpoints/${endpoint.id}/predict?explain=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ records: records.slice(0, 1001) }),
    });
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { error: { code: string } }).error.code).toBe('too_many_records_to_explain');
  });
});

describe('global explanation of a version', () => {
  it('is computed on the run data, stored, and read back', async () => {
    const model = (await admin.listModels('demo')).items.find((m) => m.name === 'credit-drift')!;
    expect((await apiFailure(admin.versionExplanation(model.id, 1))).status).toBe(404);
    const computed = await admin.explainVersion(model.id, 1);
    expect(computed.model).toBe('gbdt');
    expect(computed.rows).toBe(2000);
    expect(computed.shap!.meanAbs.map((m) => m.feature)).toEqual(computed.features);
    expect(computed.shap!.outputs).toEqual(['good']);
    expect(computed.permutation!.importances).toHaveLength(13);
    expect(computed.partialDependence).toHaveLength(5);
    // The feature with the largest mean |SHAP| leads the partial-dependence list.
    const top = [...computed.shap!.meanAbs].sort((a, b) => b.total - a.total)[0]!.feature;
    expect(computed.partialDependence[0]!.feature).toBe(top);
    expect(await admin.versionExplanation(model.id, 1)).toEqual(computed);
  });
});
