// Compares a shadow version's logged answers with what the endpoint returned for the same requests, and both with
// the feedback labels of those requests.

import type { ClassPrediction, InferenceRecord, Prediction, ShadowMetrics, ShadowReport } from '@modelyard/client';
import type { EndpointRecord, FeedbackLabel, ShadowEntry } from '../store/metadata-store.js';
import { labelledMetrics } from './labelled-metrics.js';

type Pair = { shadow: ShadowEntry & { createdAt: string }; primary: InferenceRecord | undefined };

function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Absolute differences between two answers to one record: the value, or each class's probability. */
function differences(a: Prediction, b: Prediction): number[] {
  if ('value' in a && 'value' in b) return [Math.abs(a.value - b.value)];
  if ('probabilities' in a && 'probabilities' in b) {
    return Object.entries(a.probabilities).map(([label, p]) => Math.abs(p - (b.probabilities[label] ?? 0)));
  }
  return [];
}

/** A labelled record both sides answered. */
interface Scored {
  label: string | number;
  primary: Prediction;
  shadow: Prediction;
}

/** Both sides' metrics on the labelled records whose answers fit the label's type (class or number). */
function metricsOf(scored: Scored[]): ShadowMetrics | null {
  const classes = new Set<string>();
  const classRecords: { label: string; primary: ClassPrediction; shadow: ClassPrediction }[] = [];
  const valueRecords: { label: number; primary: number; shadow: number }[] = [];
  for (const { label, primary, shadow } of scored) {
    if (typeof label === 'string' && 'probabilities' in primary && 'probabilities' in shadow) {
      for (const c of Object.keys(primary.probabilities)) classes.add(c);
      for (const c of Object.keys(shadow.probabilities)) classes.add(c);
      classRecords.push({ label, primary, shadow });
    } else if (typeof label === 'number' && 'value' in primary && 'value' in shadow) {
      valueRecords.push({ label, primary: primary.value, shadow: shadow.value });
    }
  }
  let primary: Record<string, number>;
  let shadow: Record<string, number>;
  let labelled: number;
  // An endpoint serves one task; should both kinds appear, the more numerous decides.
  if (classRecords.length >= valueRecords.length) {
    if (classRecords.length === 0) return null;
    labelled = classRecords.length;
    const labels = classRecords.map((r) => r.label);
    const order = [...classes];
    primary = labelledMetrics({
      task: 'classification',
      classes: order,
      labels,
      answers: classRecords.map((r) => r.primary),
    });
    shadow = labelledMetrics({
      task: 'classification',
      classes: order,
      labels,
      answers: classRecords.map((r) => r.shadow),
    });
  } else {
    labelled = valueRecords.length;
    const labels = valueRecords.map((r) => r.label);
    primary = labelledMetrics({
      task: 'regression',
      labels,
      answers: valueRecords.map((r) => ({ value: r.primary })),
    });
    shadow = labelledMetrics({
      task: 'regression',
      labels,
      answers: valueRecords.map((r) => ({ value: r.shadow })),
    });
  }
  const delta: Record<string, number> = {};
  for (const [name, value] of Object.entries(shadow)) {
    const base = primary[name];
    if (base !== undefined) delta[name] = value - base;
  }
  return { labelled, primary, shadow, delta };
}

/** @param labels feedback labels of the pairs' requests (others are ignored) */
export function shadowReport(endpoint: EndpointRecord, pairs: Pair[], labels: FeedbackLabel[] = []): ShadowReport {
  const truth = new Map(labels.map((l) => [`${l.requestId}\u0000${l.index}`, l.label]));
  const scored: Scored[] = [];
  let records = 0;
  let errors = 0;
  let labelled = 0;
  let agreeing = 0;
  let diffSum = 0;
  let diffCount = 0;
  let diffMax = 0;
  const primaryLatency: number[] = [];
  const shadowLatency: number[] = [];
  for (const { shadow, primary } of pairs) {
    shadowLatency.push(shadow.latencyMs);
    if (primary) primaryLatency.push(primary.latencyMs);
    if (shadow.outputs === null || shadow.error !== null) {
      errors++;
      continue;
    }
    if (!primary) continue;
    shadow.outputs.forEach((answer, i) => {
      const returned = primary.outputs[i];
      if (returned === undefined) return;
      records++;
      const label = truth.get(`${shadow.requestId}\u0000${i}`);
      if (label !== undefined) scored.push({ label, primary: returned, shadow: answer });
      if ('label' in answer && 'label' in returned) {
        labelled++;
        if (answer.label === returned.label) agreeing++;
      }
      for (const d of differences(answer, returned)) {
        diffSum += d;
        diffCount++;
        diffMax = Math.max(diffMax, d);
      }
    });
  }
  primaryLatency.sort((a, b) => a - b);
  shadowLatency.sort((a, b) => a - b);
  return {
    endpointId: endpoint.id,
    shadow: endpoint.shadow?.modelRef ?? null,
    mirrored: pairs.length,
    records,
    errors,
    labelAgreement: labelled > 0 ? agreeing / labelled : null,
    meanAbsDiff: diffCount > 0 ? diffSum / diffCount : null,
    maxAbsDiff: diffCount > 0 ? diffMax : null,
    latencyMs: {
      primary: { p50: quantile(primaryLatency, 0.5), p99: quantile(primaryLatency, 0.99) },
      shadow: { p50: quantile(shadowLatency, 0.5), p99: quantile(shadowLatency, 0.99) },
    },
    from: pairs.length > 0 ? pairs[pairs.length - 1]!.shadow.createdAt : null,
    to: pairs.length > 0 ? pairs[0]!.shadow.createdAt : null,
    metrics: metricsOf(scored),
  };
}
