// The golden path through the `modelyard` CLI against a real server: login → project → dataset → train → register →
// serve → predict, then a restart on the same data dir that must find every object again.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dataset, Endpoint, Me, Model, ModelVersion, PredictResponse, Project, Run } from '@modelyard/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../packages/server/src/cli/run-cli.js';
import { CREDIT_CSV, creditRecords, regressionCsv } from '../helpers/golden-data.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const STEP_TIMEOUT = 180_000;
/** A stuck run fails the step instead of hanging it. */
const WAIT = ['--timeout', '120', '--interval', '200'];

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

let server: TestServer;
let dataDir: string;
let configDir: string;

/** Runs the CLI in-process with the saved login only: no URL or token in the environment. */
async function cli(...argv: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: false },
    env: { MODELYARD_CONFIG_DIR: configDir, MODELYARD_PROJECT: 'golden', HOME: configDir },
  });
  return { code, stdout, stderr };
}

/** Runs a --json command that must succeed and answers its one JSON document. */
async function cliJson<T>(...argv: string[]): Promise<T> {
  const r = await cli(...argv, '--json');
  if (r.code !== 0) throw new Error(`modelyard ${argv.join(' ')} exited ${r.code}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

// What the first server answered, to compare after the restart.
const seen: {
  project?: Project;
  dataset?: Dataset;
  run?: Run;
  regressionRun?: Run;
  model?: Model;
  endpoint?: Endpoint;
  records?: Record<string, string | number | null>[];
  prediction?: PredictResponse;
} = {};

beforeAll(async () => {
  configDir = await mkdtemp(join(tmpdir(), 'modelyard-cli-e2e-'));
  server = await startTestServer({ demo: false });
  dataDir = server.dataDir;
}, STEP_TIMEOUT);

afterAll(async () => {
  await server?.close();
  await rm(configDir, { recursive: true, force: true });
  await rm(dataDir, { recursive: true, force: true });
});

describe('modelyard CLI golden path', () => {
  it('logs in and saves the login', async () => {
    const me = await cliJson<Me>('login', '--url', server.url, '--token', server.token);
    expect(me.user.name).toBe('admin');
    expect(JSON.parse(await readFile(join(configDir, 'cli.json'), 'utf8'))).toEqual({
      url: server.url.replace(/\/+$/, ''),
      token: server.token,
    });
  });

  it('creates the project', async () => {
    seen.project = await cliJson<Project>('projects', 'create', 'golden');
    expect(seen.project.name).toBe('golden');
    expect(seen.project.role).toBe('admin');
    const projects = await cliJson<Project[]>('projects', 'list');
    expect(projects.map((p) => p.name)).toContain('golden');
  });

  it('uploads the credit data', async () => {
    seen.dataset = await cliJson<Dataset>('datasets', 'add', CREDIT_CSV, '--name', 'credit');
    expect(seen.dataset.name).toBe('credit');
    expect(seen.dataset.latestVersion?.rows).toBe(4454);
    expect(seen.dataset.latestVersion?.version).toMatch(/^[0-9a-f]{64}$/);
    expect(seen.dataset.latestVersion?.profile.columns.map((c) => c.name)).toContain('Status');
    const shown = await cliJson<Dataset>('datasets', 'show', 'credit');
    expect(shown.id).toBe(seen.dataset.id);
    const again = await cliJson<Dataset>('datasets', 'add', CREDIT_CSV, '--name', 'credit');
    expect(again.id).toBe(seen.dataset.id);
    expect(again.latestVersion?.version).toBe(seen.dataset.latestVersion?.version);
  });

  it(
    'trains a classifier that beats AUC 0.75',
    async () => {
      const run = await cliJson<Run>(
        'train',
        '--dataset',
        'credit',
        '--target',
        'Status',
        '--task',
        'classification',
        ...WAIT,
      );
      seen.run = run;
      expect(run.status).toBe('succeeded');
      expect(run.error).toBeNull();
      expect(run.progress).toBe(1);
      expect(run.metrics.auc).toBeGreaterThan(0.75);
      expect(run.datasetVersion).toBe(seen.dataset?.latestVersion?.version);
      const human = await cli('runs', 'show', run.id);
      expect(human.code).toBe(0);
      expect(human.stdout).toContain('succeeded');
      expect(human.stdout).toMatch(/auc\s+0\.\d{4}\n/);
    },
    STEP_TIMEOUT,
  );

  it('registers the model as champion', async () => {
    const runId = seen.run?.id ?? '';
    const reg = await cliJson<{ model: Model; version: ModelVersion }>(
      'models',
      'register',
      'credit-glm',
      '--run',
      runId,
      '--alias',
      'champion',
    );
    expect(reg.version.runId).toBe(runId);
    expect(reg.version.version).toBe(1);
    expect(reg.model.aliases.champion).toBe(1);
    seen.model = reg.model;
  });

  it('serves the champion and predicts two records', async () => {
    seen.endpoint = await cliJson<Endpoint>('endpoints', 'create', 'scoring', '--model', 'credit-glm@champion');
    expect(seen.endpoint.modelVersion).toBe(1);
    seen.records = await creditRecords();
    const res = await cliJson<PredictResponse>('predict', 'scoring', '--data', JSON.stringify(seen.records));
    expect(res.predictions).toHaveLength(2);
    for (const p of res.predictions) {
      expect('label' in p && ['good', 'bad'].includes(p.label)).toBe(true);
      const probabilities = 'probabilities' in p ? Object.values(p.probabilities) : [];
      expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    }
    seen.prediction = res;
    const human = await cli('predict', seen.endpoint.id, '--data', JSON.stringify(seen.records[0]));
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^#\s+LABEL\s+P\(bad\)\s+P\(good\)\n1\s+(good|bad)\s+0\.\d{4}\s+0\.\d{4}\n/);
  });

  it(
    'trains a regression on a generated CSV registered by server path',
    async () => {
      const file = join(dataDir, 'imports', 'synth.csv');
      await writeFile(file, regressionCsv(300, 12345));
      const ds = await cliJson<Dataset>('datasets', 'add', file, '--name', 'synth', '--server-path');
      expect(ds.latestVersion?.rows).toBe(300);
      const run = await cliJson<Run>('train', '--dataset', 'synth', '--target', 'y', '--task', 'regression', ...WAIT);
      expect(run.status).toBe('succeeded');
      expect(run.task).toBe('regression');
      expect(run.metrics.r2).toBeGreaterThan(0.95);
      expect(run.metrics.rmse).toBeLessThan(1);
      seen.regressionRun = run;
    },
    STEP_TIMEOUT,
  );

  it('fails with one stderr line carrying the code', async () => {
    const show = await cli('datasets', 'show', 'no-such-dataset');
    expect(show.code).not.toBe(0);
    expect(show.stdout).toBe('');
    expect(show.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(show.stderr).toMatch(/^error: .*\(dataset_not_found\)\n$/);

    const train = await cli('train', '--dataset', 'no-such-dataset', '--target', 'Status', '--task', 'classification');
    expect(train.code).not.toBe(0);
    expect(train.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(train.stderr).toMatch(/^error: .*\(dataset_not_found\)\n$/);

    const target = await cli(
      'train',
      '--dataset',
      'credit',
      '--target',
      'NoSuchColumn',
      '--task',
      'classification',
      ...WAIT,
    );
    expect(target.code).toBe(1);
    expect(target.stderr.trimEnd().split('\n').at(-1)).toMatch(/^error: .*\([a-z_]+\)$/);

    const usage = await cli('datasets', 'frobnicate');
    expect(usage.code).toBe(2);
  });

  it(
    'finds every object again after a restart on the same data dir',
    async () => {
      await server.close();
      server = await startTestServer({ dataDir });
      await cliJson<Me>('login', '--url', server.url, '--token', server.token);

      const projects = await cliJson<Project[]>('projects', 'list');
      expect(projects.find((p) => p.name === 'golden')?.id).toBe(seen.project?.id);

      const dataset = await cliJson<Dataset>('datasets', 'show', 'credit');
      expect(dataset.id).toBe(seen.dataset?.id);
      expect(dataset.latestVersion?.version).toBe(seen.dataset?.latestVersion?.version);
      expect(dataset.latestVersion?.rows).toBe(4454);

      const run = await cliJson<Run>('runs', 'show', seen.run?.id ?? '');
      expect(run.status).toBe('succeeded');
      expect(run.metrics).toEqual(seen.run?.metrics);
      const runs = await cliJson<Run[]>('runs', 'list');
      expect(runs.map((r) => r.id)).toEqual(expect.arrayContaining([seen.run?.id, seen.regressionRun?.id]));

      const models = await cliJson<Model[]>('models', 'list');
      expect(models.find((m) => m.name === 'credit-glm')?.aliases).toEqual({ champion: 1 });

      const endpoints = await cliJson<Endpoint[]>('endpoints', 'list');
      expect(endpoints.find((e) => e.name === 'scoring')?.id).toBe(seen.endpoint?.id);

      const res = await cliJson<PredictResponse>('predict', 'scoring', '--data', JSON.stringify(seen.records));
      expect(res.modelVersion).toBe(1);
      res.predictions.forEach((p, i) => {
        const before = seen.prediction?.predictions[i];
        expect('label' in p && before && 'label' in before && p.label === before.label).toBe(true);
        for (const [label, prob] of Object.entries('probabilities' in p ? p.probabilities : {})) {
          const old = before && 'probabilities' in before ? before.probabilities[label] : undefined;
          expect(prob).toBeCloseTo(old ?? NaN, 10);
        }
      });
    },
    STEP_TIMEOUT,
  );
});
