// Alerts on a real server: rules fired by real predict traffic and feedback labels, signed webhooks received by a
// local HTTP server, a target that never answers (retried per the back-off, the alert kept with its delivery status),
// a retraining action, and pending deliveries surviving a restart.

import { createHmac } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardClient, type Alert, type ClassPrediction, type Endpoint } from '@modelyard/client';
import { runCli } from '../../packages/server/src/cli/run-cli.js';
import { startServer, type RunningServer } from '../../packages/server/src/start.js';
import { apiFailure, userClient } from '../helpers/api-calls.js';
import { creditRecords } from '../helpers/golden-data.js';
import { TEST_ADMIN_TOKEN } from '../helpers/test-server.js';

const SECRET = 'whsec-topsecret-0123';
/** Fast retries: 200 ms, 400 ms, 800 ms between 4 attempts of at most 300 ms each. */
const ALERTS = {
  intervalMs: 0,
  webhookTimeoutMs: 300,
  pollMs: 25,
  backoff: { baseMs: 200, capMs: 2_000, jitter: 0, maxAttempts: 4 },
};

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A webhook receiver: records every request and answers with `status()` (or never, when it returns null). */
async function receiver(status: () => number | null = () => 200) {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      const code = status();
      if (code !== null) res.writeHead(code).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let dataDir: string;
let running: RunningServer;
let admin: ModelyardClient;
let records: Record<string, string | number | null>[];
let hooks: Awaited<ReturnType<typeof receiver>>;

async function start(): Promise<void> {
  running = await startServer({
    port: 0,
    dataDir,
    adminToken: TEST_ADMIN_TOKEN,
    seedDemo: true,
    logger: false,
    workers: 1,
    alerts: ALERTS,
  });
  admin = new ModelyardClient({ baseUrl: running.url, token: TEST_ADMIN_TOKEN });
}

async function endpointNamed(name: string): Promise<Endpoint> {
  return admin.createEndpoint('demo', { name, model: 'credit-glm@champion' });
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'modelyard-alerts-'));
  await start();
  records = await creditRecords(40);
  hooks = await receiver();
});

afterAll(async () => {
  await running?.close();
  await hooks?.close();
});

describe('alert rules', () => {
  it('keeps webhook secrets write-only, refuses bad URLs and durations, and needs editors to write', async () => {
    const endpoint = await endpointNamed('alerts-crud');
    const rule = await admin.createAlertRule(endpoint.id, {
      name: 'slow',
      metric: 'latency_p99',
      window: '15m',
      comparison: '>',
      threshold: 250,
      webhook: { url: 'https://user:pw@hooks.example.com/in?token=abc', secret: SECRET },
    });
    expect(rule).toMatchObject({ minSamples: 1, severity: 'warning', cooldown: '1h', enabled: true, action: null });
    expect(rule.webhook).toEqual({ url: 'https://hooks.example.com/in?token=abc', hasSecret: true });
    expect(JSON.stringify(await admin.listAlertRules(endpoint.id))).not.toContain(SECRET);
    // A change without the secret keeps it; '' removes it.
    const moved = await admin.updateAlertRule(endpoint.id, rule.id, {
      webhook: { url: 'https://hooks.example.com/other' },
    });
    expect(moved.webhook).toEqual({ url: 'https://hooks.example.com/other', hasSecret: true });
    const bare = await admin.updateAlertRule(endpoint.id, rule.id, {
      webhook: { url: 'https://hooks.example.com/other', secret: '' },
    });
    expect(bare.webhook?.hasSecret).toBe(false);

    const base = { metric: 'error_rate', window: '1h', comparison: '>', threshold: 0.1 } as const;
    for (const url of ['ftp://example.com/x', 'file:///etc/passwd', 'not a url']) {
      const e = await apiFailure(admin.createAlertRule(endpoint.id, { ...base, name: 'bad', webhook: { url } }));
      expect([e.status, e.code]).toEqual([400, 'invalid_webhook_url']);
    }
    const d = await apiFailure(admin.createAlertRule(endpoint.id, { ...base, name: 'bad', window: '5 minutes' }));
    expect([d.status, d.code]).toEqual([400, 'invalid_duration']);
    const dup = await apiFailure(admin.createAlertRule(endpoint.id, { ...base, name: 'slow' }));
    expect([dup.status, dup.code]).toEqual([409, 'alert_rule_exists']);

    const viewer = await userClient(admin, running.url, 'alerts-viewer', { project: 'demo', role: 'viewer' });
    expect((await viewer.listAlertRules(endpoint.id)).items).toHaveLength(1);
    expect((await apiFailure(viewer.createAlertRule(endpoint.id, { ...base, name: 'v' }))).status).toBe(403);
    expect((await apiFailure(viewer.deleteAlertRule(endpoint.id, rule.id))).status).toBe(403);
    const outsider = await userClient(admin, running.url, 'alerts-outsider', null);
    expect((await apiFailure(outsider.listAlerts(endpoint.id))).code).toBe('endpoint_not_found');

    await admin.deleteAlertRule(endpoint.id, rule.id);
    expect((await admin.listAlertRules(endpoint.id)).items).toEqual([]);
    // The sealed secret is not on disk in the clear.
    const { readFile } = await import('node:fs/promises');
    expect((await readFile(join(dataDir, 'metadata.sqlite'))).includes(Buffer.from(SECRET))).toBe(false);
  });
});

