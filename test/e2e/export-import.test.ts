// Exports and imports through the API and CLI on a real server: a trained model downloaded as JavaScript, an edge
// bundle and ONNX scores as the endpoint does; an ONNX file made by scikit-learn (outside our code) is imported,
// served and logged like a native model.

import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardClient, type Model, type Prediction } from '@modelyard/client';
import { readOnnxModel } from '../../packages/server/src/serving/onnx-model.js';
import { apiFailure } from '../helpers/api-calls.js';
import { creditRecords } from '../helpers/golden-data.js';
import { creditForestReference, uploadCreditCards } from '../helpers/onnx-fixtures.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const run = promisify(execFile);
const FIXTURES = resolve(import.meta.dirname, '../../packages/server/src/serving/__fixtures__');
const CLI = resolve(import.meta.dirname, '../../packages/server/src/cli/main.ts');

let server: TestServer;
let admin: ModelyardClient;
let model: Model;
let dir: string;

function probabilityOf(p: Prediction | undefined, label: string): number {
  if (!p || !('probabilities' in p)) throw new Error('expected a class prediction');
  return p.probabilities[label]!;
}

beforeAll(async () => {
  server = await startTestServer();
  admin = new ModelyardClient({ baseUrl: server.url, token: server.token });
  dir = await mkdtemp(join(tmpdir(), 'modelyard-export-'));
  const trained = await admin.waitForRun(
    (
      await admin.createRun('demo', {
        dataset: 'credit_data',
        target: 'Status',
        task: 'classification',
        algorithm: 'gbdt',
        params: { nTrees: 30, maxDepth: 4 },
      })
    ).id,
    { intervalMs: 100, timeoutMs: 120_000 },
  );
  model = await admin.createModel('demo', { name: 'credit-export' });
  await admin.registerModelVersion(model.id, trained.id);
  await admin.setAlias(model.id, 'champion', 1);
});

afterAll(async () => {
  await server?.close();
});

describe('export', () => {
  it('downloads JavaScript and an edge bundle that score as the endpoint does, and an ONNX file', async () => {
    const endpoint = await admin.createEndpoint('demo', { name: 'credit-export', model: 'credit-export@champion' });
    const records = await creditRecords(50);
    const served = (await admin.predict(endpoint.id, records)).predictions;

    const js = join(dir, 'credit.mjs');
    await writeFile(js, await admin.exportModel(model.id, 1, { format: 'js' }));
    const module = (await import(pathToFileURL(js).href)) as { predict(r: object): Prediction };
    records.forEach((r, i) => expect(module.predict(r)).toEqual(served[i]));

    const edgeBytes = await admin.exportModel(model.id, 1, { format: 'edge' });
    const edge = join(dir, 'credit.edge.mjs');
    await writeFile(edge, edgeBytes);
    const bundle = (await import(pathToFileURL(edge).href)) as { predict(r: object[]): Prediction[] };
    expect(bundle.predict(records)).toEqual(served);
    expect(new TextDecoder().decode(edgeBytes)).not.toMatch(/\bimport\b[^(]/);

    const onnx = await admin.exportModel(model.id, 1, { format: 'onnx' });
    const info = readOnnxModel(onnx);
    expect(info.producerName).toBe('modelyard');
    expect(info.inputs.map((i) => i.name)).toContain('Seniority');

    const sql = new TextDecoder().decode(
      await admin.exportModel(model.id, 1, { format: 'sql', dialect: 'postgres', table: 'applicants' }),
    );
    expect(sql).toMatch(/FROM applicants/);
    const java = new TextDecoder().decode(await admin.exportModel(model.id, 1, { format: 'java' }));
    expect(java).toMatch(/public final class CreditExportV1\b/);

    const bad = await apiFailure(admin.exportModel(model.id, 1, { format: 'pmml' as 'js' }));
    expect([bad.status, bad.code]).toEqual([400, 'invalid_request']);
    expect((await apiFailure(admin.exportModel(model.id, 9, { format: 'js' }))).code).toBe('model_version_not_found');
  });

  it('exports through the CLI, to a file with its size, with one-line errors', async () => {
    const env = { ...process.env, MODELYARD_URL: server.url, MODELYARD_TOKEN: server.token, MODELYARD_PROJECT: 'demo' };
    const out = join(dir, 'cli.java');
    const { stdout } = await run(
      'node',
      ['--import', 'tsx', CLI, 'export', 'credit-export@champion', '--format', 'java', '--out', out],
      { env },
    );
    expect(stdout).toMatch(/^Wrote credit-export@1 as java to .*cli\.java \([\d,]+ bytes\)\.\n$/);
    expect(await readFile(out, 'utf8')).toMatch(/class CreditExportV1/);
    const failed = await run('node', ['--import', 'tsx', CLI, 'export', 'credit-export@nope', '--format', 'js'], {
      env,
    }).catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 1 });
    expect((failed as { stderr: string }).stderr.trim()).toBe(
      "error: Model credit-export has no alias 'nope'. (alias_not_found)",
    );
  });
});

