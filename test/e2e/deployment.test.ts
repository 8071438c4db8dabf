// Deployment on a real server: readiness gates and reviews, canary and shadow routes, hot swaps under load with no
// failed request, a version that does not load, back-pressure, and bad predict payloads.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardClient, type Endpoint, type Model, type Run } from '@modelyard/client';
import { apiFailure, userClient } from '../helpers/api-calls.js';
import { creditRecords } from '../helpers/golden-data.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let admin: ModelyardClient;
let runs: Run[];
let model: Model;
let records: Record<string, string | number | null>[];

async function train(params: Record<string, number>): Promise<Run> {
  const run = await admin.createRun('demo', {
    dataset: 'credit_data',
    target: 'Status',
    task: 'classification',
    algorithm: 'gbdt',
    params,
  });
  return admin.waitForRun(run.id, { intervalMs: 100, timeoutMs: 120_000 });
}

beforeAll(async () => {
  server = await startTestServer();
  admin = new ModelyardClient({ baseUrl: server.url, token: server.token });
  runs = [];
  for (const nTrees of [20, 40, 30]) runs.push(await train({ nTrees, maxDepth: 3 }));
  model = await admin.createModel('demo', { name: 'credit-deploy' });
  for (const run of runs) await admin.registerModelVersion(model.id, run.id);
  await admin.setAlias(model.id, 'champion', 1);
  records = await creditRecords(20);
});

afterAll(async () => {
  await server?.close();
});

describe('registry', () => {
  it('keeps a description and tags per version, removable, audited', async () => {
    const viewer = await userClient(admin, server.url, 'registry-viewer', { project: 'demo', role: 'viewer' });
    const updated = await admin.updateModelVersion(model.id, 2, {
      description: 'Deeper trees; candidate for production.',
      tags: { ticket: 'RISK-42', reviewed: 'no' },
    });
    expect(updated).toMatchObject({
      version: 2,
      source: 'run',
      description: 'Deeper trees; candidate for production.',
    });
    expect(updated.tags).toEqual({ ticket: 'RISK-42', reviewed: 'no' });
    const again = await admin.updateModelVersion(model.id, 2, { tags: { reviewed: null } });
    expect(again.tags).toEqual({ ticket: 'RISK-42' });
    expect(await viewer.getModelVersion(model.id, 2)).toEqual(again);
    expect((await viewer.listModelVersions(model.id)).items.find((v) => v.version === 2)?.tags).toEqual({
      ticket: 'RISK-42',
    });
    expect((await apiFailure(viewer.updateModelVersion(model.id, 2, { description: 'x' }))).code).toBe('forbidden');
    expect((await apiFailure(admin.getModelVersion(model.id, 99))).code).toBe('model_version_not_found');
    const actions = (await admin.listAudit({ project: 'demo' })).items.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['model.version.update', 'model.version.tag', 'model.version.untag']),
    );
  });
});

describe('readiness gates', () => {
  it('refuses an alias move that fails a gate, lists every failing gate, and moves once reviews pass', async () => {
    const editorA = await userClient(admin, server.url, 'gate-editor-a', { project: 'demo', role: 'editor' });
    const editorB = await userClient(admin, server.url, 'gate-editor-b', { project: 'demo', role: 'editor' });
    const viewer = await userClient(admin, server.url, 'gate-viewer', { project: 'demo', role: 'viewer' });

    expect((await apiFailure(editorA.createGate(model.id, { kind: 'approvals', count: 2, role: 'editor' }))).code).toBe(
      'forbidden',
    );
    const auc = await admin.createGate(model.id, { kind: 'metric', metric: 'auc', op: '>=', threshold: 0.5 }, [
      'production',
    ]);
    const strict = await admin.createGate(model.id, { kind: 'metric', metric: 'auc', op: '>=', threshold: 0.999 }, [
      'production',
    ]);
    await admin.createGate(model.id, { kind: 'approvals', count: 2, role: 'editor' }, ['production']);
    expect((await admin.listGates(model.id)).items).toHaveLength(3);

    const refused = await apiFailure(editorA.setAlias(model.id, 'production', 2));
    expect(refused.status).toBe(409);
    expect(refused.code).toBe('gates_failed');
    const failing = refused.details?.failing as { gate: string; reason: string }[];
    expect(failing.map((f) => f.gate).sort()).toEqual(
      [strict.id, (await admin.listGates(model.id)).items.find((g) => g.rule.kind === 'approvals')!.id].sort(),
    );
    expect(failing.find((f) => f.gate === strict.id)?.reason).toMatch(/^auc = 0\.\d+ \(needs >= 0\.999\)\.$/);
    // Gates guard only the aliases they name.
    await editorA.setAlias(model.id, 'staging', 2);

    await admin.deleteGate(model.id, strict.id);
    // The admin registered the versions: the author's own approval does not count.
    await admin.reviewVersion(model.id, 2, { decision: 'approve' });
    await editorA.reviewVersion(model.id, 2, { decision: 'approve', comment: 'holdout looks fine' });
    expect((await admin.checkGates(model.id, 2, 'production')).passed).toBe(false);
    expect((await apiFailure(viewer.reviewVersion(model.id, 2, { decision: 'approve' }))).code).toBe('forbidden');
    await editorB.reviewVersion(model.id, 2, { decision: 'reject', comment: 'wait for the drift report' });
    const rejected = await admin.checkGates(model.id, 2, 'production');
    expect(rejected.results.find((r) => r.gate.rule.kind === 'approvals')?.reason).toBe('Rejected by gate-editor-b.');
    await editorB.reviewVersion(model.id, 2, { decision: 'approve' });
    const check = await viewer.checkGates(model.id, 2, 'production');
    expect(check.passed).toBe(true);
    expect(check.results.map((r) => r.gate.id)).toContain(auc.id);
    expect((await admin.listReviews(model.id, 2)).items.map((r) => [r.user, r.decision]).sort()).toEqual([
      ['admin', 'approve'],
      ['gate-editor-a', 'approve'],
      ['gate-editor-b', 'approve'],
    ]);
    expect((await editorA.setAlias(model.id, 'production', 2)).aliases.production).toBe(2);

    // Version 3 has no reviews: refused, unless an admin forces it (audited as forced).
    expect((await apiFailure(editorA.setAlias(model.id, 'production', 3, { force: true }))).code).toBe('forbidden');
    await admin.setAlias(model.id, 'production', 3, { force: true });
    const audit = await admin.listAudit({ project: 'demo' });
    const forced = audit.items.find((e) => e.action === 'model.alias.set' && e.details.forced === true);
    expect(forced?.details).toMatchObject({ alias: 'production', version: 3, forced: true });
    expect(audit.items.some((e) => e.action === 'model.version.reject')).toBe(true);
  });
});

