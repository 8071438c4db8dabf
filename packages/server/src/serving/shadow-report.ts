// Compares a shadow version's logged answers with what the endpoint returned for the same requests.

import type { InferenceRecord, Prediction, ShadowReport } from '@modelyard/client';
import type { EndpointRecord, ShadowEntry } from '../store/metadata-store.js';

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

export function shadowReport(endpoint: EndpointRecord, pairs: Pair[]): ShadowReport {
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
  };
}
