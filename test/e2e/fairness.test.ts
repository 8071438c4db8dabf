// Fairness slices on a real server: a credit GBDT's version sliced by Marital and Home (and their intersection) on
// its run's held-out rows — the overall accuracy and AUC equal the run's own holdout metrics, so the split was
// reproduced — and an endpoint's labelled records sliced by a feature over a window, checked against the answers,
// and watched by an alert rule whose value is the same figure.

import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ModelyardClient,
  type ClassPrediction,
  type Endpoint,
  type FeatureRecord,
  type Feedback,
  type Run,
} from '@modelyard/client';
import { apiFailure } from '../helpers/api-calls.js';
import { CREDIT_CSV, creditRecords } from '../helpers/golden-data.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let admin: ModelyardClient;
let run: Run;
let modelId: string;
let endpoint: Endpoint;
let records: FeatureRecord[];
let truth: string[];

beforeAll(async () => {
  server = await startTestServer();
  admin = new ModelyardClient({ baseUrl: server.url, token: server.token });
  const created = await admin.createRun('demo', {
    dataset: 'credit_data',
    target: 'Status',
    task: 'classification',
    algorithm: 'gbdt',
    params: { nTrees: 30, maxDepth: 4 },
  });
  run = await admin.waitForRun(created.id, { intervalMs: 100, timeoutMs: 120_000 });
  const model = await admin.createModel('demo', { name: 'credit-fairness' });
  modelId = model.id;
  await admin.registerModelVersion(model.id, run.id);
  await admin.setAlias(model.id, 'live', 1);
  endpoint = await admin.createEndpoint('demo', { name: 'credit-fairness', model: 'credit-fairness@live' });
  records = (await creditRecords(1200)) as FeatureRecord[];
  const lines = (await readFile(CREDIT_CSV, 'utf8')).trim().split('\n').slice(1, 1201);
  truth = lines.map((line) => line.slice(1, line.indexOf('"', 1)));
});

afterAll(async () => {
  await server?.close();
});

describe('fairness of a version', () => {
  it('answers 404 before the slices are computed', async () => {
    expect((await apiFailure(admin.versionFairness(modelId, 1))).code).toBe('fairness_not_found');
  });

  it('slices the held-out rows by two columns and their intersection, and stores the result', async () => {
    const fairness = await admin.computeVersionFairness(modelId, 1, { columns: ['Marital', 'Home'] });
    expect(fairness.rows).toBe('holdout');
    expect(fairness.runId).toBe(run.id);
    expect(fairness.positiveClass).toBe('good');
    expect(fairness.minGroupSize).toBe(30);
    // The run's holdout, scored again: its metrics equal what the run recorded.
    expect(fairness.overall.count).toBeGreaterThan(850);
    expect(fairness.overall.count).toBeLessThan(900);
    expect(fairness.overall.accuracy).toBeCloseTo(run.metrics.accuracy as number, 12);
    expect(fairness.overall.auc).toBeCloseTo(run.metrics.auc as number, 12);
    expect(fairness.tables.map((t) => t.columns)).toEqual([['Marital'], ['Home'], ['Marital', 'Home']]);
    for (const table of fairness.tables) {
      expect(table.groups.reduce((sum, g) => sum + g.count, 0)).toBe(fairness.overall.count);
      for (const g of table.groups) expect(g.small).toBe(g.count < 30);
      const compared = table.groups.filter((g) => !g.small);
      expect(table.disparity.groups).toBe(compared.length);
      const rates = compared.map((g) => g.selectionRate!);
      expect(table.disparity.demographicParityRatio).toBeCloseTo(Math.min(...rates) / Math.max(...rates), 12);
      expect(table.disparity.demographicParityDifference).toBeCloseTo(Math.max(...rates) - Math.min(...rates), 12);
      const tpr = compared.map((g) => g.truePositiveRate!);
      const fpr = compared.map((g) => g.falsePositiveRate!);
      expect(table.disparity.equalOpportunityRatio).toBeCloseTo(Math.min(...tpr) / Math.max(...tpr), 12);
      expect(table.disparity.equalizedOddsDifference).toBeCloseTo(
        Math.max(Math.max(...tpr) - Math.min(...tpr), Math.max(...fpr) - Math.min(...fpr)),
        12,
      );
    }
    const marital = fairness.tables[0]!;
    expect(marital.groups.map((g) => g.values[0])).toEqual(expect.arrayContaining(['married', 'single', 'widow']));
    expect(marital.groups.find((g) => g.values[0] === 'divorced')?.small).toBe(true);
    expect(marital.disparity.groups).toBeGreaterThanOrEqual(2);
    expect(fairness.tables[2]!.groups.some((g) => g.small)).toBe(true);
    expect(await admin.versionFairness(modelId, 1)).toEqual(fairness);
  });

  it('bins a numeric column into quantiles, takes the other class as positive, and refuses bad requests', async () => {
    const byAge = await admin.computeVersionFairness(modelId, 1, {
      columns: ['Age'],
      positiveClass: 'bad',
      minGroupSize: 50,
    });
    expect(byAge.bins.map((b) => b.column)).toEqual(['Age']);
    expect(byAge.tables[0]!.groups).toHaveLength(4);
    expect(byAge.positiveClass).toBe('bad');
    expect(byAge.minGroupSize).toBe(50);
    const unknown = await apiFailure(admin.computeVersionFairness(modelId, 1, { columns: ['Nope'] }));
    expect([unknown.status, unknown.code]).toEqual([422, 'unknown_column']);
    const badClass = await apiFailure(
      admin.computeVersionFairness(modelId, 1, { columns: ['Home'], positiveClass: 'maybe' }),
    );
    expect([badClass.status, badClass.code]).toEqual([422, 'invalid_positive_class']);
    const tooMany = await apiFailure(admin.computeVersionFairness(modelId, 1, { columns: ['Home', 'Job', 'Age'] }));
    expect([tooMany.status, tooMany.code]).toEqual([400, 'invalid_request']);
  });
});

