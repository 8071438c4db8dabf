// The batch scoring tables on SQLite and PostgreSQL: jobs, runs with their partition progress, and the schedule's
// compare-and-set that lets exactly one replica take a tick.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetadataStore } from './metadata-store.js';
import { ADAPTERS, aliceAndProject, openThrowAwayStore, type ThrowAwayStore } from './test-databases.js';

const by = (actor: string, action: string) => ({ actor, action });

describe.each(ADAPTERS)('BatchStore on %s', (adapter) => {
  let handle: ThrowAwayStore;
  let store: MetadataStore;
  let projectId: string;
  let userId: string;

  beforeAll(async () => {
    handle = await openThrowAwayStore(adapter);
    store = handle.store;
    ({ userId, projectId } = await aliceAndProject(store, 'p'));
  });

  afterAll(async () => {
    await handle?.dispose();
  });

  const newJob = (name: string, nextRunAt: string | null) =>
    store.createBatchJob(
      {
        projectId,
        name,
        model: 'm@champion',
        source: { kind: 'dataset', dataset: 'd', version: null },
        outputDataset: 'out',
        partitions: 4,
        schedule: nextRunAt === null ? null : '* * * * * *',
        keepColumns: ['a'],
        outputColumns: {
          prediction: 'prediction',
          probability: 'probability',
          probabilityPrefix: 'p_',
          label: 'label',
        },
        outputTable: null,
        nextRunAt,
        createdBy: userId,
      },
      by(userId, 'batch_job.create'),
    );

  it('keeps jobs, and lets one of many concurrent claims take a tick', async () => {
    const due = '2026-01-01T00:00:00.000Z';
    const job = await newJob('scheduled', due);
    expect(await store.getBatchJob(job.id)).toEqual(job);
    expect((await store.scheduledBatchJobs()).map((j) => j.id)).toEqual([job.id]);
    const claims = await Promise.all(
      Array.from({ length: 8 }, () => store.claimBatchTick(job.id, due, '2026-01-01T00:00:01.000Z')),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect((await store.getBatchJob(job.id))!.nextRunAt).toBe('2026-01-01T00:00:01.000Z');
    expect(await store.claimBatchTick(job.id, due, null)).toBe(false);
  });

  it('keeps the output table of a job and of its runs', async () => {
    const job = await newJob('to-table', null);
    expect(job.outputTable).toBeNull();
    const outputTable = { connection: 'warehouse', table: 'analytics.scores', mode: 'append' as const };
    await store.updateBatchJob(job.id, { outputTable }, by(userId, 'batch_job.update'));
    expect((await store.getBatchJob(job.id))!.outputTable).toEqual(outputTable);
    const run = await store.createBatchRun({
      jobId: job.id,
      projectId,
      trigger: 'manual',
      status: 'running',
      modelRef: job.model,
      createdBy: userId,
      partitionsTotal: 1,
    });
    expect(run.outputTable).toBeNull();
    const written = { connection: 'warehouse', table: 'analytics.scores', rows: 12_345_678_901 };
    await store.updateBatchRun(run.id, { outputTable: written });
    expect((await store.getBatchRun(run.id))!.outputTable).toEqual(written);
    await store.updateBatchJob(job.id, { outputTable: null }, by(userId, 'batch_job.update'));
    expect((await store.getBatchJob(job.id))!.outputTable).toBeNull();
  });

  it('tracks runs and their partitions, and forgets them with the job', async () => {
    const job = await newJob('runs', null);
    const run = await store.createBatchRun({
      jobId: job.id,
      projectId,
      trigger: 'manual',
      status: 'queued',
      modelRef: job.model,
      createdBy: userId,
      partitionsTotal: 4,
    });
    await store.updateBatchRun(run.id, {
      status: 'running',
      rowsTotal: 10,
      inputParents: [{ datasetId: 'd', version: 'v' }],
    });
    await store.recordBatchPartition(run.id, 2, 3);
    await store.recordBatchPartition(run.id, 0, 2);
    await store.recordBatchPartition(run.id, 2, 3);
    const got = (await store.getBatchRun(run.id))!;
    expect([got.status, got.partitionsDone, got.rowsDone, got.rowsTotal]).toEqual(['running', 2, 5, 10]);
    expect(got.inputParents).toEqual([{ datasetId: 'd', version: 'v' }]);
    expect(await store.batchPartitions(run.id)).toEqual([
      { part: 0, rows: 2 },
      { part: 2, rows: 3 },
    ]);
    expect((await store.activeBatchRuns(job.id)).map((r) => r.id)).toEqual([run.id]);
    expect((await store.listBatchRuns(job.id, { limit: 10 })).items.map((r) => r.id)).toEqual([run.id]);
    await store.clearBatchPartitions(run.id);
    expect((await store.getBatchRun(run.id))!.partitionsDone).toBe(0);
    expect(await store.deleteBatchJob(job.id, by(userId, 'batch_job.delete'))).toBe(true);
    expect(await store.getBatchRun(run.id)).toBeUndefined();
    expect(await store.deleteBatchJob(job.id, by(userId, 'batch_job.delete'))).toBe(false);
  });
});