describe('ONNX import', () => {
  it('imports a scikit-learn forest, serves it with scikit-learn’s numbers and logs every request', async () => {
    const reference = JSON.parse(await readFile(join(FIXTURES, 'credit-forest.json'), 'utf8')) as {
      records: Record<string, number>[];
      expected: Prediction[];
    };
    const imported = await admin.createModel('demo', { name: 'sk-forest' });
    const version = await admin.importOnnx(imported.id, await readFile(join(FIXTURES, 'credit-forest.onnx')), {
      name: 'credit-forest.onnx',
    });
    expect(version).toMatchObject({ version: 1, task: 'classification' });
    await admin.setAlias(imported.id, 'champion', 1);
    const endpoint = await admin.createEndpoint('demo', { name: 'sk-forest', model: 'sk-forest@champion' });
    const answer = await admin.predict(endpoint.id, reference.records);
    answer.predictions.forEach((p, i) => {
      const expected = reference.expected[i]!;
      if (!('label' in p) || !('label' in expected)) throw new Error('expected class predictions');
      expect(p.label).toBe(expected.label);
      for (const c of ['no', 'yes'])
        expect(Math.abs(probabilityOf(p, c) - probabilityOf(expected, c))).toBeLessThan(1e-5);
    });
    const logged = await admin.listRequests(endpoint.id, { limit: 1 });
    expect(logged.items[0]).toMatchObject({ id: answer.requestId, modelVersion: 1 });
    expect(logged.items[0]!.outputs).toHaveLength(reference.records.length);

    const wrong = await apiFailure(admin.predict(endpoint.id, [{ ...reference.records[0]!, age: 'old' }]));
    expect(wrong.details?.issues).toEqual([{ row: 0, field: 'age', problem: 'wrong_type', expected: 'number' }]);
    expect((await apiFailure(admin.exportModel(imported.id, 1, { format: 'js' }))).code).toBe('not_exportable');
    const lineage = await admin.lineage('endpoint', endpoint.id, { direction: 'up' });
    expect(lineage.nodes.some((n) => n.kind === 'run')).toBe(true);

    // Monitored like a native model: drift of its traffic against an earlier window of it (it has no training data
    // here, so no training profile), and no exact explanations.
    const start = new Date().toISOString();
    await admin.predict(endpoint.id, reference.records);
    await new Promise((r) => setTimeout(r, 100));
    const end = new Date().toISOString();
    const shifted = reference.records.map((r) => ({ ...r, age: (r.age ?? 0) + 40 }));
    await admin.predict(endpoint.id, shifted);
    await new Promise((r) => setTimeout(r, 100));
    const noProfile = await apiFailure(admin.runDrift(endpoint.id, { from: start }));
    expect([noProfile.status, noProfile.code]).toEqual([409, 'no_training_profile']);
    const drift = await admin.runDrift(endpoint.id, { from: end, reference: { kind: 'window', from: start, to: end } });
    expect(drift.currentRows).toBe(reference.records.length);
    expect(drift.columns.find((c) => c.column === 'age')).toMatchObject({ drifted: true });
    expect(drift.prediction).not.toBeNull();
    const explain = await fetch(`${server.url}/api/v1/endpoints/${endpoint.id}/predict?explain=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ records: reference.records.slice(0, 1) }),
    });
    expect(explain.status).toBe(422);
  });

  it('explains an imported forest on a dataset it names: permutation importance and PDP/ICE, no SHAP', async () => {
    const inputs = Object.keys((await creditForestReference()).records[0]!);
    await uploadCreditCards(admin, 'demo', 'credit_cards');
    const imported = await admin.createModel('demo', { name: 'sk-forest-explained' });
    await admin.importOnnx(imported.id, await readFile(join(FIXTURES, 'credit-forest.onnx')));

    const noData = await apiFailure(admin.explainVersion(imported.id, 1));
    expect([noData.status, noData.code]).toEqual([400, 'explanation_dataset_required']);
    const noColumn = await apiFailure(admin.explainVersion(imported.id, 1, { dataset: 'credit_cards', target: 'x' }));
    expect([noColumn.status, noColumn.code]).toEqual([422, 'unknown_column']);

    const explanation = await admin.explainVersion(imported.id, 1, { dataset: 'credit_cards' });
    expect(explanation).toMatchObject({ version: 1, model: 'onnx', rows: 200, shap: null });
    expect([...explanation.features].sort()).toEqual([...inputs].sort());
    const permutation = explanation.permutation!;
    expect(permutation).toMatchObject({ metric: 'log_loss', greaterIsBetter: false, repeats: 5 });
    expect(permutation.importances.map((r) => r.feature)).toEqual(explanation.features);
    for (const r of permutation.importances) expect(Number.isFinite(r.mean) && r.std >= 0).toBe(true);
    // The labels are the forest's own predictions: shuffling what it reads most makes it worse.
    const means = permutation.importances.map((r) => r.mean).sort((a, b) => b - a);
    expect(means[0]!).toBeGreaterThan(0);

    const curves = explanation.partialDependence;
    expect(curves).toHaveLength(5);
    expect(curves.map((c) => c.feature)).toEqual(
      [...permutation.importances]
        .sort((a, b) => b.mean - a.mean)
        .map((r) => r.feature)
        .slice(0, 5),
    );
    for (const curve of curves) {
      expect(curve).toMatchObject({ kind: 'number', outputs: 1, rows: 200 });
      expect(curve.grid.length).toBeGreaterThanOrEqual(1);
      expect(curve.mean).toHaveLength(curve.grid.length);
      for (const [p] of curve.mean) expect(p! >= 0 && p! <= 1).toBe(true);
      expect(curve.ice).toHaveLength(10);
    }
    // Seeded: computing again gives the same numbers; GET answers what was stored.
    const again = await admin.explainVersion(imported.id, 1, { dataset: 'credit_cards', target: 'card' });
    expect({ ...again, computedAt: '' }).toEqual({ ...explanation, computedAt: '' });
    expect(await admin.versionExplanation(imported.id, 1)).toEqual(again);
  });

  it('refuses files that are not ONNX and keeps nothing', async () => {
    const target = await admin.createModel('demo', { name: 'not-onnx' });
    for (const bytes of [new TextEncoder().encode('{"format":"modelyard-model"}'), new Uint8Array([8, 200, 1, 2, 3])]) {
      const error = await apiFailure(admin.importOnnx(target.id, bytes));
      expect([error.status, error.code]).toEqual([400, 'invalid_onnx']);
    }
    expect((await admin.getModel(target.id)).latestVersion).toBeNull();
  });
});
