// Issue 7's end-to-end path on wa_churn, on one real server: deploy a churn model; send traffic drawn from a shifted
// distribution; see drift detected and the alert's signed webhook received by a local server; send the true labels
// as feedback and see accuracy computed; shadow-deploy a deliberately broken version and see the probes catch it.

import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardClient, type Endpoint, type FeatureRecord, type Model } from '@modelyard/client';
import { startServer, type RunningServer } from '../../packages/server/src/start.js';
import { TEST_ADMIN_TOKEN } from '../helpers/test-server.js';

const WA_CHURN = fileURLToPath(new URL('../../../shared/data/wa_churn.csv', import.meta.url));
const SECRET = 'whsec-churn-0123456789';

/** wa_churn.csv as records (quoted strings, bare numbers, empty = missing) and the true `churn` of each. */
function churnRows(): { records: FeatureRecord[]; truth: string[] } {
  const [header = '', ...lines] = readFileSync(WA_CHURN, 'utf8').trim().split('\n');
  const names = header.split(',').map((n) => n.replaceAll('"', ''));
  const records: FeatureRecord[] = [];
  const truth: string[] = [];
  for (const line of lines) {
    const cells = line.split(',').map((c): string | number | null => {
      if (c === '') return null;
      if (c.startsWith('"')) return c.slice(1, -1);
      return Number(c);
    });
    const record: FeatureRecord = {};
    names.forEach((name, i) => {
      if (name === 'churn') truth.push(String(cells[i]));
      else record[name] = cells[i] ?? null;
    });
    records.push(record);
  }
  return { records, truth };
}

/** Customers who have been around for years and pay far more: a market that moved. */
function shifted(record: FeatureRecord): FeatureRecord {
  const tenure = typeof record.tenure === 'number' ? record.tenure : 0;
  const monthly = typeof record.monthly_charges === 'number' ? record.monthly_charges : 0;
  return {
    ...record,
    tenure: Math.min(72, tenure + 36),
    monthly_charges: monthly * 1.6 + 20,
    total_charges: (monthly * 1.6 + 20) * Math.min(72, tenure + 36),
    contract: 'Two year',
  };
}

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

let dataDir: string;
let running: RunningServer;
let admin: ModelyardClient;
let hookServer: Server;
let hookUrl: string;
const received: Received[] = [];
let model: Model;
let endpoint: Endpoint;
const { records, truth } = churnRows();
/** Every third customer: the file's order is not random. */
const sample = records.map((r, i) => ({ r, y: truth[i]!, i })).filter(({ i }) => i % 3 === 0);

async function train(dataset: string): Promise<string> {
  const run = await admin.createRun('churn', {
    dataset,
    target: 'churn',
    task: 'classification',
    algorithm: 'gbdt',
    params: { nTrees: 40, maxDepth: 4, seed: 1 },
  });
  const done = await admin.waitForRun(run.id, { intervalMs: 100, timeoutMs: 180_000 });
  expect(done.status).toBe('succeeded');
  return done.id;
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  hookServer = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => hookServer.listen(0, '127.0.0.1', resolve));
  hookUrl = `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hooks`;
  dataDir = await mkdtemp(join(tmpdir(), 'modelyard-monitoring-'));
  running = await startServer({
    port: 0,
    dataDir,
    adminToken: TEST_ADMIN_TOKEN,
    seedDemo: false,
    logger: false,
    workers: 1,
    alerts: {
      intervalMs: 0,
      webhookTimeoutMs: 2_000,
      pollMs: 25,
      backoff: { baseMs: 100, capMs: 1_000, jitter: 0, maxAttempts: 4 },
    },
  });
  admin = new ModelyardClient({ baseUrl: running.url, token: TEST_ADMIN_TOKEN });
  await admin.createProject({ name: 'churn' });
  await admin.createDatasetFromFile('churn', {
    name: 'wa_churn',
    filename: 'wa_churn.csv',
    data: new Uint8Array(readFileSync(WA_CHURN)),
  });
  // The broken version: trained on the same customers with every label turned around.
  await admin.createDatasetFromQuery('churn', {
    name: 'wa_churn_flipped',
    sql: "SELECT * REPLACE (CASE WHEN churn = 'Yes' THEN 'No' ELSE 'Yes' END AS churn) FROM wa_churn",
  });
  model = await admin.createModel('churn', { name: 'churn' });
  await admin.registerModelVersion(model.id, await train('wa_churn'));
  await admin.registerModelVersion(model.id, await train('wa_churn_flipped'));
  await admin.setAlias(model.id, 'live', 1);
  endpoint = await admin.createEndpoint('churn', { name: 'churn', model: 'churn@live' });
}, 600_000);

