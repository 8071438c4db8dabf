// Ground-truth probes and model cards on a real server: a probe set passes on a good version; a hand-damaged version
// (its class labels swapped: it loads and answers, wrongly) fails them when run directly, as a shadow probed live
// (recorded per route, alert raised, monitoring logs untouched), and at an alias move guarded by a `probes` gate.
// Model cards are generated per version, escaped in HTML, and gate promotion once their written fields are saved.

import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardClient, type ClassPrediction, type Endpoint, type Model, type Probe } from '@modelyard/client';
import type { ProbeAlert } from '../../packages/server/src/monitoring/probe-runner.js';
import { runCli } from '../../packages/server/src/cli/run-cli.js';
import { apiFailure, userClient } from '../helpers/api-calls.js';
import { creditRecords } from '../helpers/golden-data.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let admin: ModelyardClient;
let model: Model;
let endpoint: Endpoint;
let probes: Probe[];
const raised: ProbeAlert[] = [];

async function train(): Promise<string> {
  const run = await admin.createRun('demo', {
    dataset: 'credit_data',
    target: 'Status',
    task: 'classification',
    algorithm: 'gbdt',
    params: { nTrees: 20, maxDepth: 3 },
  });
  return (await admin.waitForRun(run.id, { intervalMs: 100, timeoutMs: 120_000 })).id;
}

beforeAll(async () => {
  server = await startTestServer();
  admin = new ModelyardClient({ baseUrl: server.url, token: server.token });
  // Record what the prober raises, and pass it on to the alerts room.
  const { alerts } = server.server.services;
  const raise = alerts.raise.bind(alerts);
  alerts.raise = (alert) => {
    raised.push(alert as ProbeAlert);
    return raise(alert);
  };
  const good = await train();
  const broken = await train();
  // The broken version loads and scores, but its class labels are swapped: every answer names the other class.
  const file = join(server.dataDir, 'artifacts', 'runs', broken, 'model.json');
  const artifact = JSON.parse(await readFile(file, 'utf8')) as { classes: string[] };
  artifact.classes.reverse();
  await writeFile(file, JSON.stringify(artifact));
  model = await admin.createModel('demo', { name: 'credit-probed' });
  await admin.registerModelVersion(model.id, good);
  await admin.registerModelVersion(model.id, broken);
  await admin.setAlias(model.id, 'champion', 1);
  endpoint = await admin.createEndpoint('demo', { name: 'credit-probed', model: 'credit-probed@champion' });

  // Probes: records the good model answers with confidence, expecting that class.
  const records = await creditRecords(200);
  const answers = (await admin.predict(endpoint.id, records)).predictions as ClassPrediction[];
  const confident = answers.flatMap((p, i) => {
    const top = p.probabilities[p.label]!;
    return top >= 0.85 ? [{ i, label: p.label }] : [];
  });
  const picked = [
    ...confident.filter((c) => c.label === 'good').slice(0, 3),
    ...confident.filter((c) => c.label === 'bad').slice(0, 2),
  ];
  expect(picked.length).toBeGreaterThanOrEqual(3);
  probes = picked.map(({ i, label }) => ({
    name: `record-${i}-${label}`,
    record: records[i]!,
    expect: { label, probability: { class: label, min: 0.7 } },
  }));
}, 300_000);

afterAll(async () => {
  await server?.close();
});

describe('probe sets', () => {
  it('are written by editors, read by viewers, and refused with a reason when malformed', async () => {
    const viewer = await userClient(admin, server.url, 'probe-viewer', { project: 'demo', role: 'viewer' });
    expect((await apiFailure(viewer.getProbes(model.id))).code).toBe('probe_set_not_found');
    expect((await apiFailure(admin.runProbes(model.id, 1))).code).toBe('probe_set_not_found');
    const [first] = probes;
    const bad = async (set: Probe[], problem: string) => {
      const failure = await apiFailure(admin.setProbes(model.id, { probes: set }));
      expect([failure.status, failure.code, failure.details?.problem]).toEqual([400, 'invalid_probe', problem]);
    };
    await bad([{ ...first!, expect: {} }], 'no_expectation');
    await bad([first!, first!], 'duplicate_name');
    await bad([{ ...first!, expect: { min: 2, max: 1 } }], 'empty_range');
    await bad([{ ...first!, expect: { probability: { class: 'good' } } }], 'probability_without_bounds');
    const schema = await apiFailure(admin.setProbes(model.id, { probes: [] }));
    expect(schema.status).toBe(400);
    expect((await apiFailure(viewer.setProbes(model.id, { probes }))).code).toBe('forbidden');

    const saved = await admin.setProbes(model.id, { probes, schedule: { everyMinutes: 5 } });
    expect(saved).toMatchObject({ modelId: model.id, schedule: { everyMinutes: 5 } });
    expect(await viewer.getProbes(model.id)).toEqual(saved);
  });
});

