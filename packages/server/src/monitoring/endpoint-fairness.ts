// An endpoint's fairness slices over a window: its labelled records (feedback joined with the logged answers),
// sliced by a feature read from each record's logged inputs, whatever version answered it.

import type { ClassPrediction, EndpointFairness, FeatureValue, RegressionPrediction } from '@modelyard/client';
import { sliceMetrics, type SliceMetrics } from '@modelyard/engine';
import { unprocessable } from '../errors.js';
import type { Services } from '../services.js';
import type { EndpointRecord, LabelledRecordWithInputs } from '../store/metadata-store.js';
import { MAX_WINDOW_ROWS } from './alert-sources.js';

export interface FairnessWindow {
  column: string;
  from: string;
  to: string;
  positiveClass?: string | undefined;
  minGroupSize?: number | undefined;
}

export async function endpointFairness(
  services: Services,
  endpoint: EndpointRecord,
  window: FairnessWindow,
): Promise<EndpointFairness> {
  await services.serving.inferences.flush();
  const records = await services.store.labelledRecordsWithInputs(endpoint.id, {
    from: window.from,
    to: window.to,
    limit: MAX_WINDOW_ROWS,
  });
  const slices = fairnessOfRecords(records, window);
  return { ...slices, endpointId: endpoint.id, from: window.from, to: window.to, records: records.length };
}

/** The slices of labelled records; records whose label and answer do not fit the first one's task are skipped. */
export function fairnessOfRecords(
  records: LabelledRecordWithInputs[],
  options: { column: string; positiveClass?: string | undefined; minGroupSize?: number | undefined },
): SliceMetrics {
  const { column, positiveClass, minGroupSize } = options;
  if (records.length === 0) {
    throw unprocessable('no_labelled_records', 'The window has no labelled records to slice.');
  }
  if (!records.some((r) => column in r.inputs)) {
    throw unprocessable('unknown_column', `No logged input in the window has the field '${column}'.`, { column });
  }
  const segment = (r: LabelledRecordWithInputs) => segmentValue(r.inputs[column]);
  if (typeof records[0]!.label === 'number') {
    const rows = records.filter((r) => typeof r.label === 'number' && 'value' in r.output);
    return sliceMetrics({
      task: 'regression',
      y: rows.map((r) => r.label as number),
      predictions: rows.map((r) => (r.output as RegressionPrediction).value),
      segments: [{ name: column, values: rows.map(segment) }],
      minGroupSize,
    });
  }
  const rows = records.filter((r) => typeof r.label === 'string' && 'probabilities' in r.output);
  // The served classes, in the model's order (answers list probabilities in `classes` order).
  const classes = Object.keys((rows[0]?.output as ClassPrediction | undefined)?.probabilities ?? {});
  const positive = positiveClass ?? (classes.length === 2 ? classes[1] : undefined);
  if (positive === undefined || !classes.includes(positive)) {
    throw unprocessable(
      'invalid_positive_class',
      positive === undefined
        ? 'Name the positive class: the model has more than two classes.'
        : `'${positive}' is not one of the model's classes.`,
      { classes },
    );
  }
  return sliceMetrics({
    task: 'classification',
    y: rows.map((r) => r.label as string),
    predictions: rows.map((r) => (r.output as ClassPrediction).label),
    scores: rows.map((r) => (r.output as ClassPrediction).probabilities[positive] ?? 0),
    classes,
    positiveClass: positive,
    segments: [{ name: column, values: rows.map(segment) }],
    minGroupSize,
  });
}

function segmentValue(value: FeatureValue | undefined): string | number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return String(value);
  return value;
}
