// The shadow report's label metrics against scikit-learn 1.2.1 (values frozen from sklearn.metrics).

import { describe, expect, it } from 'vitest';
import type { InferenceRecord, Prediction } from '@modelyard/client';
import type { EndpointRecord, FeedbackLabel } from '../store/metadata-store.js';
import { shadowReport } from './shadow-report.js';

const endpoint: EndpointRecord = {
  id: 'ep_1',
  projectId: 'p_1',
  name: 'scoring',
  modelRef: 'm@champion',
  canary: null,
  shadow: { modelRef: 'm@2', share: 1 },
  maxConcurrency: 8,
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'u_1',
  updatedAt: null,
};

const binary = (p: number): Prediction => ({ label: p > 0.5 ? 'yes' : 'no', probabilities: { no: 1 - p, yes: p } });

function pair(requestId: string, primary: Prediction[] | undefined, shadow: Prediction[] | null) {
  const createdAt = '2026-01-01T00:00:01.000Z';
  const logged: InferenceRecord | undefined = primary && {
    id: requestId,
    endpointId: endpoint.id,
    modelVersion: 1,
    route: 'primary',
    model: 'm@champion',
    inputs: primary.map(() => ({ x: 1 })),
    outputs: primary,
    latencyMs: 1,
    createdAt,
  };
  return {
    shadow: {
      requestId,
      endpointId: endpoint.id,
      modelRef: 'm@2',
      modelVersion: 2,
      outputs: shadow,
      error: shadow === null ? 'boom' : null,
      latencyMs: 2,
      createdAt,
    },
    primary: logged,
  };
}

const label = (requestId: string, index: number, value: string | number): FeedbackLabel => ({
  requestId,
  index,
  label: value,
  receivedAt: '2026-01-02T00:00:00.000Z',
  receivedBy: 'u_1',
});

