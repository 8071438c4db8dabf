// Feedback labels in the endpoint store, on every adapter: matching logged requests, upserts, and the labelled join.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EndpointRecord, MetadataStore } from './metadata-store.js';
import { ADAPTERS, openThrowAwayStore, type ThrowAwayStore } from './test-databases.js';

const by = (actor: string, action: string, projectId?: string) => ({ actor, action, projectId: projectId ?? null });

describe.each(ADAPTERS)('endpoint feedback on %s', (adapter) => {
  let handle: ThrowAwayStore;
  let store: MetadataStore;
  let endpoint: EndpointRecord;
  let other: EndpointRecord;

  beforeAll(async () => {
    handle = await openThrowAwayStore(adapter);
    store = handle.store;
    const alice = await store.createUser({ name: 'alice', isAdmin: true }, by('system', 'user.create'));
    const project = await store.createProject(
      { name: 'labels', description: '', owner: alice.id },
      by(alice.id, 'project.create'),
    );
    const create = (name: string) =>
      store.createEndpoint(
        { projectId: project.id, name, modelRef: 'm@champion', createdBy: alice.id, maxConcurrency: 8 },
        by(alice.id, 'endpoint.create'),
      );
    endpoint = await create('scoring');
    other = await create('other');
    const answer = (p: number) => ({ label: p > 0.5 ? 'yes' : 'no', probabilities: { no: 1 - p, yes: p } });
    await store.logInferences([
      {
        id: 'inf_1',
        endpointId: endpoint.id,
        modelVersion: 1,
        modelRef: 'm@champion',
        route: 'primary',
        inputs: [{ x: 1 }, { x: 2 }, { x: 3 }],
        outputs: [answer(0.25), answer(0.75), answer(0.5)],
        latencyMs: 1,
      },
      {
        id: 'inf_2',
        endpointId: endpoint.id,
        modelVersion: 2,
        modelRef: 'm@2',
        route: 'canary',
        inputs: [{ x: 4 }],
        outputs: [answer(0.875)],
        latencyMs: 1,
      },
      {
        id: 'inf_3',
        endpointId: other.id,
        modelVersion: 1,
        modelRef: 'm@champion',
        route: 'primary',
        inputs: [{ x: 5 }],
        outputs: [{ value: 2.5 }],
        latencyMs: 1,
      },
    ]);
  });

  afterAll(async () => {
    await handle?.dispose();
  });

  it('tells which requests are in an endpoint log, with their record count and first answer', async () => {
    const shapes = await store.loggedRequestShapes(endpoint.id, ['inf_1', 'inf_2', 'inf_3', 'inf_missing', 'inf_1']);
    expect([...shapes.keys()].sort()).toEqual(['inf_1', 'inf_2']);
    expect(shapes.get('inf_1')).toEqual({
      records: 3,
      first: { label: 'no', probabilities: { no: 0.75, yes: 0.25 } },
    });
    expect(shapes.get('inf_2')?.records).toBe(1);
    const regression = await store.loggedRequestShapes(other.id, ['inf_3']);
    expect(regression.get('inf_3')).toEqual({ records: 1, first: { value: 2.5 } });
  });

  it('upserts labels: a later label of a record replaces the earlier one, also within one call', async () => {
    await store.upsertFeedback(
      endpoint.id,
      [
        { requestId: 'inf_1', index: 0, label: 'yes' },
        { requestId: 'inf_1', index: 1, label: 'no' },
        { requestId: 'inf_1', index: 1, label: 'yes' },
      ],
      'alice',
    );
    await store.upsertFeedback(endpoint.id, [{ requestId: 'inf_1', index: 0, label: 'no' }], 'bob');
    await store.upsertFeedback(other.id, [{ requestId: 'inf_3', index: 0, label: 3.25 }], 'bob');
    const labels = await store.feedbackFor(endpoint.id, ['inf_1', 'inf_2']);
    expect(labels.map((l) => [l.requestId, l.index, l.label, l.receivedBy]).sort()).toEqual([
      ['inf_1', 0, 'no', 'bob'],
      ['inf_1', 1, 'yes', 'alice'],
    ]);
    expect(await store.feedbackFor(other.id, ['inf_3'])).toMatchObject([{ requestId: 'inf_3', index: 0, label: 3.25 }]);
    // 1,200 labels cross the insert chunk size.
    await store.upsertFeedback(
      endpoint.id,
      Array.from({ length: 1200 }, (_, i) => ({ requestId: `inf_x${i}`, index: 0, label: 'no' })),
      'alice',
    );
    expect(await store.feedbackFor(endpoint.id, ['inf_x0', 'inf_x1199'])).toHaveLength(2);
  });

  it('joins labels with the logged answers over a window of answer times', async () => {
    await store.upsertFeedback(endpoint.id, [{ requestId: 'inf_2', index: 0, label: 'yes' }], 'alice');
    const all = await store.labelledRecords(endpoint.id, { from: '2000-01-01', to: '2999-01-01', limit: 100 });
    expect(
      all.map((r) => [
        r.requestId,
        r.index,
        r.label,
        'label' in r.output ? r.output.label : null,
        r.route,
        r.modelVersion,
      ]),
    ).toEqual([
      ['inf_1', 0, 'no', 'no', 'primary', 1],
      ['inf_1', 1, 'yes', 'yes', 'primary', 1],
      ['inf_2', 0, 'yes', 'yes', 'canary', 2],
    ]);
    expect(all[0]?.predictedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await store.labelledRecords(endpoint.id, { from: '2000-01-01', to: '2999-01-01', limit: 1 })).toHaveLength(
      1,
    );
    expect(await store.labelledRecords(endpoint.id, { from: '2999-01-01', to: '3000-01-01', limit: 100 })).toEqual([]);
    const regression = await store.labelledRecords(other.id, { from: '2000-01-01', to: '2999-01-01', limit: 100 });
    expect(regression.map((r) => [r.label, r.output])).toEqual([[3.25, { value: 2.5 }]]);
  });

  it('joins labels with the logged inputs of each labelled record too', async () => {
    const window = { from: '2000-01-01', to: '2999-01-01', limit: 100 };
    const withInputs = await store.labelledRecordsWithInputs(endpoint.id, window);
    expect(withInputs.map((r) => [r.requestId, r.index, r.inputs])).toEqual([
      ['inf_1', 0, { x: 1 }],
      ['inf_1', 1, { x: 2 }],
      ['inf_2', 0, { x: 4 }],
    ]);
    const { inputs: _inputs, ...rest } = withInputs[2]!;
    expect(rest).toEqual((await store.labelledRecords(endpoint.id, window))[2]);
    expect(await store.labelledRecordsWithInputs(endpoint.id, { ...window, limit: 1 })).toHaveLength(1);
  });
});
