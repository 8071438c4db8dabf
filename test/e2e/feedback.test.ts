// Delayed labels on a real server: feedback matched to logged requests (even before the batched log commits),
// unknown and wrong-typed labels reported, a later label replacing an earlier one, the shadow report's metrics of both
// versions on the labelled records, the CLI, and malformed bodies.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ModelyardClient,
  type ClassPrediction,
  type Endpoint,
  type Feedback,
  type FeatureRecord,
  type RegressionPrediction,
  type ShadowReport,
} from '@modelyard/client';
import { runCli } from '../../packages/server/src/cli/run-cli.js';
import { apiFailure, userClient } from '../helpers/api-calls.js';
import { CREDIT_CSV, creditRecords, regressionCsv } from '../helpers/golden-data.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let admin: ModelyardClient;
let endpoint: Endpoint;
let shadowTwin: Endpoint;
let records: Record<string, string | number | null>[];
/** The true Status of each credit record. */
let truth: string[];

async function train(nTrees: number): Promise<string> {
  const run = await admin.createRun('demo', {
    dataset: 'credit_data',
    target: 'Status',
    task: 'classification',
    algorithm: 'gbdt',
    params: { nTrees, maxDepth: 3 },
  });
  return (await admin.waitForRun(run.id, { intervalMs: 100, timeoutMs: 120_000 })).id;
}

beforeAll(async () => {
  server = await startTestServer();
  admin = new ModelyardClient({ baseUrl: server.url, token: server.token });
  const model = await admin.createModel('demo', { name: 'credit-feedback' });
  for (const nTrees of [10, 30]) await admin.registerModelVersion(model.id, await train(nTrees));
  await admin.setAlias(model.id, 'champion', 1);
  endpoint = await admin.createEndpoint('demo', { name: 'credit-feedback', model: 'credit-feedback@champion' });
  await admin.updateEndpoint(endpoint.id, { shadow: { model: 'credit-feedback@2', share: 1 } });
  // Serves the shadow's version, so the test sees the answers the shadow logged.
  shadowTwin = await admin.createEndpoint('demo', { name: 'credit-feedback-v2', model: 'credit-feedback@2' });
  records = await creditRecords(60);
  const lines = (await readFile(CREDIT_CSV, 'utf8')).trim().split('\n').slice(1, 61);
  truth = lines.map((line) => line.slice(1, line.indexOf('"', 1)));
});

afterAll(async () => {
  await server?.close();
});

/** Accuracy, log loss and (two classes) ROC AUC as scikit-learn defines them, written out independently here. */
function expected(labels: string[], answers: ClassPrediction[]): Record<string, number> {
  const classes = Object.keys(answers[0]!.probabilities);
  const n = labels.length;
  const eps = Number.EPSILON;
  let correct = 0;
  let loss = 0;
  labels.forEach((y, i) => {
    const answer = answers[i]!;
    if (answer.label === y) correct++;
    const clipped = classes.map((c) => Math.min(1 - eps, Math.max(eps, answer.probabilities[c] ?? 0)));
    const sum = clipped.reduce((a, b) => a + b, 0);
    loss -= Math.log(clipped[classes.indexOf(y)]! / sum);
  });
  const positive = classes[1]!;
  const score = (i: number) => answers[i]!.probabilities[positive]!;
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] !== positive) continue;
    for (let j = 0; j < n; j++) {
      if (labels[j] === positive) continue;
      pairs++;
      wins += score(i) > score(j) ? 1 : score(i) === score(j) ? 0.5 : 0;
    }
  }
  return { accuracy: correct / n, log_loss: loss / n, auc: wins / pairs };
}