describe('running probes', () => {
  it('passes on the good version and fails on the damaged one, probe by probe', async () => {
    const good = await admin.runProbes(model.id, 1);
    expect(good).toMatchObject({ version: 1, endpointId: null, route: null, trigger: 'manual', passed: true });
    expect(good.failed).toBe(0);
    expect(good.results.map((r) => r.name)).toEqual(probes.map((p) => p.name));

    const bad = await admin.runProbes(model.id, 2);
    expect(bad.passed).toBe(false);
    expect(bad.failed).toBe(probes.length);
    for (const [i, result] of bad.results.entries()) {
      const expected = probes[i]!.expect.label!;
      expect(result.passed).toBe(false);
      expect((result.actual as ClassPrediction).label).not.toBe(expected);
      expect(result.reason).toContain(`expected '${expected}'`);
    }
    expect((await admin.listModelProbeRuns(model.id)).items.slice(0, 2).map((r) => r.id)).toEqual([bad.id, good.id]);
  });

  it('runs on imported ONNX versions too, loaded as endpoints load them', async () => {
    const onnx = await admin.exportModel(model.id, 1, { format: 'onnx' });
    const imported = await admin.importOnnx(model.id, onnx, { name: 'credit.onnx' });
    expect(imported.source).toBe('onnx');
    const run = await admin.runProbes(model.id, imported.version);
    // The imported file names its classes by index ('0' = bad, '1' = good, the sorted labels): the probes, which
    // name classes, fail on the names while the probabilities agree with the native version's.
    expect(run.passed).toBe(false);
    for (const [i, result] of run.results.entries()) {
      const label = probes[i]!.expect.label!;
      expect(result.reason).toContain(`the model has no class '${label}'`);
      const p = (result.actual as ClassPrediction).probabilities[label === 'good' ? '1' : '0']!;
      expect(p).toBeGreaterThanOrEqual(0.7);
    }
  });

  it('probes an endpoint live: the primary through predict, a damaged shadow fails and raises an alert', async () => {
    await admin.updateEndpoint(endpoint.id, { shadow: { model: 'credit-probed@2', share: 1 } });
    const logged = (await admin.listRequests(endpoint.id, { limit: 500 })).items.length;
    const mirrored = (await admin.shadowReport(endpoint.id)).mirrored;

    const { items } = await admin.probeEndpoint(endpoint.id);
    expect(items.map((r) => [r.route, r.version, r.passed])).toEqual([
      ['primary', 1, true],
      ['shadow', 2, false],
    ]);
    const shadowRun = items[1]!;
    expect(shadowRun.failed).toBe(probes.length);
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({
      projectId: endpoint.projectId,
      endpointId: endpoint.id,
      modelId: model.id,
      kind: 'probe_failure',
      severity: 'critical',
      details: { probeRun: shadowRun.id, route: 'shadow', version: 2 },
    });
    expect(raised[0]!.message).toContain(`${probes.length} of ${probes.length} probe(s) failed`);

    // Probe requests went through predict but are not in the inference log, and were not mirrored.
    expect((await admin.listRequests(endpoint.id, { limit: 500 })).items).toHaveLength(logged);
    expect((await admin.shadowReport(endpoint.id)).mirrored).toBe(mirrored);
    expect((await admin.listProbeRuns(endpoint.id, { limit: 2 })).items.map((r) => r.id)).toEqual(
      items.map((r) => r.id).reverse(),
    );

    // The schedule does the same on its own (a tick is due: the set was never probed by it).
    await server.server.services.probes.tick();
    const scheduled = (await admin.listProbeRuns(endpoint.id, { limit: 2 })).items;
    expect(scheduled.map((r) => [r.trigger, r.route, r.passed])).toEqual([
      ['schedule', 'shadow', false],
      ['schedule', 'primary', true],
    ]);
    expect(raised).toHaveLength(2);
    await admin.updateEndpoint(endpoint.id, { shadow: null });
  });

  it('the probe header alone does not skip the inference log', async () => {
    const before = (await admin.listRequests(endpoint.id, { limit: 500 })).items.length;
    const response = await fetch(`${server.url}/api/v1/endpoints/${endpoint.id}/predict`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${server.token}`,
        'content-type': 'application/json',
        'x-modelyard-probe': '1',
      },
      body: JSON.stringify({ records: [probes[0]!.record] }),
    });
    expect(response.status).toBe(200);
    expect((await admin.listRequests(endpoint.id, { limit: 500 })).items).toHaveLength(before + 1);
  });

  it('the probes gate refuses to promote the damaged version, naming the failing probes', async () => {
    await admin.createGate(model.id, { kind: 'probes' }, ['production']);
    const refused = await apiFailure(admin.setAlias(model.id, 'production', 2));
    expect([refused.status, refused.code]).toEqual([409, 'gates_failed']);
    const failing = refused.details?.failing as { rule: { kind: string }; reason: string }[];
    expect(failing).toHaveLength(1);
    expect(failing[0]!.rule.kind).toBe('probes');
    for (const probe of probes) expect(failing[0]!.reason).toContain(probe.name);
    expect(refused.message).toContain(`${probes.length} of ${probes.length} probe(s) failed`);

    expect((await admin.setAlias(model.id, 'production', 1)).aliases.production).toBe(1);
    const runs = (await admin.listModelProbeRuns(model.id, { limit: 2 })).items;
    expect(runs.map((r) => [r.trigger, r.version, r.passed])).toEqual([
      ['gate', 1, true],
      ['gate', 2, false],
    ]);
    // A read-only gate check goes by the newest stored run of the version.
    expect((await admin.checkGates(model.id, 2, 'production')).passed).toBe(false);
    expect((await admin.checkGates(model.id, 1, 'production')).passed).toBe(true);
  });
});

describe('model cards', () => {
  it('are generated per version, escaped in HTML, and gate promotion once intended use and limitations are written', async () => {
    await admin.updateModelVersion(model.id, 1, { description: 'Good one <script>alert("card")</script>' });
    const card = await admin.getModelCard(model.id, 1);
    expect(card.model.name).toBe('credit-probed');
    expect(card.version.description).toContain('<script>');
    expect(card.training).toMatchObject({ algorithm: 'gbdt', task: 'classification', target: 'Status' });
    expect(card.training!.metrics.auc).toBeGreaterThan(0.5);
    expect(card.data).toMatchObject({ dataset: 'credit_data' });
    expect(card.edits).toEqual({ updatedAt: null, updatedBy: null });

    const html = await admin.getModelCardText(model.id, 1, 'html');
    expect(html).toContain('&lt;script&gt;alert(&quot;card&quot;)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
    const md = await admin.getModelCardText(model.id, 1, 'md');
    expect(md).toContain('# Model card: credit-probed version 1');
    expect(md).toContain('## Metrics');
    expect(md).not.toContain('<script>');

    await admin.createGate(model.id, { kind: 'model_card' }, ['production']);
    const none = await admin.checkGates(model.id, 1, 'production');
    expect(none.results.find((r) => r.gate.rule.kind === 'model_card')?.reason).toBe(
      'No model card is saved for this version.',
    );
    const viewer = await userClient(admin, server.url, 'card-viewer', { project: 'demo', role: 'viewer' });
    expect((await apiFailure(viewer.updateModelCard(model.id, 1, { intendedUse: 'x' }))).code).toBe('forbidden');
    await admin.updateModelCard(model.id, 1, { intendedUse: 'Pre-screening of loan applications.' });
    const half = await admin.checkGates(model.id, 1, 'production');
    expect(half.results.find((r) => r.gate.rule.kind === 'model_card')?.reason).toBe(
      'The model card lacks limitations.',
    );
    const written = await admin.updateModelCard(model.id, 1, {
      limitations: 'Trained on one bank’s 2010 applicants.',
      owners: ['risk-team'],
    });
    expect(written.edits).toMatchObject({
      intendedUse: 'Pre-screening of loan applications.',
      limitations: 'Trained on one bank’s 2010 applicants.',
      owners: ['risk-team'],
      updatedBy: 'admin',
    });
    expect((await viewer.getModelCard(model.id, 1)).edits.owners).toEqual(['risk-team']);
    expect((await admin.checkGates(model.id, 1, 'production')).passed).toBe(true);
  });
});

describe('CLI', () => {
  async function cli(...argv: string[]) {
    let stdout = '';
    let stderr = '';
    const code = await runCli(argv, {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t), isTTY: false },
      env: { MODELYARD_URL: server.url, MODELYARD_TOKEN: server.token, MODELYARD_PROJECT: 'demo', HOME: tmpdir() },
    });
    return { code, stdout, stderr };
  }

  it('sets and runs probes, failing with probes_failed, and prints a model card', async () => {
    const file = join(server.dataDir, 'probes.json');
    await writeFile(file, JSON.stringify(probes));
    const set = await cli('models', 'probes', 'set', 'credit-probed', file, '--every', '10');
    expect(set.stdout).toContain(`Saved ${probes.length} probe(s) for credit-probed; endpoints probed every 10 min.`);
    const good = await cli('models', 'probes', 'run', 'credit-probed', '1');
    expect([good.code, good.stdout]).toEqual([0, expect.stringContaining('all passed')]);
    const bad = await cli('models', 'probes', 'run', 'credit-probed', '2');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('FAIL');
    expect(bad.stderr).toContain('(probes_failed)');
    const card = await cli('models', 'card', 'credit-probed', '1', '--notes', 'CLI note');
    expect(card.code).toBe(0);
    expect(card.stdout).toContain('# Model card: credit-probed version 1');
    expect(card.stdout).toContain('## Notes\n\nCLI note');
  });
});