describe('endpoints', () => {
  let endpoint: Endpoint;

  beforeAll(async () => {
    endpoint = await admin.createEndpoint('demo', { name: 'credit-deploy', model: 'credit-deploy@champion' });
  });

  it('answers records and columns alike, with request ids and warnings for unseen categories', async () => {
    const rows = records.slice(0, 5);
    const byRecords = await admin.predict(endpoint.id, rows);
    const columns = Object.fromEntries(Object.keys(rows[0]!).map((k) => [k, rows.map((r) => r[k] ?? null)]));
    const byColumns = await admin.predictColumns(endpoint.id, columns);
    expect(byColumns.predictions).toEqual(byRecords.predictions);
    expect(byRecords).toMatchObject({ model: 'credit-deploy@champion', modelVersion: 1, route: 'primary' });
    expect(byRecords.requestId).not.toBe(byColumns.requestId);
    expect(byRecords.warnings).toBeUndefined();

    const unseen = await admin.predict(endpoint.id, [{ ...rows[0]!, Home: 'houseboat' }, rows[1]!]);
    expect(unseen.predictions).toHaveLength(2);
    expect(unseen.warnings).toEqual([{ row: 0, field: 'Home', problem: 'unseen_category', value: 'houseboat' }]);
    // Every answered request is in the log, under its request id.
    const logged = await admin.listRequests(endpoint.id, { limit: 3 });
    expect(logged.items[0]).toMatchObject({ id: unseen.requestId, route: 'primary', model: 'credit-deploy@champion' });
  });

  it('refuses bad payloads with a reason per field', async () => {
    const row = records[0]!;
    const wrongType = await apiFailure(admin.predict(endpoint.id, [{ ...row, Age: 'NaN' }]));
    expect([wrongType.status, wrongType.code]).toEqual([400, 'invalid_records']);
    expect(wrongType.details?.issues).toEqual([{ row: 0, field: 'Age', problem: 'wrong_type', expected: 'number' }]);
    const { Age: _age, ...missing } = row;
    const extra = { ...row, Favourite_colour: 'blue' };
    const both = await apiFailure(admin.predict(endpoint.id, [missing, extra]));
    expect(both.details?.issues).toEqual([
      { row: 0, field: 'Age', problem: 'missing' },
      { row: 1, field: 'Favourite_colour', problem: 'unexpected' },
    ]);
    const uneven = await apiFailure(admin.predictColumns(endpoint.id, { Age: [1, 2], Income: [3] }));
    expect(uneven.code).toBe('invalid_request');

    // 10 MB of JSON: refused before parsing.
    const big = JSON.stringify({ records: [{ ...row, Job: 'x'.repeat(10 * 1024 * 1024) }] });
    const response = await fetch(`${server.url}/api/v1/endpoints/${endpoint.id}/predict`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: big,
    });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('payload_too_large');
    // Nothing broke: the endpoint still answers.
    expect((await admin.predict(endpoint.id, [row])).predictions).toHaveLength(1);
  });

  it('sends the canary its share and mirrors the shadow share without ever returning the shadow', async () => {
    const updated = await admin.updateEndpoint(endpoint.id, {
      canary: { model: 'credit-deploy@2', share: 0.3 },
      shadow: { model: 'credit-deploy@3', share: 0.5 },
    });
    expect(updated.canary).toEqual({ model: 'credit-deploy@2', share: 0.3, modelVersion: 2 });
    expect(updated.shadow).toEqual({ model: 'credit-deploy@3', share: 0.5, modelVersion: 3 });
    const n = 400;
    const answers = [];
    for (let i = 0; i < n; i += 20) {
      answers.push(
        ...(await Promise.all(records.map((r) => admin.predict(endpoint.id, [r])))).map((a) => ({
          version: a.modelVersion,
          route: a.route,
          model: a.model,
        })),
      );
    }
    const canary = answers.filter((a) => a.route === 'canary');
    expect(answers.every((a) => a.version !== 3 && a.model !== 'credit-deploy@3')).toBe(true);
    expect(canary.every((a) => a.version === 2 && a.model === 'credit-deploy@2')).toBe(true);
    // Binomial 400 × 0.3: mean 120, sd 9.2; ±5 sd.
    expect(canary.length).toBeGreaterThan(74);
    expect(canary.length).toBeLessThan(166);

    const report = await admin.shadowReport(endpoint.id);
    // Binomial 400 × 0.5: mean 200, sd 10; ±5 sd.
    expect(report.mirrored).toBeGreaterThan(150);
    expect(report.mirrored).toBeLessThan(250);
    expect(report).toMatchObject({ shadow: 'credit-deploy@3', errors: 0 });
    expect(report.records).toBe(report.mirrored);
    expect(report.labelAgreement).toBeGreaterThan(0.8);
    expect(report.meanAbsDiff).toBeGreaterThan(0);
    expect(report.latencyMs.shadow.p50).toBeGreaterThan(0);

    await admin.updateEndpoint(endpoint.id, { canary: null, shadow: null });
    const after = await admin.shadowReport(endpoint.id);
    expect(after.shadow).toBeNull();
  });

  it('keeps serving when a new version does not load', async () => {
    const broken = await train({ nTrees: 5, maxDepth: 2 });
    const version = await admin.registerModelVersion(model.id, broken.id);
    const file = join(server.dataDir, 'artifacts', 'runs', broken.id, 'model.json');
    const bytes = await readFile(file, 'utf8');
    await writeFile(file, bytes.slice(0, bytes.length / 2));
    const refused = await apiFailure(admin.setAlias(model.id, 'champion', version.version));
    expect([refused.status, refused.code]).toEqual([409, 'model_unloadable']);
    const patch = await apiFailure(admin.updateEndpoint(endpoint.id, { model: `credit-deploy@${version.version}` }));
    expect(patch.code).toBe('model_unloadable');
    const answer = await admin.predict(endpoint.id, records.slice(0, 1));
    expect(answer.modelVersion).toBe(1);
    expect((await admin.getEndpoint(endpoint.id)).model).toBe('credit-deploy@champion');
  });

  it('sheds load with 429 past its concurrency limit, never 5xx', async () => {
    const small = await admin.createEndpoint('demo', {
      name: 'credit-narrow',
      model: 'credit-deploy@champion',
      maxConcurrency: 1,
    });
    const statuses = await Promise.all(
      Array.from({ length: 60 }, () =>
        fetch(`${server.url}/api/v1/endpoints/${small.id}/predict`, {
          method: 'POST',
          headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ records }),
        }).then(
          async (r) =>
            [r.status, r.status === 429 ? ((await r.json()) as { error: { code: string } }).error.code : ''] as const,
        ),
      ),
    );
    const codes = new Set(statuses.map(([s]) => s));
    expect([...codes].every((s) => s === 200 || s === 429)).toBe(true);
    expect(statuses.filter(([s]) => s === 429).length).toBeGreaterThan(0);
    expect(statuses.filter(([s]) => s === 200).length).toBeGreaterThan(1);
    expect(statuses.filter(([s]) => s === 429).every(([, code]) => code === 'too_many_requests')).toBe(true);
  });

  it('swaps versions under load: the alias moves 10 times and no request fails', async () => {
    const load = autocannon({
      url: `${server.url}/api/v1/endpoints/${endpoint.id}/predict`,
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ records: records.slice(0, 1) }),
      connections: 16,
      duration: 6,
    });
    const versionsSeen = new Set<number>();
    for (let move = 0; move < 10; move++) {
      await new Promise((resolve) => setTimeout(resolve, 400));
      const target = move % 2 === 0 ? 2 : 1;
      await admin.setAlias(model.id, 'champion', target);
      versionsSeen.add((await admin.predict(endpoint.id, records.slice(0, 1))).modelVersion);
    }
    const result = await load;
    expect(result.errors).toBe(0);
    expect(result.timeouts).toBe(0);
    expect(result.non2xx).toBe(0);
    expect(result.requests.total).toBeGreaterThan(500);
    expect([...versionsSeen].sort()).toEqual([1, 2]);
    const moves = (await admin.listAudit({ project: 'demo' })).items.filter(
      (e) => e.action === 'model.alias.set' && e.details.alias === 'champion',
    );
    expect(moves.length).toBeGreaterThanOrEqual(11);
  });
});
