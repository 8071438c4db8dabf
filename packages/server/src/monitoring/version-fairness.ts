// A version's fairness slices: its model scored on the rows its run held out (the split reproduced from the run's
// seed and test fraction; every row when the run cross-validated), sliced by any columns of that dataset version —
// features or not, such as a sensitive attribute the model never saw — and stored with the version.

import type { NewVersionFairness, VersionFairness } from '@modelyard/client';
import {
  holdoutRows,
  outputLabels,
  predictFrame,
  sliceMetrics,
  type Column,
  type SegmentColumn,
} from '@modelyard/engine';
import { loadFrame } from '../data/load-frame.js';
import { notFound, unprocessable } from '../errors.js';
import { isOnnxKey } from '../serving/serving.js';
import type { Services } from '../services.js';
import type { ModelVersionRecord, RunRecord } from '../store/metadata-store.js';

/** Where the slices are stored, beside the version's explanation and model card. */
export const fairnessKey = (modelId: string, version: number): string =>
  `models/${modelId}/versions/${version}/fairness.json`;

/** Algorithms whose trainers split with prepareTraining's seeded holdout. */
const HOLDOUT_ALGORITHMS = new Set(['glm', 'gbdt', 'forest']);

export async function readVersionFairness(
  services: Services,
  modelId: string,
  version: number,
): Promise<VersionFairness | undefined> {
  const key = fairnessKey(modelId, version);
  if (!(await services.artifacts.exists(key))) return undefined;
  return JSON.parse(new TextDecoder().decode(await services.artifacts.getBytes(key))) as VersionFairness;
}

export async function computeVersionFairness(
  services: Services,
  modelId: string,
  version: ModelVersionRecord,
  request: NewVersionFairness,
): Promise<VersionFairness> {
  const { store, artifacts, duck, models } = services;
  const run = await store.getRun(version.runId);
  if (!run?.artifactKey) throw notFound('model_artifact', version.runId);
  if (isOnnxKey(run.artifactKey)) {
    throw unprocessable('fairness_unsupported', 'Imported ONNX models have no fairness slices yet.');
  }
  if (!run.datasetId || !run.datasetVersion) {
    throw unprocessable('fairness_data_missing', "The version's run has no dataset version to slice.");
  }
  const data = await store.getDatasetVersion(run.datasetId, run.datasetVersion);
  if (!data) throw unprocessable('fairness_data_missing', "The run's dataset version no longer exists.");
  const artifact = await models.load(run.artifactKey);
  const { task, target } = artifact;
  const names = [...new Set([...artifact.features.map((f) => f.name), target, ...request.columns])];
  const frame = await artifacts.withLocalFile(data.snapshotKey, (path) => loadFrame(duck, path, names));
  const split = holdoutOf(run);
  const rows = split === undefined ? rowsWithTarget(frame.column(target)) : holdoutRows(frame, { target, task }, split);
  if (rows.length === 0) throw unprocessable('fairness_no_rows', 'No rows with a target to slice.');
  const sliced = frame.take(rows);
  const outputs = predictFrame(artifact, sliced);
  const segments = request.columns.map((name) => segmentOf(sliced.column(name)));
  const minGroupSize = request.minGroupSize;
  let slices;
  if (task === 'regression') {
    const y = (sliced.column(target) as Extract<Column, { kind: 'number' }>).values;
    slices = sliceMetrics({ task, y, predictions: outputs, segments, minGroupSize });
  } else {
    const classes = artifact.classes ?? [];
    const positiveClass = request.positiveClass ?? (classes.length === 2 ? classes[1] : undefined);
    if (positiveClass === undefined || !classes.includes(positiveClass)) {
      throw unprocessable(
        'invalid_positive_class',
        positiveClass === undefined
          ? 'Name the positive class: the model has more than two classes.'
          : `'${positiveClass}' is not one of the model's classes.`,
        { classes },
      );
    }
    const { labels, scores } = outputLabels(outputs, classes, positiveClass);
    const y = targetLabels(sliced.column(target));
    slices = sliceMetrics({ task, y, predictions: labels, scores, classes, positiveClass, segments, minGroupSize });
  }
  const fairness: VersionFairness = {
    ...slices,
    rows: split === undefined ? 'all' : 'holdout',
    computedAt: new Date().toISOString(),
    runId: run.id,
    datasetVersion: data.version,
  };
  await artifacts.putBytes(fairnessKey(modelId, version.version), new TextEncoder().encode(JSON.stringify(fairness)));
  return fairness;
}

/**
 * The run's holdout split, when it had one the engine can draw again: a single trainer (not cross-validated, not a
 * stacked ensemble) with its seed and test fraction, or their defaults (42, 0.2) — the trainers' own.
 */
function holdoutOf(run: RunRecord): { testFraction: number; seed: number } | undefined {
  const { params } = run;
  if (run.kind !== 'training' || !HOLDOUT_ALGORITHMS.has(run.algorithm ?? '')) return undefined;
  if (params.cvFolds !== undefined || params.stackedRuns !== undefined) return undefined;
  const testFraction = typeof params.testFraction === 'number' ? params.testFraction : 0.2;
  const seed = typeof params.seed === 'number' ? params.seed : 42;
  return testFraction > 0 ? { testFraction, seed } : undefined;
}

function rowsWithTarget(column: Column): Int32Array {
  const rows: number[] = [];
  if (column.kind === 'number') column.values.forEach((v, i) => Number.isFinite(v) && rows.push(i));
  else column.codes.forEach((code, i) => code >= 0 && rows.push(i));
  return Int32Array.from(rows);
}

/** Class labels as the engine names them: the category, or `String(value)` for a numeric target. */
function targetLabels(column: Column): string[] {
  if (column.kind === 'number') return Array.from(column.values, (v) => String(v));
  return Array.from(column.codes, (code) => column.dictionary[code] ?? '');
}

export function segmentOf(column: Column): SegmentColumn {
  if (column.kind === 'number') return { name: column.name, values: column.values };
  return { name: column.name, values: Array.from(column.codes, (code) => column.dictionary[code] ?? null) };
}
