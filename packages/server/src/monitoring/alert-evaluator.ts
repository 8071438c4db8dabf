// Evaluates alert rules: each rule's metric over its window from the source registered for it, compared with the
// threshold; a rule fires once (then stays firing, with no repeat while it holds or within its cooldown) and resolves
// when a later evaluation no longer holds. Rules whose metric has no source, or too few samples, are "no data".

import type { Alert, AlertComparison, AlertEvaluation } from '@modelyard/client';
import type { AlertRuleRecord } from '../store/alert-store.js';
import type { MetricReading, MetricSource } from './alert-source.js';
import { durationMs } from './alert-duration.js';

export function holds(value: number, comparison: AlertComparison, threshold: number): boolean {
  switch (comparison) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

export type Decision = 'fire' | 'resolve' | 'keep' | 'none';

/**
 * What one evaluation does. `holding` null is no data: a firing alert stays firing, nothing new fires. A holding rule
 * fires unless its newest alert is still firing, or was raised less than `cooldownMs` ago.
 */
export function decide(
  holding: boolean | null,
  latest: Alert | undefined,
  cooldownMs: number,
  nowMs: number,
): Decision {
  const firing = latest?.state === 'firing';
  if (holding === null) return firing ? 'keep' : 'none';
  if (!holding) return firing ? 'resolve' : 'none';
  if (firing) return 'keep';
  if (latest !== undefined && nowMs - Date.parse(latest.createdAt) < cooldownMs) return 'none';
  return 'fire';
}

/** One rule's reading and what it leads to. */
export interface RuleOutcome {
  rule: AlertRuleRecord;
  reading: MetricReading;
  evaluation: AlertEvaluation;
  decision: Decision;
  latest: Alert | undefined;
  windowStart: Date;
  windowEnd: Date;
}

export class MetricRegistry {
  private readonly byMetric = new Map<string, MetricSource>();

  /** A later source for the same metric replaces the earlier one. */
  register(source: MetricSource): void {
    for (const metric of source.metrics) this.byMetric.set(metric, source);
  }

  sourceOf(metric: string): MetricSource | undefined {
    return this.byMetric.get(metric);
  }

  metrics(): string[] {
    return [...this.byMetric.keys()];
  }
}

/** Reads one rule's metric and decides; `latest` is the rule's newest alert. */
export async function evaluateRule(
  registry: MetricRegistry,
  rule: AlertRuleRecord,
  latest: Alert | undefined,
  now: Date,
): Promise<RuleOutcome> {
  const windowEnd = now;
  const windowStart = new Date(now.getTime() - (durationMs(rule.window) ?? 0));
  const source = registry.sourceOf(rule.metric);
  const reading: MetricReading = source
    ? await source.value(rule, windowStart, windowEnd)
    : { value: null, samples: 0 };
  const enough = reading.value !== null && Number.isFinite(reading.value) && reading.samples >= rule.minSamples;
  const holding = enough ? holds(reading.value!, rule.comparison, rule.threshold) : null;
  const decision = decide(holding, latest, durationMs(rule.cooldown) ?? 0, now.getTime());
  const evaluation: AlertEvaluation = {
    at: now.toISOString(),
    value: enough ? reading.value : null,
    samples: reading.samples,
    status: holding === null ? 'no_data' : holding ? 'firing' : 'ok',
  };
  return { rule, reading, evaluation, decision, latest, windowStart, windowEnd };
}
