// Accuracy from delayed labels on a real server: the series per bucket and rolling over a window, and an SLA
// ("AUC ≥ 0.75 over 7 days") written as an alert rule that fires once labels break it, with the same value.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardClient, type ClassPrediction, type Endpoint, type Feedback } from '@modelyard/client';
import { runCli } from '../../packages/server/src/cli/run-cli.js';
import { apiFailure, userClient } from '../helpers/api-calls.js';
import { creditRecords } from '../helpers/golden-data.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let admin: ModelyardClient;
let endpoint: Endpoint;
let records: Record<string, string | number | null>[];

beforeAll(async () => {
  server = await startTestServer();
  admin = new ModelyardClient({ baseUrl: server.url, token: server.token });
  endpoint = await admin.createEndpoint('demo', { name: 'accuracy', model: 'credit-glm@champion' });
  records = await creditRecords(24);
});

afterAll(async () => server?.close());

describe('accuracy from delayed labels', () => {
  it('refuses bad windows and buckets, and answers viewers with empty buckets before any label', async () => {
    const bucket = await apiFailure(admin.accuracy(endpoint.id, { bucket: '1 hour' }));
    expect([bucket.status, bucket.code]).toEqual([400, 'invalid_duration']);
    const order = await apiFailure(
      admin.accuracy(endpoint.id, { from: '2030-01-02T00:00:00Z', to: '2030-01-01T00:00:00Z' }),
    );
    expect([order.status, order.code]).toEqual([400, 'invalid_window']);
    const many = await apiFailure(
      admin.accuracy(endpoint.id, { from: '2020-01-01T00:00:00Z', to: '2030-01-01T00:00:00Z', bucket: '1h' }),
    );
    expect([many.status, many.code]).toEqual([400, 'too_many_buckets']);

    const viewer = await userClient(admin, server.url, 'accuracy-viewer', { project: 'demo', role: 'viewer' });
    const empty = await viewer.accuracy(endpoint.id, { bucket: '1h', window: '7d' });
    expect(empty).toMatchObject({ task: null, bucket: '1h', window: '7d', records: 0, truncated: false });
    expect(empty.buckets).toHaveLength(30);
    expect(empty.buckets.every((b) => b.count === 0 && b.rolling?.count === 0)).toBe(true);
  });

  it('agrees with an SLA alert rule that fires when labels bring AUC over 7 days below 0.75', async () => {
    const answers: { requestId: string; answer: ClassPrediction }[] = [];
    for (let i = 0; i < records.length; i += 4) {
      const reply = await admin.predict(endpoint.id, records.slice(i, i + 4));
      (reply.predictions as ClassPrediction[]).forEach((answer, index) =>
        answers.push({ requestId: `${reply.requestId}#${index}`, answer }),
      );
    }
    const labels = (flip: boolean): Feedback[] =>
      answers.map(({ requestId, answer }) => {
        const [id, index] = requestId.split('#') as [string, string];
        const other = Object.keys(answer.probabilities).find((c) => c !== answer.label)!;
        return { requestId: id, index: Number(index), label: flip ? other : answer.label };
      });
    // "AUC ≥ 0.75 over 7 days" as a rule: it fires when AUC < 0.75.
    const rule = await admin.createAlertRule(endpoint.id, {
      name: 'sla-auc',
      metric: 'auc',
      window: '7d',
      comparison: '<',
      threshold: 0.75,
    });
    const { alerts } = server.server.services;

    // Labels that agree with the answers: AUC 1, the SLA holds.
    expect((await admin.sendFeedback(endpoint.id, labels(false))).accepted).toBe(answers.length);
    await alerts.evaluateNow();
    const held = (await admin.getAlertRule(endpoint.id, rule.id)).lastEvaluation!;
    expect(held).toMatchObject({ status: 'ok', value: 1, samples: answers.length });
    let series = await admin.accuracy(endpoint.id, { bucket: '1h', window: '7d' });
    expect(series).toMatchObject({ task: 'classification', metrics: ['accuracy', 'log_loss', 'auc'] });
    expect(series.buckets.at(-1)!.rolling).toMatchObject({ count: answers.length, metrics: { accuracy: 1, auc: 1 } });

    // Every label flipped (a later label replaces the earlier one): the SLA breaks and the rule fires.
    await admin.sendFeedback(endpoint.id, labels(true));
    await alerts.evaluateNow();
    const fired = (await admin.listAlerts(endpoint.id)).items;
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ ruleName: 'sla-auc', metric: 'auc', state: 'firing', samples: answers.length });
    expect(fired[0]!.value!).toBeLessThan(0.75);

    series = await admin.accuracy(endpoint.id, { bucket: '1h', window: '7d' });
    const rolling = series.buckets.at(-1)!.rolling!;
    expect(rolling.count).toBe(answers.length);
    expect(rolling.metrics.auc!).toBeCloseTo(fired[0]!.value!, 12);
    expect(rolling.metrics.accuracy).toBe(0);
    // Per bucket: every labelled record in exactly one bucket, all answered by the primary route.
    expect(series.buckets.reduce((n, b) => n + b.count, 0)).toBe(answers.length);
    expect(series.buckets.reduce((n, b) => n + b.routes.primary.count, 0)).toBe(answers.length);
    expect(series.buckets.every((b) => b.routes.canary.count === 0)).toBe(true);
    const labelled = series.buckets.filter((b) => b.count > 0);
    for (const b of labelled) expect(b.metrics.accuracy).toBe(0);
    for (const b of series.buckets.filter((x) => x.count === 0)) expect(b.metrics.auc).toBeNull();
    // A daily series over the same records says the same.
    const daily = await admin.accuracy(endpoint.id, { bucket: '1d', window: '7d' });
    expect(daily.buckets.at(-1)!.rolling!.metrics.auc!).toBeCloseTo(fired[0]!.value!, 12);

    // The CLI prints the buckets with labels and the rolling value.
    let stdout = '';
    const code = await runCli(['accuracy', 'accuracy', '--bucket', '1h', '--window', '7d'], {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: () => undefined, isTTY: false },
      env: {
        MODELYARD_URL: server.url,
        MODELYARD_TOKEN: server.token,
        MODELYARD_PROJECT: 'demo',
        HOME: server.dataDir,
      },
      cwd: server.dataDir,
    });
    expect(code).toBe(0);
    expect(stdout).toContain('AUC 7d');
    expect(stdout).toContain(fired[0]!.value!.toFixed(4));
  });
});