describe('shadowReport metrics', () => {
  it('scores both versions on labelled binary records: accuracy, log loss (clipped), AUC with ties', () => {
    // y = yes,no,yes,yes,no,no,yes,no over two requests; the shadow's 1.0 on a 'no' exercises the clipping.
    const truth = ['yes', 'no', 'yes', 'yes', 'no', 'no', 'yes', 'no'];
    const primary = [0.9, 0.2, 0.6, 0.4, 0.4, 0.1, 0.8, 0.7].map(binary);
    const shadow = [0.8, 0.3, 0.7, 0.7, 0.2, 1.0, 0.9, 0.3].map(binary);
    const pairs = [
      pair('r1', primary.slice(0, 5), shadow.slice(0, 5)),
      pair('r2', primary.slice(5), shadow.slice(5)),
      // Labelled but the shadow failed, labelled but never logged, and answered but unlabelled: none counts.
      pair('r3', [binary(0.9)], null),
      pair('r4', undefined, [binary(0.9)]),
      pair('r5', [binary(0.9)], [binary(0.1)]),
    ];
    const labels = [
      ...truth.slice(0, 5).map((y, i) => label('r1', i, y)),
      ...truth.slice(5).map((y, i) => label('r2', i, y)),
      label('r3', 0, 'no'),
      label('r4', 0, 'no'),
      // A label of a record index the request does not have is ignored.
      label('r2', 7, 'no'),
    ];
    const report = shadowReport(endpoint, pairs, labels);
    expect(report.records).toBe(9);
    const metrics = report.metrics!;
    expect(metrics.labelled).toBe(8);
    expect(Object.keys(metrics.primary).sort()).toEqual(['accuracy', 'auc', 'log_loss']);
    // sklearn: accuracy_score, log_loss(y, P, labels=['no', 'yes']), roc_auc_score(y == 'yes', p_yes).
    expect(metrics.primary.accuracy).toBeCloseTo(0.75, 12);
    expect(metrics.primary.log_loss).toBeCloseTo(0.47486536470951807, 12);
    expect(metrics.primary.auc).toBeCloseTo(0.84375, 12);
    expect(metrics.shadow.accuracy).toBeCloseTo(0.875, 12);
    expect(metrics.shadow.log_loss).toBeCloseTo(4.752750097894791, 12);
    expect(metrics.shadow.auc).toBeCloseTo(0.75, 12);
    expect(metrics.delta.accuracy).toBeCloseTo(0.125, 12);
    expect(metrics.delta.log_loss).toBeCloseTo(4.752750097894791 - 0.47486536470951807, 12);
    expect(metrics.delta.auc).toBeCloseTo(-0.09375, 12);
  });

  it('scores regression answers: rmse, mae, r2', () => {
    const truth = [3, -0.5, 2, 7, 4.25];
    const primary = [2.5, 0.0, 2, 8, 4].map((value) => ({ value }));
    const shadow = [3, -1, 1.5, 6, 5].map((value) => ({ value }));
    const pairs = primary.map((p, i) => pair(`r${i}`, [p], [shadow[i]!]));
    const report = shadowReport(
      endpoint,
      pairs,
      truth.map((y, i) => label(`r${i}`, 0, y)),
    );
    const metrics = report.metrics!;
    expect(metrics.labelled).toBe(5);
    expect(metrics.primary.rmse).toBeCloseTo(0.5590169943749475, 12);
    expect(metrics.primary.mae).toBeCloseTo(0.45, 12);
    expect(metrics.primary.r2).toBeCloseTo(0.9491042345276873, 12);
    expect(metrics.shadow.rmse).toBeCloseTo(0.6422616289332564, 12);
    expect(metrics.shadow.mae).toBeCloseTo(0.55, 12);
    expect(metrics.shadow.r2).toBeCloseTo(0.9328175895765473, 12);
    expect(metrics.delta.r2).toBeCloseTo(0.9328175895765473 - 0.9491042345276873, 12);
  });

  it('scores multiclass answers without an AUC, and leaves out metrics undefined on the records', () => {
    const classes = ['a', 'b', 'c'];
    const answer = (p: number[]): Prediction => ({
      label: classes[p.indexOf(Math.max(...p))]!,
      probabilities: Object.fromEntries(classes.map((c, i) => [c, p[i]!])),
    });
    const primary = [
      [0.7, 0.2, 0.1],
      [0.1, 0.6, 0.3],
      [0.3, 0.3, 0.4],
      [0.2, 0.5, 0.3],
    ].map(answer);
    const shadow = [
      [0.5, 0.25, 0.25],
      [0.2, 0.2, 0.6],
      [0.1, 0.1, 0.8],
      [0.6, 0.2, 0.2],
    ].map(answer);
    const truth = ['a', 'b', 'c', 'a'];
    const metrics = shadowReport(
      endpoint,
      [pair('r1', primary, shadow)],
      truth.map((y, i) => label('r1', i, y)),
    ).metrics!;
    expect(Object.keys(metrics.shadow).sort()).toEqual(['accuracy', 'log_loss']);
    expect(metrics.primary.accuracy).toBeCloseTo(0.75, 12);
    expect(metrics.primary.log_loss).toBeCloseTo(0.8483073030032446, 12);
    expect(metrics.shadow.accuracy).toBeCloseTo(0.75, 12);
    expect(metrics.shadow.log_loss).toBeCloseTo(0.7591385670185615, 12);

    // One labelled binary record: the AUC needs both classes and is left out; one regression record has no R².
    const one = shadowReport(endpoint, [pair('r1', [binary(0.9)], [binary(0.2)])], [label('r1', 0, 'yes')]).metrics!;
    expect(one.primary).toEqual({ accuracy: 1, log_loss: expect.closeTo(-Math.log(0.9), 12) as number });
    expect(one.delta.accuracy).toBe(-1);
    const value = shadowReport(endpoint, [pair('r1', [{ value: 1 }], [{ value: 2 }])], [label('r1', 0, 1.5)]).metrics!;
    expect(Object.keys(value.primary).sort()).toEqual(['mae', 'rmse']);
  });

  it('has no metrics without labels on compared records', () => {
    expect(shadowReport(endpoint, [pair('r1', [binary(0.9)], [binary(0.2)])]).metrics).toBeNull();
    expect(shadowReport(endpoint, [], [label('r1', 0, 'yes')]).metrics).toBeNull();
  });
});
