// Retraining schedules on every adapter: create, list, the tick claim (one winner), the history and its updates,
// and deletion taking the history with it.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetadataStore, ModelRecord } from './metadata-store.js';
import { ADAPTERS, aliceAndProject, openThrowAwayStore, type ThrowAwayStore } from './test-databases.js';

const by = (actor: string, action: string, projectId?: string) => ({ actor, action, projectId: projectId ?? null });

describe.each(ADAPTERS)('retraining store on %s', (adapter) => {
  let handle: ThrowAwayStore;
  let store: MetadataStore;
  let model: ModelRecord;
  let userId: string;

  beforeAll(async () => {
    handle = await openThrowAwayStore(adapter);
    store = handle.store;
    const seeded = await aliceAndProject(store, 'retrain');
    userId = seeded.userId;
    const project = { id: seeded.projectId };
    model = await store.createModel(
      { projectId: project.id, name: 'credit', description: '', createdBy: userId },
      by(userId, 'model.create', project.id),
    );
  });

  afterAll(async () => handle?.dispose());

  it('keeps schedules, lets one claim of a tick win, and records what each tick came to', async () => {
    const template = { dataset: 'credit', target: 'default', task: 'classification', algorithm: 'glm' } as const;
    const tick = '2030-01-01T00:00:00.000Z';
    const schedule = await store.createRetrainSchedule(
      {
        id: 'rts_1',
        projectId: model.projectId,
        modelId: model.id,
        schedule: '0 0 1 * *',
        runTemplate: template,
        registerAs: 'credit',
        promoteAlias: 'champion',
        nextRunAt: tick,
        createdBy: userId,
      },
      by(userId, 'retrain_schedule.create'),
    );
    expect(schedule).toMatchObject({ id: 'rts_1', runTemplate: template, promoteAlias: 'champion', nextRunAt: tick });
    expect(await store.getRetrainSchedule('rts_1')).toEqual(schedule);
    expect(await store.listRetrainSchedules(model.id)).toEqual([schedule]);
    expect((await store.allRetrainSchedules()).map((s) => s.id)).toEqual(['rts_1']);
    const audit = await store.listAudit({ projectId: model.projectId }, { limit: 10 });
    expect(audit.find((e) => e.objectType === 'retrain_schedule')).toMatchObject({
      action: 'retrain_schedule.create',
      objectId: 'rts_1',
    });

    // Two replicas claim the same tick: one wins.
    const next = '2030-02-01T00:00:00.000Z';
    const claims = await Promise.all([
      store.claimRetrainTick('rts_1', tick, next),
      store.claimRetrainTick('rts_1', tick, next),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect((await store.getRetrainSchedule('rts_1'))?.nextRunAt).toBe(next);
    expect(await store.claimRetrainTick('rts_1', tick, next)).toBe(false);

    const entry = await store.addRetrainScheduleRun({
      id: 'rtr_1',
      scheduleId: 'rts_1',
      tickAt: tick,
      startedAt: '2030-01-01T00:00:01.000Z',
      status: 'training',
      runId: null,
      model: 'credit',
      modelVersion: null,
      message: null,
      failingGates: [],
    });
    expect(entry).toMatchObject({ status: 'training', finishedAt: null, failingGates: [] });
    await store.updateRetrainScheduleRun('rtr_1', { runId: 'run_1' });
    expect(await store.retrainScheduleRunsWithStatus('training')).toMatchObject([{ id: 'rtr_1', runId: 'run_1' }]);
    const failing = [{ gate: 'gat_1', rule: { kind: 'metric', metric: 'auc', op: '>=', threshold: 2 }, reason: 'low' }];
    await store.updateRetrainScheduleRun('rtr_1', {
      status: 'gates_failed',
      modelVersion: 3,
      message: 'credit@champion cannot move',
      failingGates: failing as never,
      finishedAt: '2030-01-01T00:05:00.000Z',
    });
    await store.addRetrainScheduleRun({ ...entry, id: 'rtr_2', startedAt: '2030-02-01T00:00:01.000Z' });
    const runs = await store.listRetrainScheduleRuns('rts_1', 10);
    expect(runs.map((r) => r.id)).toEqual(['rtr_2', 'rtr_1']);
    expect(runs[1]).toMatchObject({ status: 'gates_failed', modelVersion: 3, failingGates: failing, runId: 'run_1' });
    expect(await store.listRetrainScheduleRuns('rts_1', 1)).toHaveLength(1);
    expect(await store.retrainScheduleRunsWithStatus('training')).toMatchObject([{ id: 'rtr_2' }]);

    expect(await store.deleteRetrainSchedule('rts_1', by(userId, 'retrain_schedule.delete'))).toBe(true);
    expect(await store.getRetrainSchedule('rts_1')).toBeUndefined();
    expect(await store.listRetrainScheduleRuns('rts_1', 10)).toEqual([]);
    expect(await store.deleteRetrainSchedule('rts_1', by(userId, 'retrain_schedule.delete'))).toBe(false);
  });
});
