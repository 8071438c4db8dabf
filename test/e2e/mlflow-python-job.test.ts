// The Python example job (standard-library urllib + scikit-learn) logs through the MLflow REST protocol; what it
// logged shows up through our own SDK.

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardClient } from '@modelyard/client';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const run = promisify(execFile);
const SCRIPT = new URL('../../examples/mlflow_job.py', import.meta.url).pathname;

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ demo: false });
});

afterAll(async () => {
  await server.close();
});

describe('examples/mlflow_job.py', () => {
  it('logs params, stepped metrics and an artifact that our API shows', async () => {
    const sdk = new ModelyardClient({ baseUrl: server.url, token: server.token });
    // Into a run made beforehand (as a job gets MLFLOW_RUN_ID), under a project's own tracking URI.
    await sdk.createProject({ name: 'pyjobs', description: '' });
    const tracking = `${server.url}/mlflow/pyjobs`;
    const created = await fetch(`${tracking}/api/2.0/mlflow/runs/create`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ experiment_id: '0', run_name: 'python-job' }),
    });
    const runId = ((await created.json()) as { run: { info: { run_id: string } } }).run.info.run_id;
    const { stdout } = await run('/usr/bin/python3', [SCRIPT], {
      env: {
        PATH: process.env.PATH,
        MLFLOW_TRACKING_URI: tracking,
        MLFLOW_TRACKING_TOKEN: server.token,
        MLFLOW_RUN_ID: runId,
      },
      timeout: 120_000,
    });
    expect(stdout).toMatch(/test AUC 0\.\d+/);

    const logged = await sdk.getRun(runId);
    expect(logged.status).toBe('succeeded');
    expect(logged.kind).toBe('tracked');
    expect(logged.params).toMatchObject({ n_estimators: '120', max_depth: '3', model: 'GradientBoostingClassifier' });
    expect(logged.metrics.test_auc).toBeGreaterThan(0.75);
    expect(logged.tags.framework).toBe('scikit-learn');
    const history = await fetch(`${tracking}/api/2.0/mlflow/metrics/get-history?run_id=${runId}&metric_key=test_auc`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    const steps = ((await history.json()) as { metrics: { step: number }[] }).metrics.map((m) => m.step);
    expect(steps).toEqual([20, 40, 60, 80, 100, 120]);
    const files = await fetch(`${tracking}/api/2.0/mlflow/artifacts/list?run_id=${runId}&path=model`, {
      headers: { authorization: `Bearer ${server.token}` },
    });
    const listed = (await files.json()) as { files: { path: string; file_size: number }[] };
    expect(listed.files.map((f) => f.path)).toEqual(['model/summary.json']);
    const summary = await server.server.services.artifacts.getBytes(`runs/${runId}/artifacts/model/summary.json`);
    expect(JSON.parse(Buffer.from(summary).toString('utf8'))).toMatchObject({ model: 'GradientBoostingClassifier' });
  }, 180_000);
});
