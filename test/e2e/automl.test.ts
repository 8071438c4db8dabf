// AutoML through the SDK on the demo's credit data: cross-validated candidates of every family, a TPE-tuned GBDT, a
// stacked ensemble, a leaderboard ranked by CV metric, and the leader registered with an alias.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardClient, type AutomlJob } from '@modelyard/client';
import { apiFailure, userClient } from '../helpers/api-calls.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let admin: ModelyardClient;

beforeAll(async () => {
  server = await startTestServer({ demo: true });
  admin = new ModelyardClient({ baseUrl: server.url, token: server.token });
});

afterAll(async () => {
  await server?.close();
});

describe('AutoML', () => {
  it('ranks cross-validated candidates of every family and registers the leader', async () => {
    let job: AutomlJob = await admin.startAutoml('demo', {
      dataset: 'credit_data',
      target: 'Status',
      task: 'classification',
      timeBudgetSeconds: 60,
      folds: 3,
      seed: 2,
      register: { model: 'credit-automl', alias: 'champion' },
    });
    expect([job.status, job.stage, job.metric, job.direction]).toEqual(['running', 'baselines', 'auc', 'maximize']);
    const deadline = Date.now() + 180_000;
    while (job.status === 'running' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      job = await admin.getAutoml(job.id);
    }
    expect([job.status, job.stage, job.error]).toEqual(['finished', 'done', null]);
    const board = await admin.automlLeaderboard(job.id);
    const models = board.map((r) => r.model);
    for (const family of ['glm', 'forest', 'extra_trees', 'gbdt', 'stacked']) expect(models).toContain(family);
    // The TPE search ran in the time left, and its best params were refitted with cross-validation.
    expect(job.studyId).not.toBeNull();
    const study = await admin.getStudy(job.studyId!);
    expect([study.status, study.sampler.kind, study.trials.complete > 0]).toEqual(['finished', 'tpe', true]);
    expect(board.map((r) => r.name)).toContain(`${job.name}-gbdt-tuned`);
    expect(board.map((r) => r.rank)).toEqual(board.map((_, i) => i + 1));
    // The job ends only when every candidate has: none is left training behind it.
    expect(board.map((r) => r.status)).toEqual(board.map(() => 'succeeded'));
    const scored = board.filter((r) => r.metric !== null);
    expect(scored.map((r) => r.metric)).toEqual([...scored.map((r) => r.metric!)].sort((a, b) => b - a));
    for (const row of scored) {
      expect(row.std).toBeGreaterThanOrEqual(0);
      expect(row.trainingMs).toBeGreaterThan(0);
      expect(row.scoringMsPer1k).toBeGreaterThan(0);
      expect(row.metric).toBeGreaterThan(0.7);
    }
    // The leader is the best row, and it was registered with the alias.
    expect(job.leaderRunId).toBe(board[0]!.runId);
    const model = (await admin.listModels('demo')).items.find((m) => m.name === 'credit-automl')!;
    expect(model.aliases.champion).toBe(job.modelVersion);
    const [version] = (await admin.listModelVersions(model.id)).items;
    expect(version?.runId).toBe(job.leaderRunId);
    // Every candidate is a child of the job's run (the search's trials are children of its study's run).
    const leader = await admin.getRun(job.leaderRunId!);
    expect(leader.parentRunId).toBe(job.runId);
    expect(leader.metrics.cv_folds).toBe(3);
  }, 240_000);

  it('refuses a bad target and a budget under 10 s, and lets viewers only read', async () => {
    const base = { dataset: 'credit_data', task: 'classification' as const, timeBudgetSeconds: 60 };
    expect((await apiFailure(admin.startAutoml('demo', { ...base, target: 'Nope' }))).code).toBe('unknown_target');
    const short = await apiFailure(admin.startAutoml('demo', { ...base, target: 'Status', timeBudgetSeconds: 5 }));
    expect(short.status).toBe(400);
    const viewer = await userClient(admin, server.url, 'automl-viewer', { project: 'demo', role: 'viewer' });
    expect((await apiFailure(viewer.startAutoml('demo', { ...base, target: 'Status' }))).status).toBe(403);
    const mine = await admin.startAutoml('demo', { ...base, target: 'Status', timeBudgetSeconds: 10, folds: 2 });
    expect((await viewer.getAutoml(mine.id)).target).toBe('Status');
    expect((await viewer.listAutoml('demo')).items.map((j) => j.id)).toContain(mine.id);
  });
});
