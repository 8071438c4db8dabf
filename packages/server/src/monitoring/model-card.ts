// Builds a version's model card from what the platform already holds: the registered model and version, the run
// (algorithm, params, metrics, environment), the training data and its lineage, the stored training profile and
// global explanation when there are any, and the fields people wrote (model-card-fields.ts). Sections without a
// source are null or empty, never invented.

import type { ModelCard, ModelCardEdits } from '@modelyard/client';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { versionAssetKey } from '../registry/gates.js';
import { isOnnxKey } from '../serving/serving.js';
import type { MetadataStore, ModelRecord, ModelVersionRecord } from '../store/metadata-store.js';
import { EMPTY_EDITS, editsFrom } from './model-card-fields.js';
import { fairnessKey } from './version-fairness.js';

/** Where the training profile of a run is stored (monitoring/training-profiles.ts writes it). */
const profileKey = (runId: string): string => `runs/${runId}/training-profile.json`;

async function readJson(artifacts: ArtifactStore, key: string): Promise<unknown> {
  if (!(await artifacts.exists(key))) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(await artifacts.getBytes(key))) as unknown;
  } catch {
    return undefined;
  }
}

export async function readCardEdits(
  artifacts: ArtifactStore,
  model: ModelRecord,
  version: number,
): Promise<ModelCardEdits> {
  const json = await readJson(artifacts, versionAssetKey(model.id, version, 'model_card'));
  return json === undefined ? EMPTY_EDITS : editsFrom(json);
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const num = (x: unknown): number | undefined => (typeof x === 'number' && Number.isFinite(x) ? x : undefined);
const fmt = (x: number): string => (Number.isInteger(x) ? String(x) : x.toPrecision(4).replace(/\.?0+$/, ''));

/** One line per feature of a training profile (engine/profile/training-profile.ts), read defensively. */
export function profileSummary(json: unknown): ModelCard['trainingProfile'] {
  if (!isRecord(json) || !Array.isArray(json.features)) return null;
  const features = json.features.flatMap((f) => {
    if (!isRecord(f) || typeof f.name !== 'string') return [];
    const count = num(f.count);
    const missing = num(f.missing);
    const parts: string[] = [];
    if (count !== undefined) parts.push(`${count} values`);
    if (missing !== undefined && missing > 0) parts.push(`${missing} missing`);
    if (f.type === 'number') {
      const [min, max, mean] = [num(f.min), num(f.max), num(f.mean)];
      if (min !== undefined && max !== undefined) parts.push(`range ${fmt(min)} to ${fmt(max)}`);
      if (mean !== undefined) parts.push(`mean ${fmt(mean)}`);
    } else if (Array.isArray(f.categories)) {
      const top = f.categories
        .flatMap((c) => (isRecord(c) && typeof c.value === 'string' ? [c.value] : []))
        .slice(0, 5);
      if (top.length > 0) parts.push(`top: ${top.join(', ')}`);
    }
    return [{ name: f.name, summary: parts.join('; ') }];
  });
  return { features };
}

/** Feature importances of a global explanation (engine/explain), by mean |SHAP| or else permutation. */
export function explanationSummary(json: unknown): ModelCard['explanation'] {
  if (!isRecord(json)) return null;
  const shap = isRecord(json.shap) && Array.isArray(json.shap.meanAbs) ? json.shap.meanAbs : undefined;
  const permutation =
    isRecord(json.permutation) && Array.isArray(json.permutation.importances)
      ? json.permutation.importances
      : undefined;
  const pick = (items: unknown[], value: string) =>
    items
      .flatMap((x) =>
        isRecord(x) && typeof x.feature === 'string' && num(x[value]) !== undefined
          ? [{ name: x.feature, importance: num(x[value])! }]
          : [],
      )
      .sort((a, b) => b.importance - a.importance);
  if (shap) return { method: 'mean |SHAP|', features: pick(shap, 'total') };
  if (permutation) return { method: 'permutation importance', features: pick(permutation, 'mean') };
  return null;
}

/** Slices (subgroups with metrics) that a profile or explanation may carry as `slices: [{name, metrics}]`. */
export function slicesOf(...sources: unknown[]): ModelCard['slices'] {
  for (const source of sources) {
    if (!isRecord(source) || !Array.isArray(source.slices)) continue;
    return source.slices.flatMap((s) => {
      if (!isRecord(s) || typeof s.name !== 'string' || !isRecord(s.metrics)) return [];
      const metrics: Record<string, number> = {};
      for (const [k, v] of Object.entries(s.metrics)) if (num(v) !== undefined) metrics[k] = v as number;
      return [{ name: s.name, metrics }];
    });
  }
  return [];
}

/**
 * The version's stored fairness slices (monitoring/version-fairness.ts) as card slices: one per group, named
 * `column=value` (`a=x, b=y` in an intersection), with its numeric metrics, and one per table with the disparity.
 */
export function fairnessSlicesOf(json: unknown): ModelCard['slices'] {
  if (!isRecord(json) || !Array.isArray(json.tables)) return [];
  return json.tables.flatMap((table) => {
    if (!isRecord(table) || !Array.isArray(table.columns) || !Array.isArray(table.groups)) return [];
    const columns = table.columns.map(String);
    const numbers = (source: Record<string, unknown>) => {
      const metrics: Record<string, number> = {};
      for (const [k, v] of Object.entries(source)) if (num(v) !== undefined) metrics[k] = v as number;
      return metrics;
    };
    const groups = table.groups.flatMap((g) => {
      if (!isRecord(g) || !Array.isArray(g.values)) return [];
      const name = columns.map((c, i) => `${c}=${String((g.values as unknown[])[i])}`).join(', ');
      return [{ name, metrics: numbers(g) }];
    });
    const disparity = isRecord(table.disparity)
      ? [{ name: `disparity: ${columns.join(' × ')}`, metrics: numbers(table.disparity) }]
      : [];
    return [...groups, ...disparity];
  });
}

export async function buildModelCard(
  store: MetadataStore,
  artifacts: ArtifactStore,
  model: ModelRecord,
  version: ModelVersionRecord,
): Promise<ModelCard> {
  const registry = await store.getRegistryVersion(model.id, version.version);
  const run = await store.getRun(version.runId);
  let data: ModelCard['data'] = null;
  if (run?.datasetId && run.datasetVersion) {
    const dataset = await store.getDataset(run.datasetId);
    const stored = await store.getDatasetVersion(run.datasetId, run.datasetVersion);
    const parents = await store.listDatasetVersionParents({ datasetId: run.datasetId, version: run.datasetVersion });
    data = {
      datasetId: run.datasetId,
      dataset: dataset?.name ?? null,
      version: run.datasetVersion,
      rows: stored?.rows ?? null,
      columns: stored?.profile.columns.map((c) => ({ name: c.name, type: c.semanticType ?? c.type })) ?? [],
      parents: await Promise.all(
        parents.map(async (p) => ({ ...p, dataset: (await store.getDataset(p.datasetId))?.name ?? null })),
      ),
    };
  }
  const profile = run ? await readJson(artifacts, profileKey(run.id)) : undefined;
  const explanation = await readJson(artifacts, versionAssetKey(model.id, version.version, 'explanation'));
  const fairness = await readJson(artifacts, fairnessKey(model.id, version.version));
  return {
    model: { id: model.id, name: model.name, description: model.description },
    version: {
      version: version.version,
      source: run?.artifactKey && isOnnxKey(run.artifactKey) ? 'onnx' : 'run',
      description: registry?.description ?? '',
      tags: registry?.tags ?? {},
      createdAt: version.createdAt,
      createdBy: (await store.getUser(version.createdBy))?.name ?? version.createdBy,
    },
    edits: await readCardEdits(artifacts, model, version.version),
    training: run
      ? {
          runId: run.id,
          algorithm: run.algorithm,
          task: run.task,
          target: run.target,
          params: run.params,
          metrics: run.metrics,
          environment: run.environment,
          durationMs: run.durationMs,
          finishedAt: run.finishedAt,
        }
      : null,
    data,
    trainingProfile: profileSummary(profile),
    slices: [...slicesOf(profile, explanation), ...fairnessSlicesOf(fairness)],
    explanation: explanationSummary(explanation),
    generatedAt: new Date().toISOString(),
  };
}
