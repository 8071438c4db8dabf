// A version's global explanation (mean |SHAP| per feature, permutation importance, partial dependence of the top
// features), computed from the very dataset version its run trained on and stored with the version, where the model
// card, the web UI and the `explanation` gate read it.

import { globalExplanation, type GlobalExplanation } from '@modelyard/engine';
import type { ModelVersionRecord } from '../store/metadata-store.js';
import { loadFrame } from '../data/load-frame.js';
import { notFound, unprocessable } from '../errors.js';
import { versionAssetKey } from '../registry/gates.js';
import { isOnnxKey } from '../serving/serving.js';
import type { Services } from '../services.js';

/** What is stored: the engine's explanation and where it came from. */
export type StoredExplanation = GlobalExplanation & { computedAt: string; runId: string; datasetVersion: string };

export async function readVersionExplanation(
  services: Services,
  modelId: string,
  version: number,
): Promise<StoredExplanation | undefined> {
  const key = versionAssetKey(modelId, version, 'explanation');
  if (!(await services.artifacts.exists(key))) return undefined;
  return JSON.parse(new TextDecoder().decode(await services.artifacts.getBytes(key))) as StoredExplanation;
}

/** Computes and stores the explanation (a few seconds for a 100-tree model on 2,000 rows). */
export async function computeVersionExplanation(
  services: Services,
  modelId: string,
  version: ModelVersionRecord,
): Promise<StoredExplanation> {
  const { store, artifacts, duck, models } = services;
  const run = await store.getRun(version.runId);
  if (!run?.artifactKey) throw notFound('model_artifact', version.runId);
  if (isOnnxKey(run.artifactKey)) {
    throw unprocessable('explain_unsupported', 'Imported ONNX models have no global explanation yet.');
  }
  if (!run.datasetId || !run.datasetVersion) {
    throw unprocessable('explanation_data_missing', "The version's run has no dataset version to explain it on.");
  }
  const data = await store.getDatasetVersion(run.datasetId, run.datasetVersion);
  if (!data) throw unprocessable('explanation_data_missing', "The run's dataset version no longer exists.");
  const artifact = await models.load(run.artifactKey);
  const names = [...artifact.features.map((f) => f.name), artifact.target];
  const frame = await artifacts.withLocalFile(data.snapshotKey, (path) => loadFrame(duck, path, names));
  const explanation: StoredExplanation = {
    ...globalExplanation(artifact, frame, { seed: 42 }),
    computedAt: new Date().toISOString(),
    runId: run.id,
    datasetVersion: data.version,
  };
  await artifacts.putBytes(
    versionAssetKey(modelId, version.version, 'explanation'),
    new TextEncoder().encode(JSON.stringify(explanation)),
  );
  return explanation;
}