describe('fairness of an endpoint', () => {
  it('needs labelled records in the window', async () => {
    const empty = await apiFailure(admin.endpointFairness(endpoint.id, { column: 'Marital' }));
    expect([empty.status, empty.code]).toEqual([422, 'no_labelled_records']);
  });

  it('slices the labelled records of a window by a logged feature', async () => {
    const from = new Date().toISOString();
    const answers: ClassPrediction[] = [];
    const labels: Feedback[] = [];
    for (let first = 0; first < records.length; first += 100) {
      const answer = await admin.predict(endpoint.id, records.slice(first, first + 100));
      answer.predictions.forEach((p, i) => {
        answers.push(p as ClassPrediction);
        labels.push({ requestId: answer.requestId, index: i, label: truth[first + i]! });
      });
    }
    // Every other record gets its label.
    expect(
      (
        await admin.sendFeedback(
          endpoint.id,
          labels.filter((_, i) => i % 2 === 0),
        )
      ).accepted,
    ).toBe(600);
    await new Promise((r) => setTimeout(r, 100));
    const to = new Date(Date.now() + 1000).toISOString();
    const fairness = await admin.endpointFairness(endpoint.id, { column: 'Marital', from, to });
    expect(fairness.records).toBe(600);
    expect(fairness.overall.count).toBe(600);
    expect(fairness.tables).toHaveLength(1);
    // Each group's counts and rates, worked out here from the answers and labels.
    const labelled = records.map((r, i) => ({ r, i })).filter(({ i }) => i % 2 === 0);
    for (const group of fairness.tables[0]!.groups) {
      const value = group.values[0] === '(missing)' ? null : group.values[0];
      const members = labelled.filter(({ r }) => (r.Marital ?? null) === value);
      expect(group.count, String(value)).toBe(members.length);
      const predictedGood = members.filter(({ i }) => answers[i]!.label === 'good');
      expect(group.selectionRate).toBeCloseTo(predictedGood.length / members.length, 12);
      const good = members.filter(({ i }) => truth[i] === 'good');
      const hits = good.filter(({ i }) => answers[i]!.label === 'good');
      expect(group.truePositiveRate).toBeCloseTo(good.length === 0 ? 0 : hits.length / good.length, 12);
      expect(group.small).toBe(members.length < 30);
    }
    const numeric = await admin.endpointFairness(endpoint.id, { column: 'Income', from, to, minGroupSize: 10 });
    expect(numeric.bins[0]?.column).toBe('Income');
    expect(numeric.minGroupSize).toBe(10);
    const unknown = await apiFailure(admin.endpointFairness(endpoint.id, { column: 'Nope', from, to }));
    expect([unknown.status, unknown.code]).toEqual([422, 'unknown_column']);
    const window = await apiFailure(admin.endpointFairness(endpoint.id, { column: 'Home', from: to, to: from }));
    expect([window.status, window.code]).toEqual([400, 'invalid_window']);
  });

  it('is watched by alert rules on a column, whose value is the fairness figure of the same window', async () => {
    const base = { metric: 'equal_opportunity_ratio', window: '1h', comparison: '<', threshold: 0.99 } as const;
    const bare = await apiFailure(admin.createAlertRule(endpoint.id, { ...base, name: 'eo-bare' }));
    expect([bare.status, bare.code]).toEqual([400, 'alert_column_required']);
    const noColumn = await apiFailure(
      admin.createAlertRule(endpoint.id, { ...base, name: 'eo-bare', options: { positiveClass: 'good' } }),
    );
    expect([noColumn.status, noColumn.code]).toEqual([400, 'alert_column_required']);
    const rule = await admin.createAlertRule(endpoint.id, {
      ...base,
      name: 'eo-marital',
      options: { column: 'Marital' },
    });
    expect(rule.options).toEqual({ column: 'Marital' });
    // A change may not leave a fairness metric without its column, nor turn a rule into one without it.
    const dropped = await apiFailure(admin.updateAlertRule(endpoint.id, rule.id, { options: null }));
    expect([dropped.status, dropped.code]).toEqual([400, 'alert_column_required']);
    const plain = await admin.createAlertRule(endpoint.id, { ...base, metric: 'accuracy', name: 'acc' });
    expect(plain.options).toBeNull();
    const turned = await apiFailure(
      admin.updateAlertRule(endpoint.id, plain.id, { metric: 'demographic_parity_difference' }),
    );
    expect([turned.status, turned.code]).toEqual([400, 'alert_column_required']);
    await admin.deleteAlertRule(endpoint.id, plain.id);
    // A column no logged input has is no data, not a failed evaluation.
    const unknown = await admin.createAlertRule(endpoint.id, {
      ...base,
      metric: 'demographic_parity_difference',
      comparison: '>',
      threshold: 0,
      name: 'dp-nope',
      options: { column: 'Nope' },
    });

    const outcomes = await server.server.services.alerts.evaluateNow();
    const outcome = outcomes.find((o) => o.rule.id === rule.id)!;
    expect(outcome.evaluation.status).toBe('firing');
    expect(outcome.evaluation.samples).toBe(600);
    const fairness = await admin.endpointFairness(endpoint.id, {
      column: 'Marital',
      from: outcome.windowStart.toISOString(),
      to: outcome.windowEnd.toISOString(),
    });
    const expected = fairness.tables[0]!.disparity.equalOpportunityRatio!;
    expect(expected).toBeLessThan(0.99);
    expect(Math.abs(outcome.evaluation.value! - expected)).toBeLessThanOrEqual(1e-12);
    const [alert] = (await admin.listAlerts(endpoint.id, { state: 'firing' })).items;
    expect(alert).toMatchObject({ ruleId: rule.id, metric: 'equal_opportunity_ratio', samples: 600 });
    expect(alert!.value).toBe(outcome.evaluation.value);
    expect(outcomes.find((o) => o.rule.id === unknown.id)!.evaluation).toMatchObject({
      status: 'no_data',
      value: null,
    });
  });
});