afterAll(async () => {
  await running?.close();
  hookServer?.closeAllConnections();
  await new Promise<void>((resolve) => hookServer?.close(() => resolve()) ?? resolve());
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('monitoring a churn model in production', () => {
  let shiftedRequests: { requestId: string; rows: { y: string }[]; answered: string[] }[] = [];

  it('detects drift in shifted traffic and delivers the alert as a signed webhook', async () => {
    await admin.createAlertRule(endpoint.id, {
      name: 'churn-drift',
      metric: 'dataset_drift',
      window: '1h',
      comparison: '>=',
      threshold: 1,
      webhook: { url: hookUrl, secret: SECRET },
    });
    const from = new Date().toISOString();
    shiftedRequests = [];
    for (let i = 0; i < sample.length; i += 200) {
      const chunk = sample.slice(i, i + 200);
      const answer = await admin.predict(
        endpoint.id,
        chunk.map(({ r }) => shifted(r)),
      );
      // The shift pushes values past anything seen in training: the answers say so.
      expect(answer.warnings?.some((w) => w.problem === 'out_of_range' || w.problem === 'unseen_category')).toBe(true);
      const answered = answer.predictions.map((p) => ('label' in p ? p.label : ''));
      shiftedRequests.push({ requestId: answer.requestId, rows: chunk, answered });
    }
    const report = await admin.runDrift(endpoint.id, { from });
    expect(report.currentRows).toBe(sample.length);
    const byName = new Map(report.columns.map((c) => [c.column, c]));
    for (const name of ['tenure', 'monthly_charges', 'total_charges', 'contract']) {
      expect(byName.get(name)?.drifted, name).toBe(true);
    }
    expect(byName.get('female')?.drifted).toBe(false);
    expect(report.prediction?.drifted).toBe(true);

    // Four of nineteen features moved: not dataset drift by the 50 % rule, so a rule on the share of drifted
    // features fires instead; ask for 20 %.
    expect(report.datasetDrift).toBe(false);
    const rules = (await admin.listAlertRules(endpoint.id)).items;
    await admin.updateAlertRule(endpoint.id, rules[0]!.id, { metric: 'drift_share', threshold: 0.2 });
    await running.services.alerts.evaluateNow();
    const hook = await until('the drift webhook', () => received.find((r) => r.body.includes('churn-drift')));
    const signature = createHmac('sha256', SECRET).update(hook.body).digest('hex');
    expect(hook.headers['x-modelyard-signature']).toBe(`sha256=${signature}`);
    expect(hook.headers['x-modelyard-event']).toBe('alert.firing');
    const body = JSON.parse(hook.body) as { alert: { metric: string; value: number } };
    expect(body.alert.metric).toBe('drift_share');
    expect(body.alert.value).toBeGreaterThanOrEqual(4 / 19);
  });

  it('computes accuracy once the true labels arrive', async () => {
    const labels = shiftedRequests.flatMap(({ requestId, rows }) =>
      rows.map(({ y }, index) => ({ requestId, index, label: y })),
    );
    const reply = await admin.sendFeedback(endpoint.id, [
      ...labels,
      { requestId: 'inf_never_answered', label: 'Yes' },
      { requestId: shiftedRequests[0]!.requestId, index: 1, label: 42 },
    ]);
    expect(reply.accepted).toBe(labels.length);
    expect(reply.unknown).toEqual([{ requestId: 'inf_never_answered', index: 0 }]);
    expect(reply.invalid.map((i) => i.code)).toEqual(['label_not_a_class']);
    await admin.createAlertRule(endpoint.id, {
      name: 'churn-accuracy',
      metric: 'accuracy',
      window: '1h',
      comparison: '<',
      threshold: 1.01,
    });
    await running.services.alerts.evaluateNow();
    const alerts = (await admin.listAlerts(endpoint.id)).items;
    const accuracy = alerts.find((a) => a.ruleName === 'churn-accuracy')!;
    // The accuracy the alert saw equals the share of answers that were right, counted here.
    let right = 0;
    for (const { rows, answered } of shiftedRequests) rows.forEach(({ y }, i) => (right += answered[i] === y ? 1 : 0));
    expect(accuracy.samples).toBe(labels.length);
    expect(accuracy.value).toBeCloseTo(right / labels.length, 12);
  });

  it('catches a deliberately broken version deployed as shadow with the probes', async () => {
    // Probes: customers whose churn the good version gets right with confidence.
    const answers = await admin.predict(
      endpoint.id,
      sample.slice(0, 200).map(({ r }) => r),
    );
    const probes = answers.predictions
      .map((p, i) => ({ p: p as { label: string; probabilities: Record<string, number> }, i }))
      .filter(({ p, i }) => p.label === sample[i]!.y && Math.max(...Object.values(p.probabilities)) > 0.8)
      .slice(0, 6)
      .map(({ p, i }) => ({ name: `customer-${sample[i]!.i}`, record: sample[i]!.r, expect: { label: p.label } }));
    expect(probes.length).toBe(6);
    await admin.setProbes(model.id, { probes });
    expect((await admin.runProbes(model.id, 1)).passed).toBe(true);
    await admin.updateEndpoint(endpoint.id, { shadow: { model: 'churn@2', share: 1 } });
    await admin.createAlertRule(endpoint.id, {
      name: 'churn-probes',
      metric: 'probe_failure',
      window: '1h',
      comparison: '>=',
      threshold: 1,
      webhook: { url: hookUrl, secret: SECRET },
    });
    const runs = (await admin.probeEndpoint(endpoint.id)).items;
    const byRoute = new Map(runs.map((r) => [r.route, r]));
    expect(byRoute.get('primary')?.passed).toBe(true);
    expect(byRoute.get('shadow')?.passed).toBe(false);
    expect(byRoute.get('shadow')?.failed).toBe(6);
    await until('the probe webhook', () => received.find((r) => r.body.includes('churn-probes')));
  });
});
