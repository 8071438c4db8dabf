// The accuracy series: buckets by prediction time (half-open, the last cut at `to`), count 0 and null metrics where
// no labels are, rolling windows at each bucket's end, per-route splits, and the same values labelledMetrics gives.

import { describe, expect, it } from 'vitest';
import type { Prediction } from '@modelyard/client';
import { labelledMetrics } from '../serving/labelled-metrics.js';
import type { LabelledRecord } from '../store/metadata-store.js';
import { accuracySeries } from './accuracy-series.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2030-01-01T00:00:00.000Z');

function record(hours: number, label: string | number, output: Prediction, route: 'primary' | 'canary' = 'primary') {
  return {
    requestId: `inf_${hours}`,
    index: 0,
    label,
    receivedAt: new Date(T0 + hours * HOUR + 1).toISOString(),
    receivedBy: 'usr_1',
    output,
    route,
    modelRef: 'm@champion',
    modelVersion: 1,
    predictedAt: new Date(T0 + hours * HOUR).toISOString(),
  } as LabelledRecord;
}

const cls = (p: number): Prediction => ({ label: p >= 0.5 ? 'bad' : 'good', probabilities: { good: 1 - p, bad: p } });

describe('accuracySeries', () => {
  it('buckets classification labels, leaves empty buckets null, and rolls over the window', () => {
    const records = [
      record(-0.5, 'bad', cls(0.9)), // before `from`: only in rolling windows
      record(0.1, 'bad', cls(0.8)),
      record(0.5, 'good', cls(0.3)),
      record(0.9, 'good', cls(0.6), 'canary'),
      record(2.2, 'bad', cls(0.4)),
      record(2.7, 'good', cls(0.2)),
    ];
    const series = accuracySeries(
      records,
      {
        endpointId: 'end_1',
        from: T0,
        to: T0 + 2.5 * HOUR,
        bucket: '1h',
        bucketMs: HOUR,
        window: '2h',
        windowMs: 2 * HOUR,
      },
      false,
    );
    expect(series).toMatchObject({ task: 'classification', metrics: ['accuracy', 'log_loss', 'auc'], records: 6 });
    expect(series.buckets.map((b) => [b.from, b.to, b.count])).toEqual([
      ['2030-01-01T00:00:00.000Z', '2030-01-01T01:00:00.000Z', 3],
      ['2030-01-01T01:00:00.000Z', '2030-01-01T02:00:00.000Z', 0],
      ['2030-01-01T02:00:00.000Z', '2030-01-01T02:30:00.000Z', 1],
    ]);
    const [first, empty, last] = series.buckets;
    const expected = labelledMetrics({
      task: 'classification',
      classes: ['good', 'bad'],
      labels: ['bad', 'good', 'good'],
      answers: [cls(0.8), cls(0.3), cls(0.6)] as never,
    });
    expect(first!.metrics.accuracy).toBeCloseTo(2 / 3, 12);
    expect(first!.metrics.log_loss).toBeCloseTo(expected.log_loss!, 12);
    expect(first!.metrics.auc).toBeCloseTo(expected.auc!, 12);
    expect(empty!.metrics).toEqual({ accuracy: null, log_loss: null, auc: null });
    // One class present: accuracy and log loss, no AUC.
    expect(last!.metrics).toMatchObject({ accuracy: 0, auc: null });
    expect(first!.routes.primary.count).toBe(2);
    expect(first!.routes.canary).toMatchObject({ count: 1, metrics: { accuracy: 0 } });
    // Rolling: [end − 2h, end) for each bucket end.
    expect(first!.rolling).toMatchObject({ from: '2029-12-31T23:00:00.000Z', count: 4 });
    expect(empty!.rolling!.count).toBe(3);
    expect(last!.rolling).toMatchObject({ from: '2030-01-01T00:30:00.000Z', to: '2030-01-01T02:30:00.000Z', count: 3 });
  });

  it('computes regression metrics, and an empty series without labels', () => {
    const records = [record(0.2, 3, { value: 2.5 }), record(0.4, 1, { value: 1.5 }), record(0.6, 2, { value: 2 })];
    const layout = {
      endpointId: 'end_1',
      from: T0,
      to: T0 + HOUR,
      bucket: '1h',
      bucketMs: HOUR,
      window: null,
      windowMs: null,
    };
    const series = accuracySeries(records, layout, false);
    expect(series.metrics).toEqual(['rmse', 'mae', 'r2']);
    expect(series.buckets[0]!.metrics.mae).toBeCloseTo(1 / 3, 12);
    expect(series.buckets[0]!.metrics.rmse).toBeCloseTo(Math.sqrt(0.5 / 3), 12);
    expect(series.buckets[0]!.rolling).toBeNull();
    const none = accuracySeries([], layout, false);
    expect(none).toMatchObject({ task: null, metrics: [], records: 0 });
    expect(none.buckets).toEqual([expect.objectContaining({ count: 0, metrics: {}, rolling: null })]);
  });
});