describe('alerts', () => {
  it('fires an error-rate rule from real predict traffic, delivers a signed webhook, then resolves', async () => {
    const endpoint = await endpointNamed('alerts-errors');
    const rule = await admin.createAlertRule(endpoint.id, {
      name: 'errors',
      metric: 'error_rate',
      window: '15m',
      comparison: '>',
      threshold: 0.2,
      minSamples: 5,
      severity: 'critical',
      webhook: { url: `${hooks.url}/hooks/modelyard?token=abc`, secret: SECRET },
    });
    for (let i = 0; i < 6; i++) await admin.predict(endpoint.id, records.slice(i, i + 1));
    // Records missing every feature: 400 answers, counted as errors.
    for (let i = 0; i < 4; i++) await apiFailure(admin.predict(endpoint.id, [{ nonsense: 1 }]));

    const outcomes = await running.services.alerts.evaluateNow();
    expect(outcomes.find((o) => o.rule.id === rule.id)?.evaluation).toMatchObject({
      value: 0.4,
      samples: 10,
      status: 'firing',
    });
    const [alert] = (await admin.listAlerts(endpoint.id)).items;
    expect(alert).toMatchObject({ ruleId: rule.id, state: 'firing', value: 0.4, threshold: 0.2, severity: 'critical' });

    const hit = await until('the webhook', async () => hooks.received.find((r) => r.body.includes(alert!.id)));
    expect(hit.path).toBe('/hooks/modelyard?token=abc');
    expect(hit.headers['content-type']).toBe('application/json');
    expect(hit.headers['x-modelyard-event']).toBe('alert.firing');
    const expected = createHmac('sha256', SECRET).update(hit.body, 'utf8').digest('hex');
    expect(hit.headers['x-modelyard-signature']).toBe(`sha256=${expected}`);
    const stamp = Number(hit.headers['x-modelyard-timestamp']);
    expect(Math.abs(stamp - Date.now() / 1000)).toBeLessThan(60);
    const body = JSON.parse(hit.body) as { alert: Alert; rule: { id: string; webhook: unknown }; endpoint: unknown };
    expect(body.alert).toMatchObject({ id: alert!.id, metric: 'error_rate', value: 0.4 });
    expect(body.rule).toMatchObject({ id: rule.id, webhook: { hasSecret: true } });
    expect(body.endpoint).toEqual({
      id: endpoint.id,
      name: 'alerts-errors',
      projectId: endpoint.projectId,
      model: 'credit-glm@champion',
    });
    expect(hit.body).not.toContain(SECRET);

    const detail = await until('delivered', async () => {
      const a = await admin.getAlert(alert!.id);
      return a.deliveryStatus === 'delivered' ? a : undefined;
    });
    expect(detail.deliveries).toHaveLength(1);
    expect(detail.deliveries[0]).toMatchObject({
      id: hit.headers['x-modelyard-delivery'],
      event: 'alert.firing',
      status: 'delivered',
      attempts: 1,
      target: `${hooks.url}/hooks/modelyard`,
    });

    // Still holding: no repeat.
    await running.services.alerts.evaluateNow();
    expect((await admin.listAlerts(endpoint.id)).items).toHaveLength(1);
    // Enough good traffic brings the rate to 4/40: resolved, and the receiver hears it.
    for (let i = 0; i < 30; i++) await admin.predict(endpoint.id, records.slice(i, i + 1));
    await running.services.alerts.evaluateNow();
    const resolved = (await admin.listAlerts(endpoint.id, { state: 'resolved' })).items;
    expect(resolved.map((a) => a.id)).toEqual([alert!.id]);
    expect(resolved[0]!.resolvedAt).not.toBeNull();
    expect((await admin.listAlerts(endpoint.id, { state: 'firing' })).items).toEqual([]);
    const back = await until('the resolved webhook', async () =>
      hooks.received.find((r) => r.body.includes(alert!.id) && r.headers['x-modelyard-event'] === 'alert.resolved'),
    );
    expect(JSON.parse(back.body)).toMatchObject({ alert: { state: 'resolved' } });
  });

  it('fires an accuracy rule once delayed labels arrive, and records no data before', async () => {
    const endpoint = await endpointNamed('alerts-accuracy');
    const rule = await admin.createAlertRule(endpoint.id, {
      name: 'accuracy',
      metric: 'accuracy',
      window: '1h',
      comparison: '<',
      threshold: 0.5,
      minSamples: 20,
    });
    const answers = [];
    for (let i = 0; i < 40; i += 4) answers.push(await admin.predict(endpoint.id, records.slice(i, i + 4)));
    await running.services.alerts.evaluateNow();
    expect((await admin.getAlertRule(endpoint.id, rule.id)).lastEvaluation).toMatchObject({
      status: 'no_data',
      samples: 0,
      value: null,
    });
    // Every label contradicts the answer: accuracy 0.
    const labels = answers.flatMap((a) =>
      (a.predictions as ClassPrediction[]).map((p, index) => ({
        requestId: a.requestId,
        index,
        label: Object.keys(p.probabilities).find((c) => c !== p.label)!,
      })),
    );
    expect((await admin.sendFeedback(endpoint.id, labels)).accepted).toBe(40);
    await running.services.alerts.evaluateNow();
    expect((await admin.getAlertRule(endpoint.id, rule.id)).lastEvaluation).toMatchObject({
      status: 'firing',
      samples: 40,
      value: 0,
    });
    const [alert] = (await admin.listAlerts(endpoint.id)).items;
    expect(alert).toMatchObject({ metric: 'accuracy', state: 'firing', deliveryStatus: 'none', samples: 40 });
  });

  it('retries a webhook target that never answers per the back-off, then keeps the alert as failed', async () => {
    const silent = await receiver(() => null);
    try {
      const endpoint = await endpointNamed('alerts-timeout');
      await admin.createAlertRule(endpoint.id, {
        name: 'latency',
        metric: 'latency_p50',
        window: '15m',
        comparison: '>',
        threshold: 0,
        webhook: { url: `${silent.url}/never` },
      });
      await admin.predict(endpoint.id, records.slice(0, 2));
      await running.services.alerts.evaluateNow();
      const [alert] = (await admin.listAlerts(endpoint.id)).items;
      expect(alert!.state).toBe('firing');
      const failed = await until('the last attempt', async () => {
        const a = await admin.getAlert(alert!.id);
        return a.deliveryStatus === 'failed' ? a : undefined;
      });
      const [delivery] = failed.deliveries;
      expect(delivery).toMatchObject({ status: 'failed', attempts: 4, nextAttemptAt: null });
      expect(delivery!.lastError).toBe('no answer within 300 ms');
      expect(delivery!.history).toHaveLength(4);
      expect(delivery!.history.every((h) => h.status === null && h.error === 'no answer within 300 ms')).toBe(true);
      // Each attempt waits out its 300 ms, then 200, 400, 800 ms of back-off before the next.
      const starts = delivery!.history.map((h) => Date.parse(h.at));
      const gaps = starts.slice(1).map((t, i) => t - starts[i]!);
      [200, 400, 800].forEach((backoff, i) => {
        expect(gaps[i]).toBeGreaterThanOrEqual(300 + backoff - 5);
        expect(gaps[i]).toBeLessThan(300 + backoff + 1_500);
      });
      expect(silent.received).toHaveLength(4);
      expect(new Set(silent.received.map((r) => r.headers['x-modelyard-delivery']))).toEqual(new Set([delivery!.id]));
      // The alert stays in the history, still firing, its delivery failed.
      expect((await admin.listAlerts(endpoint.id)).items[0]).toMatchObject({
        id: alert!.id,
        state: 'firing',
        deliveryStatus: 'failed',
      });
    } finally {
      await silent.close();
    }
  });

  it('records raised events without a rule, and fires probe_failure rules with them', async () => {
    const endpoint = await endpointNamed('alerts-events');
    const [recorded] = await running.services.alerts.raise({
      projectId: endpoint.projectId,
      endpointId: endpoint.id,
      kind: 'probe_failure',
      severity: 'critical',
      message: '1 of 3 probes failed',
      details: { probeRun: 'prun_1' },
    });
    expect(recorded).toMatchObject({ ruleId: null, kind: 'probe_failure', deliveryStatus: 'none', state: 'firing' });
    const rule = await admin.createAlertRule(endpoint.id, {
      name: 'probes',
      metric: 'probe_failure',
      window: '1h',
      comparison: '>=',
      threshold: 1,
      webhook: { url: `${hooks.url}/probes` },
    });
    const [fired] = await running.services.alerts.raise({
      projectId: endpoint.projectId,
      endpointId: endpoint.id,
      modelId: 'mdl_x',
      kind: 'probe_failure',
      severity: 'critical',
      message: '2 of 3 probes failed',
    });
    expect(fired).toMatchObject({ ruleId: rule.id, kind: 'probe_failure', message: '2 of 3 probes failed' });
    await until('the probe webhook', async () => hooks.received.find((r) => r.body.includes(fired!.id)));
    // The same event again within the cooldown is the same alert.
    const [again] = await running.services.alerts.raise({
      projectId: endpoint.projectId,
      endpointId: endpoint.id,
      kind: 'probe_failure',
      severity: 'critical',
      message: '2 of 3 probes failed',
    });
    expect(again!.id).toBe(fired!.id);
    // No source for probe_failure yet: evaluation is "no data", which neither resolves nor repeats.
    await running.services.alerts.evaluateNow();
    expect((await admin.getAlertRule(endpoint.id, rule.id)).lastEvaluation?.status).toBe('no_data');
    expect((await admin.getAlert(fired!.id)).state).toBe('firing');
  });

  it('starts a retraining run when a rule fires, registers it and moves the alias through the gates', async () => {
    const model = (await admin.listModels('demo')).items.find((m) => m.name === 'credit-glm')!;
    const runId = (await admin.getModelVersion(model.id, 1)).runId;
    const endpoint = await endpointNamed('alerts-retrain');
    const action = { kind: 'retrain', runTemplate: { run: runId }, registerAs: 'credit-glm' } as const;
    const bad = await apiFailure(
      admin.createAlertRule(endpoint.id, {
        name: 'bad',
        metric: 'latency_p50',
        window: '1h',
        comparison: '>',
        threshold: 0,
        action: { ...action, runTemplate: { run: 'run_missing' } },
      }),
    );
    expect(bad.code).toBe('run_not_found');
    await admin.createAlertRule(endpoint.id, {
      name: 'retrain',
      metric: 'latency_p50',
      window: '1h',
      comparison: '>',
      threshold: 0,
      action: { ...action, promoteAlias: 'challenger' },
    });
    // A gate no fresh version passes on `blocked`: the second rule's promotion is refused, not forced.
    await admin.createGate(model.id, { kind: 'approvals', count: 1, role: 'editor' }, ['blocked']);
    await admin.createAlertRule(endpoint.id, {
      name: 'retrain-gated',
      metric: 'latency_p50',
      window: '1h',
      comparison: '>',
      threshold: 0,
      action: { ...action, promoteAlias: 'blocked' },
    });
    await admin.predict(endpoint.id, records.slice(0, 1));
    await running.services.alerts.evaluateNow();
    const alerts = (await admin.listAlerts(endpoint.id)).items;
    expect(alerts).toHaveLength(2);
    const done = await until(
      'both retraining actions',
      async () => {
        const now = await Promise.all(alerts.map((a) => admin.getAlert(a.id)));
        return now.every((a) => a.action && a.action.status !== 'training') ? now : undefined;
      },
      120_000,
    );
    const byRule = new Map(done.map((a) => [a.ruleName, a.action!]));
    expect(byRule.get('retrain')).toMatchObject({ status: 'promoted', model: 'credit-glm', message: null });
    expect(byRule.get('retrain-gated')).toMatchObject({ status: 'gates_failed', model: 'credit-glm' });
    expect(byRule.get('retrain-gated')!.message).toContain('approvals');
    const promoted = byRule.get('retrain')!;
    const run = await admin.getRun(promoted.runId!);
    expect(run).toMatchObject({ status: 'succeeded' });
    expect(run.tags['modelyard.alert']).toBeDefined();
    const after = await admin.getModel(model.id);
    expect(after.aliases).toMatchObject({ challenger: promoted.modelVersion });
    expect(after.aliases.blocked).toBeUndefined();
  }, 180_000);

  it('creates, lists and deletes rules and lists alerts from the CLI', async () => {
    await endpointNamed('alerts-cli');
    const cli = async (...argv: string[]) => {
      let stdout = '';
      let stderr = '';
      const code = await runCli(argv, {
        stdout: { write: (s: string) => (stdout += s) },
        stderr: { write: (s: string) => (stderr += s), isTTY: false },
        env: {
          MODELYARD_URL: running.url,
          MODELYARD_TOKEN: TEST_ADMIN_TOKEN,
          MODELYARD_PROJECT: 'demo',
          HOME: dataDir,
          HOOK_SECRET: SECRET,
        },
        cwd: dataDir,
      });
      return { code, stdout, stderr };
    };
    const created = await cli(
      'alerts',
      'rules',
      'create',
      'alerts-cli',
      'slow',
      '--metric',
      'latency_p99',
      '--window',
      '15m',
      '--when',
      '>',
      '--threshold',
      '0',
      '--webhook',
      `${hooks.url}/cli`,
      '--secret-env',
      'HOOK_SECRET',
      '--json',
    );
    expect([created.code, created.stderr]).toEqual([0, '']);
    expect(JSON.parse(created.stdout)).toMatchObject({ name: 'slow', webhook: { hasSecret: true } });
    expect(created.stdout).not.toContain(SECRET);
    const listed = await cli('alerts', 'rules', 'list', 'alerts-cli');
    expect(listed.stdout).toContain('latency_p99 > 0');
    expect(listed.stdout).toContain('signed');
    const bad = await cli(
      'alerts',
      'rules',
      'create',
      'alerts-cli',
      'x',
      '--metric',
      'error_rate',
      '--window',
      '1h',
      '--when',
      '=',
      '--threshold',
      '1',
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('invalid_option');
    const empty = await cli('alerts', 'list', 'alerts-cli');
    expect(empty.stdout).toContain('No alerts on alerts-cli.');
    expect((await cli('alerts', 'rules', 'delete', 'alerts-cli', 'slow')).code).toBe(0);
    expect((await cli('alerts', 'rules', 'list', 'alerts-cli')).stdout).toContain('No alert rules on alerts-cli.');
  });

  it('keeps pending deliveries across a restart and delivers them from the next server', async () => {
    let answer = 503;
    const flaky = await receiver(() => answer);
    try {
      const endpoint = await endpointNamed('alerts-restart');
      await admin.createAlertRule(endpoint.id, {
        name: 'latency',
        metric: 'latency_p50',
        window: '15m',
        comparison: '>',
        threshold: 0,
        webhook: { url: `${flaky.url}/restart`, secret: SECRET },
      });
      await admin.predict(endpoint.id, records.slice(0, 1));
      await running.services.alerts.evaluateNow();
      const [alert] = (await admin.listAlerts(endpoint.id)).items;
      await until('a first refused attempt', async () => (flaky.received.length > 0 ? true : undefined));
      await running.close();
      const before = flaky.received.length;
      answer = 200;
      await start();
      const delivered = await until('delivery after the restart', async () => {
        const a = await admin.getAlert(alert!.id);
        return a.deliveryStatus === 'delivered' ? a : undefined;
      });
      expect(flaky.received.length).toBeGreaterThan(before);
      const [delivery] = delivered.deliveries;
      expect(delivery!.status).toBe('delivered');
      expect(delivery!.history.at(-1)!.status).toBe(200);
      expect(delivery!.history.slice(0, -1).every((h) => h.status === 503)).toBe(true);
      const last = flaky.received.at(-1)!;
      expect(last.headers['x-modelyard-delivery']).toBe(delivery!.id);
      const expected = createHmac('sha256', SECRET).update(last.body, 'utf8').digest('hex');
      expect(last.headers['x-modelyard-signature']).toBe(`sha256=${expected}`);
    } finally {
      await flaky.close();
    }
  });
});
