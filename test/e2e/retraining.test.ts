// Scheduled retraining on a real server: a schedule's tick (triggered directly, not waited for) trains from the
// template, registers the result and promotes it when the gates pass; a failing gate leaves the version registered
// and the history says why; two claims of one tick start one run.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardClient, type Model, type RetrainScheduleRun } from '@modelyard/client';
import { runCli } from '../../packages/server/src/cli/run-cli.js';
import { apiFailure, userClient } from '../helpers/api-calls.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let admin: ModelyardClient;
let model: Model;
let runId: string;

async function finished(scheduleId: string, entryId: string): Promise<RetrainScheduleRun> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const entry = (await admin.retrainScheduleRuns(scheduleId)).find((r) => r.id === entryId);
    if (entry && entry.status !== 'training') return entry;
    if (Date.now() > deadline) throw new Error(`retraining ${entryId} did not finish`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

beforeAll(async () => {
  server = await startTestServer();
  admin = new ModelyardClient({ baseUrl: server.url, token: server.token });
  model = (await admin.listModels('demo')).items.find((m) => m.name === 'credit-glm')!;
  runId = (await admin.getModelVersion(model.id, 1)).runId;
});

afterAll(async () => server?.close());

describe('retraining schedules', () => {
  it('checks what is written, lists and deletes schedules, and needs editors to write', async () => {
    const bad = await apiFailure(
      admin.createRetrainSchedule(model.id, { schedule: 'every day', runTemplate: { run: runId } }),
    );
    expect([bad.status, bad.code]).toEqual([400, 'invalid_schedule']);
    const missing = await apiFailure(
      admin.createRetrainSchedule(model.id, { schedule: '0 3 * * *', runTemplate: { run: 'run_missing' } }),
    );
    expect([missing.status, missing.code]).toEqual([404, 'run_not_found']);
    const schedule = await admin.createRetrainSchedule(model.id, {
      schedule: '0 3 * * *',
      runTemplate: { run: runId },
    });
    expect(schedule).toMatchObject({ modelId: model.id, registerAs: 'credit-glm', promoteAlias: null });
    expect(Date.parse(schedule.nextRunAt!)).toBeGreaterThan(Date.now());
    expect((await admin.listRetrainSchedules(model.id)).map((s) => s.id)).toContain(schedule.id);

    const viewer = await userClient(admin, server.url, 'retrain-viewer', { project: 'demo', role: 'viewer' });
    expect((await viewer.listRetrainSchedules(model.id)).map((s) => s.id)).toContain(schedule.id);
    expect(await viewer.retrainScheduleRuns(schedule.id)).toEqual([]);
    const denied = await apiFailure(
      viewer.createRetrainSchedule(model.id, { schedule: '0 3 * * *', runTemplate: { run: runId } }),
    );
    expect(denied.status).toBe(403);
    expect((await apiFailure(viewer.deleteRetrainSchedule(schedule.id))).status).toBe(403);

    await admin.deleteRetrainSchedule(schedule.id);
    expect((await admin.listRetrainSchedules(model.id)).map((s) => s.id)).not.toContain(schedule.id);
    const gone = await apiFailure(admin.retrainScheduleRuns(schedule.id));
    expect([gone.status, gone.code]).toEqual([404, 'retrain_schedule_not_found']);
  });

  it('trains on a tick, registers the result and promotes it when the gates pass; one run per tick', async () => {
    const schedule = await admin.createRetrainSchedule(model.id, {
      schedule: '0 0 1 1 *',
      runTemplate: { run: runId },
      promoteAlias: 'challenger',
    });
    const { retrainSchedules } = server.server.services;
    // A tick before the schedule's time does nothing.
    expect(await retrainSchedules.tick(schedule.id, new Date())).toBeUndefined();
    // Two replicas' timers fire for the same tick: one claims it and starts a run.
    const at = new Date(schedule.nextRunAt!);
    const claims = await Promise.all([retrainSchedules.tick(schedule.id, at), retrainSchedules.tick(schedule.id, at)]);
    const started = claims.filter((c) => c !== undefined);
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ status: 'training', tickAt: schedule.nextRunAt });
    const entry = await finished(schedule.id, started[0]!.id);
    expect(await admin.retrainScheduleRuns(schedule.id)).toHaveLength(1);
    expect(entry).toMatchObject({ status: 'promoted', model: 'credit-glm', message: null, failingGates: [] });
    expect(entry.finishedAt).not.toBeNull();
    const run = await admin.getRun(entry.runId!);
    expect(run).toMatchObject({ status: 'succeeded' });
    expect(run.tags['modelyard.retrain_schedule']).toBe(schedule.id);
    expect((await admin.getModelVersion(model.id, entry.modelVersion!)).runId).toBe(run.id);
    expect((await admin.getModel(model.id)).aliases).toMatchObject({ challenger: entry.modelVersion });
    // The claim moved the schedule on to its next tick.
    const after = (await admin.listRetrainSchedules(model.id)).find((s) => s.id === schedule.id)!;
    expect(Date.parse(after.nextRunAt!)).toBeGreaterThan(at.getTime());
  }, 180_000);

  it('registers but does not promote a version a gate refuses, and records the failing gate', async () => {
    const gate = await admin.createGate(model.id, { kind: 'metric', metric: 'auc', op: '>=', threshold: 1.5 }, [
      'strict',
    ]);
    const schedule = await admin.createRetrainSchedule(model.id, {
      schedule: '0 0 1 1 *',
      runTemplate: { run: runId },
      promoteAlias: 'strict',
    });
    const started = await server.server.services.retrainSchedules.tick(schedule.id, new Date(schedule.nextRunAt!));
    const entry = await finished(schedule.id, started!.id);
    expect(entry).toMatchObject({ status: 'gates_failed', model: 'credit-glm' });
    expect(entry.modelVersion).toBeGreaterThan(1);
    expect(entry.message).toContain('strict');
    expect(entry.failingGates).toEqual([
      expect.objectContaining({ gate: gate.id, rule: { kind: 'metric', metric: 'auc', op: '>=', threshold: 1.5 } }),
    ]);
    // Registered, not promoted.
    expect((await admin.getModelVersion(model.id, entry.modelVersion!)).runId).toBe(entry.runId);
    expect((await admin.getModel(model.id)).aliases.strict).toBeUndefined();
  }, 180_000);

  it('creates, lists, shows the history of and deletes schedules from the CLI', async () => {
    const cli = async (...argv: string[]) => {
      let stdout = '';
      let stderr = '';
      const code = await runCli(argv, {
        stdout: { write: (s: string) => (stdout += s) },
        stderr: { write: (s: string) => (stderr += s), isTTY: false },
        env: {
          MODELYARD_URL: server.url,
          MODELYARD_TOKEN: server.token,
          MODELYARD_PROJECT: 'demo',
          HOME: server.dataDir,
        },
        cwd: server.dataDir,
      });
      return { code, stdout, stderr };
    };
    const created = await cli('retrain', 'create', 'credit-glm', '--cron', '0 4 * * 1', '--from-run', runId, '--json');
    expect(created).toMatchObject({ code: 0, stderr: '' });
    const schedule = JSON.parse(created.stdout) as { id: string; schedule: string };
    expect(schedule.schedule).toBe('0 4 * * 1');
    const listed = await cli('retrain', 'list', 'credit-glm');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(schedule.id);
    expect((await cli('retrain', 'history', schedule.id)).stdout).toContain('No ticks yet.');
    const bad = await cli('retrain', 'create', 'credit-glm', '--cron', 'whenever', '--from-run', runId);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('invalid_schedule');
    expect((await cli('retrain', 'delete', schedule.id)).code).toBe(0);
    expect((await admin.listRetrainSchedules(model.id)).map((s) => s.id)).not.toContain(schedule.id);
  });
});
