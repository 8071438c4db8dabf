// Drift storage on every adapter: window reads (primary route only, half-open windows), the out-of-profile share,
// reports as a time series, monitors and the tick claim.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DriftReport } from '@modelyard/client';
import type { EndpointRecord, MetadataStore } from './metadata-store.js';
import { ADAPTERS, aliceAndProject, openThrowAwayStore, type ThrowAwayStore } from './test-databases.js';

const by = (actor: string, action: string, projectId?: string) => ({ actor, action, projectId: projectId ?? null });

describe.each(ADAPTERS)('drift store on %s', (adapter) => {
  let handle: ThrowAwayStore;
  let store: MetadataStore;
  let endpoint: EndpointRecord;
  let userId: string;
  let before: string;
  let after: string;

  beforeAll(async () => {
    handle = await openThrowAwayStore(adapter);
    store = handle.store;
    const seeded = await aliceAndProject(store, 'drift');
    userId = seeded.userId;
    const project = { id: seeded.projectId };
    endpoint = await store.createEndpoint(
      { projectId: project.id, name: 'scoring', modelRef: 'm@champion', createdBy: userId, maxConcurrency: 8 },
      by(userId, 'endpoint.create'),
    );
    before = new Date(Date.now() - 1000).toISOString();
    const entry = (id: string, route: 'primary' | 'canary', n: number, flagged?: number) => ({
      id,
      endpointId: endpoint.id,
      modelVersion: 1,
      modelRef: 'm@champion',
      route,
      inputs: Array.from({ length: n }, (_, i) => ({ x: i })),
      outputs: Array.from({ length: n }, () => ({ value: 1 })),
      latencyMs: 1,
      ...(flagged !== undefined && { flaggedRecords: flagged }),
    });
    await store.logInferences([
      entry('inf_a', 'primary', 3, 1),
      entry('inf_b', 'canary', 2, 2),
      entry('inf_c', 'primary', 1),
    ]);
    after = new Date(Date.now() + 1000).toISOString();
  });

  afterAll(async () => {
    await handle?.dispose();
  });

  it('reads the primary route of a window, and counts flagged records over all routes', async () => {
    const rows = await store.inferenceWindow(endpoint.id, { from: before, to: after, limit: 10 });
    expect(rows.map((r) => (JSON.parse(r.inputs) as unknown[]).length).sort()).toEqual([1, 3]);
    expect(await store.inferenceWindow(endpoint.id, { from: after, to: '2999-01-01T00:00:00Z', limit: 10 })).toEqual(
      [],
    );
    expect(await store.flaggedShare(endpoint.id, { from: before, to: after })).toEqual({ records: 6, flagged: 3 });
    expect(await store.flaggedShare(endpoint.id, { from: after, to: after })).toEqual({ records: 0, flagged: 0 });
  });

  it('keeps reports newest first and filters them by time', async () => {
    const report = (id: string, createdAt: string): DriftReport => ({
      id,
      endpointId: endpoint.id,
      createdAt,
      trigger: 'manual',
      window: { from: before, to: after },
      reference: id === 'drift_2' ? { kind: 'window', from: before, to: after } : { kind: 'training' },
      modelRef: 'm@1',
      currentRows: 4,
      referenceRows: 100,
      columns: [
        {
          column: 'x',
          kind: 'number',
          test: 'ks',
          statistic: 0.5,
          pValue: 0.01,
          score: 0.01,
          threshold: 0.05,
          drifted: true,
          referenceSize: 100,
          currentSize: 4,
        },
      ],
      prediction: null,
      skipped: [{ column: 'y', reason: 'no values' }],
      driftedColumns: 1,
      testedColumns: 1,
      share: 0.5,
      datasetDrift: true,
    });
    await store.saveDriftReport(report('drift_1', '2026-01-01T00:00:00.000Z'));
    await store.saveDriftReport(report('drift_2', '2026-01-02T00:00:00.000Z'));
    const all = await store.listDriftReports(endpoint.id, { limit: 10 });
    expect(all.map((r) => r.id)).toEqual(['drift_2', 'drift_1']);
    expect(all[1]).toEqual(report('drift_1', '2026-01-01T00:00:00.000Z'));
    expect(all[0]!.reference).toEqual({ kind: 'window', from: before, to: after });
    const later = await store.listDriftReports(endpoint.id, { limit: 10, from: '2026-01-01T12:00:00.000Z' });
    expect(later.map((r) => r.id)).toEqual(['drift_2']);
  });

  it('stores one monitor per endpoint and lets one caller claim each tick', async () => {
    const monitor = {
      endpointId: endpoint.id,
      schedule: '*/5 * * * *',
      window: '1h',
      reference: { kind: 'training' as const },
      columns: { x: { test: 'ks' as const } },
      share: 0.5,
      nextRunAt: '2026-01-01T00:05:00.000Z',
      updatedBy: userId,
    };
    await store.putDriftMonitor(monitor);
    const changed = await store.putDriftMonitor({ ...monitor, window: '2h' });
    expect(await store.getDriftMonitor(endpoint.id)).toEqual(changed);
    expect((await store.scheduledDriftMonitors()).map((m) => m.window)).toEqual(['2h']);
    expect(await store.claimDriftTick(endpoint.id, monitor.nextRunAt, '2026-01-01T00:10:00.000Z')).toBe(true);
    expect(await store.claimDriftTick(endpoint.id, monitor.nextRunAt, '2026-01-01T00:10:00.000Z')).toBe(false);
    expect(await store.deleteDriftMonitor(endpoint.id)).toBe(true);
    expect(await store.deleteDriftMonitor(endpoint.id)).toBe(false);
    expect(await store.getDriftMonitor(endpoint.id)).toBeUndefined();
  });
});