async function reportOf(mirrored: number, of: Endpoint = endpoint): Promise<ShadowReport> {
  // Mirrored requests are scored after their answer is sent: wait until the shadow logged them all.
  for (let attempt = 0; attempt < 100; attempt++) {
    const report = await admin.shadowReport(of.id);
    if (report.mirrored >= mirrored) return report;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the shadow did not log every mirrored request');
}

describe('feedback', () => {
  it('matches labels to logged records and compares primary and shadow on them in the shadow report', async () => {
    // 20 requests of one record and 10 of four: 60 records.
    const requests: { requestId: string; first: number; count: number; answers: ClassPrediction[] }[] = [];
    const batches = [
      ...Array.from({ length: 20 }, (_, i) => ({ first: i, count: 1 })),
      ...Array.from({ length: 10 }, (_, i) => ({ first: 20 + 4 * i, count: 4 })),
    ];
    const answered = await Promise.all(
      batches.map(async ({ first, count }) => ({
        first,
        count,
        answer: await admin.predict(endpoint.id, records.slice(first, first + count)),
      })),
    );
    for (const { first, count, answer } of answered) {
      expect(answer.route).toBe('primary');
      requests.push({
        requestId: answer.requestId,
        first,
        count,
        answers: answer.predictions as ClassPrediction[],
      });
    }
    // At once, before the batched log has necessarily committed: every label still finds its request.
    const labels: Feedback[] = [];
    for (const r of requests) {
      for (let i = 0; i < r.count; i++) {
        labels.push({ requestId: r.requestId, ...(i > 0 && { index: i }), label: truth[r.first + i]! });
      }
    }
    const [firstRequest] = requests;
    const flipped = truth[0] === 'good' ? 'bad' : 'good';
    const reply = await admin.sendFeedback(endpoint.id, [
      // Replaced later in this call by the true label.
      { requestId: firstRequest!.requestId, label: flipped },
      ...labels,
      { requestId: 'inf_not_a_request', label: 'good' },
      { requestId: requests[25]!.requestId, index: 4, label: 'good' },
      { requestId: shadowTwin.id, label: 'good' },
      { requestId: requests[1]!.requestId, label: 'maybe' },
      { requestId: requests[2]!.requestId, label: 0.5 },
    ] as Feedback[]);
    expect(reply.accepted).toBe(61);
    expect(reply.unknown).toEqual([
      { requestId: 'inf_not_a_request', index: 0 },
      { requestId: requests[25]!.requestId, index: 4 },
      { requestId: shadowTwin.id, index: 0 },
    ]);
    expect(reply.invalid.map((i) => [i.position, i.code])).toEqual([
      [64, 'label_not_a_class'],
      [65, 'label_not_a_class'],
    ]);
    expect(reply.invalid[0]!.message).toMatch(
      /^Label "maybe" is not one of the model's classes \('(bad|good)', '(bad|good)'\)\.$/,
    );

    // A later call replaces a label too: flip one, then set it back.
    const second = requests[1]!;
    expect((await admin.sendFeedback(endpoint.id, [{ requestId: second.requestId, label: flipped }])).accepted).toBe(1);
    const back = await admin.sendFeedback(endpoint.id, [{ requestId: second.requestId, index: 0, label: truth[1]! }]);
    expect(back).toEqual({ accepted: 1, unknown: [], invalid: [] });

    // The shadow's answers: the same version scores the same records the same way on another endpoint.
    const shadowAnswers: ClassPrediction[] = [];
    for (const r of requests) {
      const twin = await admin.predict(shadowTwin.id, records.slice(r.first, r.first + r.count));
      shadowAnswers.push(...(twin.predictions as ClassPrediction[]));
    }
    const primaryAnswers = requests.flatMap((r) => r.answers);
    const labelsInOrder = requests.flatMap((r) => truth.slice(r.first, r.first + r.count));
    expect(new Set(labelsInOrder)).toEqual(new Set(['good', 'bad']));

    const report = await reportOf(requests.length);
    expect(report).toMatchObject({ mirrored: 30, records: 60, errors: 0 });
    const metrics = report.metrics!;
    expect(metrics.labelled).toBe(60);
    const primary = expected(labelsInOrder, primaryAnswers);
    const shadow = expected(labelsInOrder, shadowAnswers);
    for (const name of ['accuracy', 'log_loss', 'auc']) {
      expect(metrics.primary[name], `primary ${name}`).toBeCloseTo(primary[name]!, 10);
      expect(metrics.shadow[name], `shadow ${name}`).toBeCloseTo(shadow[name]!, 10);
      expect(metrics.delta[name], `delta ${name}`).toBeCloseTo(shadow[name]! - primary[name]!, 10);
    }
    // The versions differ (10 and 30 trees).
    expect(metrics.delta.log_loss).not.toBe(0);
  });

  it('takes labels from whoever may call predict, and hides endpoints from non-members', async () => {
    const viewer = await userClient(admin, server.url, 'feedback-viewer', { project: 'demo', role: 'viewer' });
    const outsider = await userClient(admin, server.url, 'feedback-outsider', null);
    const answer = await viewer.predict(endpoint.id, records.slice(0, 1));
    expect(await viewer.sendFeedback(endpoint.id, [{ requestId: answer.requestId, label: truth[0]! }])).toEqual({
      accepted: 1,
      unknown: [],
      invalid: [],
    });
    const hidden = await apiFailure(
      outsider.sendFeedback(endpoint.id, [{ requestId: answer.requestId, label: 'good' }]),
    );
    expect([hidden.status, hidden.code]).toEqual([404, 'endpoint_not_found']);
    // Labels are per endpoint: another endpoint's request is unknown here.
    expect((await admin.sendFeedback(shadowTwin.id, [{ requestId: answer.requestId, label: 'good' }])).unknown).toEqual(
      [{ requestId: answer.requestId, index: 0 }],
    );
  });

  it('sends a CSV of labels through the CLI', async () => {
    const answer = await admin.predict(endpoint.id, records.slice(0, 2));
    const file = join(server.dataDir, 'labels.csv');
    await writeFile(
      file,
      `requestId,index,label\n${answer.requestId},0,${truth[0]}\n${answer.requestId},1,"${truth[1]}"\n${answer.requestId},2,good\n`,
    );
    let stdout = '';
    let stderr = '';
    const code = await runCli(['endpoints', 'feedback', 'credit-feedback', '--file', file, '--json'], {
      stdout: { write: (s: string) => (stdout += s) },
      stderr: { write: (s: string) => (stderr += s), isTTY: false },
      env: {
        MODELYARD_URL: server.url,
        MODELYARD_TOKEN: server.token,
        MODELYARD_PROJECT: 'demo',
        HOME: server.dataDir,
      },
      cwd: server.dataDir,
    });
    expect([code, stderr]).toEqual([0, '']);
    expect(JSON.parse(stdout)).toEqual({
      accepted: 2,
      unknown: [{ requestId: answer.requestId, index: 2 }],
      invalid: [],
    });
  });

  it('refuses malformed bodies with 400 invalid_request', async () => {
    const post = async (body: unknown) => {
      const response = await fetch(`${server.url}/api/v1/endpoints/${endpoint.id}/feedback`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return [response.status, ((await response.json()) as { error?: { code: string } }).error?.code];
    };
    const tooMany = Array.from({ length: 10_001 }, (_, i) => ({ requestId: `inf_${i}`, label: 'good' }));
    for (const body of [
      [],
      'labels',
      {},
      { labels: 'good' },
      { labels: { requestId: 'inf_1', label: 'good' } },
      { labels: tooMany },
      { labels: [{ requestId: 7, label: 'good' }] },
      { labels: [{ label: 'good' }] },
      { labels: [{ requestId: 'inf_1' }] },
      { labels: [{ requestId: 'inf_1', index: -1, label: 'good' }] },
      { labels: [{ requestId: 'inf_1', index: 0.5, label: 'good' }] },
      { labels: [{ requestId: 'inf_1', label: 'good', weight: 2 }] },
      { labels: [], extra: true },
    ]) {
      expect(await post(body), JSON.stringify(body).slice(0, 80)).toEqual([400, 'invalid_request']);
    }
    // Exactly 10,000 is fine: every one unknown here.
    const most = await admin.sendFeedback(endpoint.id, tooMany.slice(1));
    expect([most.accepted, most.unknown.length, most.invalid.length]).toEqual([0, 10_000, 0]);
    expect(await post({ labels: [] })).toEqual([200, undefined]);
  });
});

describe('feedback on a regression endpoint', () => {
  it('takes finite numbers only and reports rmse, mae and r2 of both versions', async () => {
    const csv = regressionCsv(200, 4242);
    await writeFile(join(server.dataDir, 'imports', 'feedback-synth.csv'), csv);
    const dataset = await admin.createDatasetFromPath('demo', {
      name: 'feedback-synth',
      path: join(server.dataDir, 'imports', 'feedback-synth.csv'),
    });
    const model = await admin.createModel('demo', { name: 'synth-feedback' });
    for (const algorithm of ['glm', 'gbdt'] as const) {
      const run = await admin.createRun('demo', { dataset: dataset.id, target: 'y', task: 'regression', algorithm });
      await admin.registerModelVersion(model.id, (await admin.waitForRun(run.id, { intervalMs: 100 })).id);
    }
    const served = await admin.createEndpoint('demo', { name: 'synth-feedback', model: 'synth-feedback@1' });
    await admin.updateEndpoint(served.id, { shadow: { model: 'synth-feedback@2', share: 1 } });
    const twin = await admin.createEndpoint('demo', { name: 'synth-feedback-v2', model: 'synth-feedback@2' });
    const rows = csv
      .trim()
      .split('\n')
      .slice(1, 31)
      .map((line) => line.split(','));
    const features: FeatureRecord[] = rows.map(([x1, x2, grp]) => ({ x1: Number(x1), x2: Number(x2), grp: grp! }));
    const y = rows.map((r) => Number(r[3]));
    const answers = await Promise.all(features.map((f) => admin.predict(served.id, [f])));
    const reply = await admin.sendFeedback(served.id, [
      ...answers.map((a, i) => ({ requestId: a.requestId, label: y[i]! })),
      { requestId: answers[0]!.requestId, label: '3.5' },
      { requestId: answers[0]!.requestId, label: null as unknown as number },
    ]);
    expect(reply.accepted).toBe(30);
    expect(reply.invalid.map((i) => [i.position, i.code])).toEqual([
      [30, 'label_not_a_number'],
      [31, 'label_not_a_number'],
    ]);

    const primary = answers.map((a) => (a.predictions[0] as RegressionPrediction).value);
    const shadow = (await admin.predict(twin.id, features)).predictions.map((p) => (p as RegressionPrediction).value);
    const expectedOf = (values: number[]) => {
      const mean = y.reduce((a, b) => a + b, 0) / y.length;
      const sse = values.reduce((sum, v, i) => sum + (y[i]! - v) ** 2, 0);
      const sst = y.reduce((sum, v) => sum + (v - mean) ** 2, 0);
      return {
        rmse: Math.sqrt(sse / y.length),
        mae: values.reduce((sum, v, i) => sum + Math.abs(y[i]! - v), 0) / y.length,
        r2: 1 - sse / sst,
      };
    };
    const report = await reportOf(30, served);
    const metrics = report.metrics!;
    expect(metrics.labelled).toBe(30);
    const [p, s] = [expectedOf(primary), expectedOf(shadow)];
    for (const name of ['rmse', 'mae', 'r2'] as const) {
      expect(metrics.primary[name], `primary ${name}`).toBeCloseTo(p[name], 10);
      expect(metrics.shadow[name], `shadow ${name}`).toBeCloseTo(s[name], 10);
      expect(metrics.delta[name], `delta ${name}`).toBeCloseTo(s[name] - p[name], 10);
    }
  });
});
