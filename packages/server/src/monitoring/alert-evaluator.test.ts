import { describe, expect, it } from 'vitest';
import type { Alert } from '@modelyard/client';
import type { AlertRuleRecord } from '../store/alert-store.js';
import { durationMs } from './alert-duration.js';
import { decide, evaluateRule, holds, MetricRegistry } from './alert-evaluator.js';
import { RequestCounter } from './alert-request-counter.js';
import { quantile } from './alert-sources.js';

const NOW = new Date('2026-05-01T12:00:00.000Z');

function rule(change: Partial<AlertRuleRecord> = {}): AlertRuleRecord {
  return {
    id: 'arule_1',
    projectId: 'prj_1',
    endpointId: 'ep_1',
    name: 'slow',
    metric: 'latency_p99',
    window: '15m',
    comparison: '>',
    threshold: 100,
    minSamples: 10,
    severity: 'warning',
    webhookUrl: null,
    sealedSecret: null,
    action: null,
    enabled: true,
    cooldown: '1h',
    options: null,
    lastEvaluation: null,
    createdAt: NOW.toISOString(),
    createdBy: 'usr_1',
    updatedAt: null,
    ...change,
  };
}

function alert(state: Alert['state'], minutesAgo: number): Alert {
  return {
    id: 'alert_1',
    projectId: 'prj_1',
    endpointId: 'ep_1',
    ruleId: 'arule_1',
    ruleName: 'slow',
    metric: 'latency_p99',
    kind: 'rule',
    severity: 'warning',
    message: '',
    value: 1,
    threshold: 1,
    comparison: '>',
    window: '15m',
    samples: 1,
    state,
    details: {},
    deliveryStatus: 'none',
    action: null,
    createdAt: new Date(NOW.getTime() - minutesAgo * 60_000).toISOString(),
    resolvedAt: null,
  };
}

/** A source answering fixed readings and recording the windows it was asked for. */
function fixedSource(metrics: string[], value: number | null, samples: number) {
  const asked: [Date, Date][] = [];
  return {
    asked,
    source: {
      metrics,
      async value(_rule: AlertRuleRecord, from: Date, to: Date) {
        asked.push([from, to]);
        return { value, samples };
      },
    },
  };
}

describe('alert rule evaluation', () => {
  it('compares with each operator', () => {
    expect([holds(2, '>', 1), holds(1, '>', 1), holds(1, '>=', 1), holds(0, '<', 1), holds(1, '<', 1)]).toEqual([
      true,
      false,
      true,
      true,
      false,
    ]);
    expect(holds(1, '<=', 1)).toBe(true);
  });

  it('parses durations and refuses anything else', () => {
    expect(['30s', '15m', '1h', '7d'].map(durationMs)).toEqual([30_000, 900_000, 3_600_000, 604_800_000]);
    expect(['', '15', 'm', '0m', '1w', '-1h', '1.5h', '91d'].map(durationMs)).toEqual(Array(8).fill(undefined));
  });

  it('fires once, keeps firing without repeats, resolves, and respects the cooldown', () => {
    const now = NOW.getTime();
    expect(decide(true, undefined, 3_600_000, now)).toBe('fire');
    expect(decide(true, alert('firing', 5), 3_600_000, now)).toBe('keep');
    expect(decide(false, alert('firing', 5), 3_600_000, now)).toBe('resolve');
    expect(decide(true, alert('resolved', 5), 3_600_000, now)).toBe('none');
    expect(decide(true, alert('resolved', 61), 3_600_000, now)).toBe('fire');
    expect(decide(null, alert('firing', 5), 3_600_000, now)).toBe('keep');
    expect(decide(null, undefined, 3_600_000, now)).toBe('none');
    expect(decide(false, undefined, 3_600_000, now)).toBe('none');
  });

  it('reads the metric over the rule window and checks minSamples', async () => {
    const registry = new MetricRegistry();
    const slow = fixedSource(['latency_p99'], 250, 12);
    registry.register(slow.source);
    const fired = await evaluateRule(registry, rule(), undefined, NOW);
    expect(fired.decision).toBe('fire');
    expect(fired.evaluation).toEqual({ at: NOW.toISOString(), value: 250, samples: 12, status: 'firing' });
    expect(slow.asked[0]![1].getTime() - slow.asked[0]![0].getTime()).toBe(15 * 60_000);
    const few = await evaluateRule(registry, rule({ minSamples: 13 }), undefined, NOW);
    expect(few.decision).toBe('none');
    expect(few.evaluation.status).toBe('no_data');
    expect(few.evaluation.value).toBeNull();
  });

  it('treats a metric without a source as no data, and a later source replaces an earlier one', async () => {
    const registry = new MetricRegistry();
    const none = await evaluateRule(registry, rule({ metric: 'drift_share', minSamples: 1 }), undefined, NOW);
    expect(none.evaluation).toMatchObject({ status: 'no_data', value: null, samples: 0 });
    registry.register(fixedSource(['drift_share', 'dataset_drift'], 0.1, 5).source);
    registry.register(fixedSource(['drift_share'], 0.6, 5).source);
    const drift = await evaluateRule(
      registry,
      rule({ metric: 'drift_share', minSamples: 1, comparison: '>=', threshold: 0.5 }),
      undefined,
      NOW,
    );
    expect(drift.evaluation).toMatchObject({ status: 'firing', value: 0.6 });
    expect(registry.metrics().sort()).toEqual(['dataset_drift', 'drift_share']);
  });

  it('computes quantiles as numpy does (linear interpolation)', () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([5], 0.99)).toBe(5);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    // numpy.percentile(range(1, 101), 99) == 99.01
    expect(
      quantile(
        Array.from({ length: 100 }, (_, i) => 100 - i),
        0.99,
      ),
    ).toBeCloseTo(99.01, 10);
  });

  it('counts answers and errors per minute and forgets what is older than it keeps', () => {
    const counter = new RequestCounter(10 * 60_000);
    const t0 = NOW.getTime();
    for (let i = 0; i < 8; i++) counter.record('ep_1', 200, t0 + i * 1000);
    counter.record('ep_1', 500, t0 + 9000);
    counter.record('ep_1', 400, t0 + 61_000);
    counter.record('ep_2', 503, t0);
    expect(counter.counts('ep_1', t0, t0 + 120_000)).toEqual({ total: 10, errors: 2 });
    expect(counter.counts('ep_1', t0 + 60_000, t0 + 120_000)).toEqual({ total: 1, errors: 1 });
    expect(counter.counts('ep_2', t0, t0 + 60_000)).toEqual({ total: 1, errors: 1 });
    counter.record('ep_1', 200, t0 + 30 * 60_000);
    expect(counter.counts('ep_1', t0, t0 + 120_000)).toEqual({ total: 0, errors: 0 });
  });
});
