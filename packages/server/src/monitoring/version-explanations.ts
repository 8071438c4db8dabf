// A version's global explanation (mean |SHAP| per feature, permutation importance, partial dependence of the top
// features), computed from the very dataset version its run trained on (or a dataset the caller names: an imported
// ONNX version has none) and stored with the version, where the model card, the web UI and the `explanation` gate
// read it.

import type { NewVersionExplanation } from '@modelyard/client';
import {
  globalExplanation,
  globalExplanationOf,
  type FeatureRecord,
  type Frame,
  type GlobalExplanation,
  type Prediction,
} from '@modelyard/engine';
import type { ModelVersionRecord, RunRecord } from '../store/metadata-store.js';
import { loadFrame } from '../data/load-frame.js';
import { badRequest, notFound, unprocessable } from '../errors.js';
import { datasetInput } from '../jobs/batch-input.js';
import { versionAssetKey } from '../registry/gates.js';
import type { LoadedModel } from '../serving/loaded-model.js';
import { isOnnxKey } from '../serving/serving.js';
import type { Services } from '../services.js';

/** What is stored: the engine's explanation and where it came from. */
export type StoredExplanation = GlobalExplanation & { computedAt: string; runId: string; datasetVersion: string };

/** Seed of the row sample, the shuffles and the curves: a version's explanation is reproducible. */
const SEED = 42;

export async function readVersionExplanation(
  services: Services,
  modelId: string,
  version: number,
): Promise<StoredExplanation | undefined> {
  const key = versionAssetKey(modelId, version, 'explanation');
  if (!(await services.artifacts.exists(key))) return undefined;
  return JSON.parse(new TextDecoder().decode(await services.artifacts.getBytes(key))) as StoredExplanation;
}

/**
 * Computes and stores the explanation (a few seconds for a 100-tree model on 2,000 rows). Native versions default to
 * their run's dataset version; imported ONNX versions are scored through the serving runtime's session, so `data`
 * must name a dataset (and a target, unless the file's metadata names one).
 */
export async function computeVersionExplanation(
  services: Services,
  model: { id: string; projectId: string },
  version: ModelVersionRecord,
  data: NewVersionExplanation = {},
): Promise<StoredExplanation> {
  const { store, artifacts, duck, models } = services;
  const run = await store.getRun(version.runId);
  if (!run?.artifactKey) throw notFound('model_artifact', version.runId);
  if (data.version !== undefined && data.dataset === undefined) {
    throw badRequest('explanation_dataset_required', 'Name the dataset whose version is given.');
  }
  const onnx = isOnnxKey(run.artifactKey);
  if (onnx && data.dataset === undefined) {
    throw badRequest(
      'explanation_dataset_required',
      'An imported ONNX version has no training data: name a dataset to explain it on ({ dataset, target }).',
    );
  }
  const snapshot = await explanationData(services, model.projectId, run, data);
  const load = (names: string[]) =>
    artifacts.withLocalFile(snapshot.snapshotKey, (path) => loadFrame(duck, path, names));
  let explanation: GlobalExplanation;
  if (onnx) {
    const target = data.target ?? run.target;
    if (target === null) {
      throw badRequest(
        'explanation_target_required',
        'The ONNX file names no target: name the target column of the dataset ({ target }).',
      );
    }
    const loaded = await services.serving.runtime.loadRun(run.id);
    const features = loaded.features.map((f) => f.name);
    const frame = await load([...new Set([...features, target])]);
    explanation = await explainOnnx(loaded, run, target, frame);
  } else {
    const stored = await models.load(run.artifactKey);
    const artifact = data.target === undefined ? stored : { ...stored, target: data.target };
    const frame = await load([...new Set([...artifact.features.map((f) => f.name), artifact.target])]);
    explanation = globalExplanation(artifact, frame, { seed: SEED });
  }
  const stored: StoredExplanation = {
    ...explanation,
    computedAt: new Date().toISOString(),
    runId: run.id,
    datasetVersion: snapshot.version,
  };
  await artifacts.putBytes(
    versionAssetKey(model.id, version.version, 'explanation'),
    new TextEncoder().encode(JSON.stringify(stored)),
  );
  return stored;
}

/** The dataset version named in the request, else the run's own. */
async function explanationData(
  services: Services,
  projectId: string,
  run: RunRecord,
  data: NewVersionExplanation,
): Promise<{ snapshotKey: string; version: string }> {
  if (data.dataset !== undefined) {
    return datasetInput(services, projectId, { kind: 'dataset', dataset: data.dataset, version: data.version ?? null });
  }
  if (!run.datasetId || !run.datasetVersion) {
    throw unprocessable('explanation_data_missing', "The version's run has no dataset version to explain it on.");
  }
  const own = await services.store.getDatasetVersion(run.datasetId, run.datasetVersion);
  if (!own) throw unprocessable('explanation_data_missing', "The run's dataset version no longer exists.");
  return own;
}

/**
 * Permutation importance and partial dependence of an ONNX model (no SHAP), its frames scored as JSON records by
 * its onnxruntime session, their predictions shaped as `predictFrame` shapes a native model's.
 */
async function explainOnnx(
  loaded: LoadedModel,
  run: RunRecord,
  target: string,
  frame: Frame,
): Promise<GlobalExplanation> {
  const features = loaded.features.map((f) => f.name);
  if (frame.nRows === 0) throw unprocessable('explanation_data_missing', 'The dataset version has no rows.');
  // One record first: a model whose file does not name its classes numbers them once it has scored.
  const [first] = (await loaded.score(frameRecords(frame.take(Int32Array.of(0)), features))).predictions;
  const task = run.task ?? (first !== undefined && 'probabilities' in first ? 'classification' : 'regression');
  const classes =
    task === 'classification'
      ? (loaded.classes?.() ?? Object.keys(first !== undefined && 'probabilities' in first ? first.probabilities : {}))
      : undefined;
  const predict = async (f: Frame): Promise<Float64Array> => {
    const { predictions } = await loaded.score(frameRecords(f, features));
    return predictionValues(predictions, classes);
  };
  return globalExplanationOf(
    { kind: 'onnx', task, features, target, ...(classes !== undefined && { classes }), predict },
    frame,
    { seed: SEED },
  );
}

/** A frame's feature columns as records: NaN and missing categories become null. */
function frameRecords(frame: Frame, features: string[]): FeatureRecord[] {
  const columns = features.map((name) => frame.column(name));
  return Array.from({ length: frame.nRows }, (_, i) => {
    const record: FeatureRecord = {};
    for (const column of columns) {
      if (column.kind === 'number') {
        const value = column.values[i]!;
        record[column.name] = Number.isNaN(value) ? null : value;
      } else {
        const code = column.codes[i]!;
        record[column.name] = code >= 0 ? column.dictionary[code]! : null;
      }
    }
    return record;
  });
}

/** Values; P(classes[1]) for two classes; n × k probabilities in `classes` order for more (as `predictFrame`). */
function predictionValues(predictions: Prediction[], classes: readonly string[] | undefined): Float64Array {
  if (classes === undefined) {
    return Float64Array.from(predictions, (p) => ('value' in p ? p.value : Number.NaN));
  }
  const k = classes.length;
  const probability = (p: Prediction, label: string): number =>
    'probabilities' in p ? (p.probabilities[label] ?? 0) : Number.NaN;
  if (k === 2) return Float64Array.from(predictions, (p) => probability(p, classes[1]!));
  const values = new Float64Array(predictions.length * k);
  predictions.forEach((p, i) => classes.forEach((label, c) => (values[i * k + c] = probability(p, label))));
  return values;
}
