// Hyperparameter search studies through the SDK: trials as child training runs, parallelism, the best trial and the
// importance of each hyperparameter; bad spaces refused; and a server killed with SIGKILL mid-study resumes it on
// restart without losing or repeating a trial.

import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardClient, type Study } from '@modelyard/client';
import { apiFailure, userClient } from '../helpers/api-calls.js';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/test-server.js';

const CLI = fileURLToPath(new URL('../../packages/server/dist/cli/main.js', import.meta.url));
const WA_CHURN = fileURLToPath(new URL('../../../shared/data/wa_churn.csv', import.meta.url));

async function waitFor(client: ModelyardClient, id: string, done: (s: Study) => boolean, ms = 120_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const study = await client.getStudy(id);
    if (done(study)) return study;
    if (Date.now() > deadline) throw new Error(`study ${id} did not get there: ${JSON.stringify(study.trials)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const GLM_SPACE = {
  lambda: { kind: 'loguniform', low: 1e-5, high: 1 },
  alpha: { kind: 'uniform', low: 0, high: 1 },
} as const;

describe('studies', () => {
  let server: TestServer;
  let admin: ModelyardClient;

  beforeAll(async () => {
    server = await startTestServer({ demo: true });
    admin = new ModelyardClient({ baseUrl: server.url, token: server.token });
  });

  afterAll(async () => {
    await server?.close();
  });

  it('runs every trial as a child training run and reports the best one and the importances', async () => {
    const created = await admin.createStudy('demo', {
      name: 'glm-tpe',
      dataset: 'credit_data',
      target: 'Status',
      task: 'classification',
      algorithm: 'glm',
      space: GLM_SPACE,
      params: { seed: 3 },
      sampler: { kind: 'tpe', seed: 7 },
      parallelism: 2,
      maxTrials: 8,
    });
    expect([created.status, created.metric, created.direction]).toEqual(['running', 'auc', 'maximize']);
    expect(created.trials.total).toBe(2);
    const study = await waitFor(admin, created.id, (s) => s.status !== 'running');
    expect(study.status).toBe('finished');
    expect(study.trials).toEqual({ total: 8, complete: 8, running: 0, failed: 0, pruned: 0 });
    const trials = await admin.listTrials(study.id);
    expect(trials.map((t) => t.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const values = trials.map((t) => t.value!);
    expect(study.bestValue).toBe(Math.max(...values));
    expect(study.bestRunId).toBe(trials[values.indexOf(Math.max(...values))]!.runId);
    for (const trial of trials) {
      const run = await admin.getRun(trial.runId);
      expect(run.parentRunId).toBe(study.runId);
      expect(run.params.seed).toBe(3);
      expect(run.params.lambda).toBe(trial.params.lambda);
      expect(run.tags['modelyard.trial']).toBe(String(trial.number));
      expect(run.metrics.auc).toBe(trial.value);
    }
    const parent = await admin.getRun(study.runId);
    expect([parent.status, parent.metrics.best_auc]).toEqual(['succeeded', study.bestValue]);
    const importance = await admin.studyImportance(study.id);
    expect(Object.keys(importance).sort()).toEqual(['alpha', 'lambda']);
    expect(importance.alpha! + importance.lambda!).toBeCloseTo(1, 9);
  });

  it('prunes GBDT trials whose holdout loss trails the median of finished trials at the same round', async () => {
    const created = await admin.createStudy('demo', {
      dataset: 'credit_data',
      target: 'Status',
      task: 'classification',
      algorithm: 'gbdt',
      // Tiny learning rates barely move the loss: those trials trail and get pruned.
      space: { learningRate: { kind: 'loguniform', low: 1e-5, high: 0.3 }, maxDepth: { kind: 'int', low: 2, high: 5 } },
      params: { nTrees: 600, seed: 1 },
      sampler: { kind: 'random', seed: 4 },
      pruner: { kind: 'median', nStartupTrials: 3, nWarmupSteps: 10 },
      maxTrials: 14,
    });
    expect(created.pruner).toEqual({ kind: 'median', nStartupTrials: 3, nWarmupSteps: 10 });
    const study = await waitFor(admin, created.id, (s) => s.status !== 'running', 240_000);
    expect(study.trials.total).toBe(14);
    expect(study.trials.pruned).toBeGreaterThan(0);
    expect(study.trials.complete + study.trials.pruned).toBe(14);
    const trials = await admin.listTrials(study.id);
    for (const trial of trials) {
      const run = await admin.getRun(trial.runId);
      const curve = await admin.metricHistory(trial.runId, 'holdout_loss', { limit: 1000 });
      if (run.status === 'killed') {
        expect(run.error?.code).toBe('pruned');
        // Stopped after the warm-up, well before its 600 rounds.
        expect(curve.items.length).toBeGreaterThanOrEqual(10);
        expect(curve.items.length).toBeLessThan(600);
        expect(trial.number).toBeGreaterThanOrEqual(3);
      } else {
        expect(run.status).toBe('succeeded');
        expect(curve.items.map((p) => p.step)).toEqual(Array.from({ length: 600 }, (_, i) => i + 1));
      }
    }
    // The best trial is a finished one.
    expect(trials.find((t) => t.runId === study.bestRunId)?.status).toBe('succeeded');
    const glm = await apiFailure(
      admin.createStudy('demo', {
        dataset: 'credit_data',
        target: 'Status',
        task: 'classification',
        algorithm: 'glm',
        space: GLM_SPACE,
        pruner: { kind: 'median' },
        maxTrials: 2,
      }),
    );
    expect(glm.code).toBe('pruner_unsupported');
  });

  it('stops a study: no new trials, the running ones finish', async () => {
    const created = await admin.createStudy('demo', {
      dataset: 'credit_data',
      target: 'Status',
      task: 'classification',
      algorithm: 'glm',
      space: GLM_SPACE,
      sampler: { kind: 'random', seed: 1 },
      maxTrials: 50,
    });
    const stopped = await admin.stopStudy(created.id);
    expect(stopped.status).toBe('stopped');
    const done = await waitFor(admin, created.id, (s) => s.finishedAt !== null);
    expect(done.trials.total).toBeLessThan(50);
    expect(done.trials.running).toBe(0);
    expect((await apiFailure(admin.stopStudy(created.id))).code).toBe('study_finished');
  });

  it('refuses bad spaces and unknown params, and lets only editors start studies', async () => {
    const base = {
      dataset: 'credit_data',
      target: 'Status',
      task: 'classification' as const,
      algorithm: 'glm' as const,
      maxTrials: 3,
    };
    const inverted = await apiFailure(
      admin.createStudy('demo', { ...base, space: { lambda: { kind: 'uniform', low: 1, high: 0 } } }),
    );
    expect([inverted.status, inverted.code]).toEqual([400, 'invalid_space']);
    const unknown = await apiFailure(
      admin.createStudy('demo', { ...base, space: { depth: { kind: 'int', low: 1, high: 5 } } }),
    );
    expect([unknown.status, unknown.code, unknown.details?.known]).toEqual([
      400,
      'unknown_param',
      expect.arrayContaining(['lambda', 'alpha']),
    ]);
    const viewer = await userClient(admin, server.url, 'study-viewer', { project: 'demo', role: 'viewer' });
    expect((await apiFailure(viewer.createStudy('demo', { ...base, space: GLM_SPACE }))).status).toBe(403);
    const mine = await admin.createStudy('demo', { ...base, maxTrials: 1, space: GLM_SPACE });
    expect((await viewer.listStudies('demo')).items.map((s) => s.id)).toContain(mine.id);
    expect((await viewer.getStudy(mine.id)).name).toBe(mine.name);
    expect((await apiFailure(viewer.stopStudy(mine.id))).status).toBe(403);
  });
});

describe('a study across a server killed with SIGKILL', () => {
  let dataDir: string;
  let child: ChildProcess | undefined;

  const startChild = async (port: number): Promise<void> => {
    child = spawn(process.execPath, [CLI, 'up', '--port', String(port), '--data-dir', dataDir, '--no-demo'], {
      env: {
        ...process.env,
        MODELYARD_ADMIN_TOKEN: TEST_ADMIN_TOKEN,
        MODELYARD_LOG_LEVEL: 'warn',
        MODELYARD_WORKERS: '2',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const deadline = Date.now() + 30_000;
    for (;;) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'modelyard-study-kill-'));
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('finishes every trial exactly once after the restart', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    await startChild(port);
    const client = new ModelyardClient({ baseUrl: `http://127.0.0.1:${port}`, token: TEST_ADMIN_TOKEN });
    await client.createProject({ name: 'tuning' });
    await client.createDatasetFromFile('tuning', {
      name: 'wa_churn',
      filename: 'wa_churn.csv',
      data: new Uint8Array(readFileSync(WA_CHURN)),
    });
    // The study: 50 TPE trials on wa_churn with two at a time (small forests keep it quick).
    const study = await client.createStudy('tuning', {
      dataset: 'wa_churn',
      target: 'churn',
      task: 'classification',
      algorithm: 'gbdt',
      space: {
        nTrees: { kind: 'int', low: 10, high: 60 },
        maxDepth: { kind: 'int', low: 2, high: 6 },
        learningRate: { kind: 'loguniform', low: 0.01, high: 0.3 },
      },
      params: { seed: 1 },
      sampler: { kind: 'tpe', seed: 5 },
      parallelism: 2,
      maxTrials: 50,
    });
    await waitFor(client, study.id, (s) => s.trials.complete >= 10, 120_000);
    child!.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));

    await startChild(port);
    const done = await waitFor(client, study.id, (s) => s.status !== 'running', 180_000);
    expect(done.status).toBe('finished');
    expect(done.trials).toEqual({ total: 50, complete: 50, running: 0, failed: 0, pruned: 0 });
    const trials = await client.listTrials(study.id);
    expect(trials.map((t) => t.number)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(new Set(trials.map((t) => t.runId)).size).toBe(50);
    // Count the rows: the study's run has exactly fifty children, all finished, none left queued anywhere.
    const children = await client.searchRuns('tuning', {
      filter: `tags.\`modelyard.study\` = '${study.id}'`,
      limit: 100,
    });
    expect(children.items.filter((r) => r.parentRunId === done.runId)).toHaveLength(50);
    expect(children.items.every((r) => r.status === 'succeeded')).toBe(true);
    const all = await client.listRuns('tuning', { limit: 100 });
    expect(all.items.filter((r) => r.status === 'queued' || r.status === 'running')).toEqual([]);
  }, 300_000);
});
