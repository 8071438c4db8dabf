// Our experiments, runs, metrics and registry objects as MLflow's JSON: field names, millisecond times, enum
// spellings, and empty lists left out as protobuf's JSON leaves them out.

import type { MetricValue, RunStatus } from '@modelyard/client';
import type {
  ExperimentRecord,
  LatestMetricPoint,
  RegisteredModelRecord,
  RegistryVersionRecord,
  RunRecord,
  StoredMetricPoint,
} from '../store/metadata-store.js';
import { STATUS_FROM_MLFLOW } from '../store/run-search-sql.js';

export const STATUS_TO_MLFLOW: Record<RunStatus, string> = {
  running: 'RUNNING',
  queued: 'SCHEDULED',
  succeeded: 'FINISHED',
  failed: 'FAILED',
  killed: 'KILLED',
};

/** Our status for an MLflow one, or undefined for a spelling MLflow does not have. */
export const statusFromMlflow = (status: string): RunStatus | undefined =>
  STATUS_FROM_MLFLOW[status] as RunStatus | undefined;

/** Tags that carry a run's dataset inputs (runs/log-inputs); shown under `inputs`, not among the tags. */
export const INPUT_TAG_PREFIX = 'mlflow.modelyard.input.';

export const ms = (iso: string): number => Date.parse(iso);

/** NaN and the infinities as protobuf's JSON writes them. */
export const metricValueJson = (v: number): MetricValue =>
  Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : v;

export const metricJson = (p: StoredMetricPoint) => ({
  key: p.key,
  value: metricValueJson(p.value),
  timestamp: p.timestamp,
  step: p.step,
});

const keyValues = (record: Record<string, string | number | boolean>) =>
  Object.entries(record).map(([key, value]) => ({ key, value: String(value) }));

/** `{name: list}` when the list has items, `{}` otherwise (protobuf's JSON leaves empty lists out). */
export const listField = <T>(name: string, items: T[]): Record<string, T[]> =>
  items.length > 0 ? { [name]: items } : {};

export function experimentJson(e: ExperimentRecord) {
  return {
    experiment_id: e.id,
    name: e.name,
    artifact_location: `mlflow-artifacts:/${e.id}`,
    lifecycle_stage: e.lifecycleStage,
    last_update_time: ms(e.updatedAt),
    creation_time: ms(e.createdAt),
    ...listField('tags', keyValues(e.tags)),
  };
}

export const artifactUriOf = (run: RunRecord): string => `mlflow-artifacts:/${run.experimentId}/${run.id}/artifacts`;

export function runInfoJson(run: RunRecord, userName: string) {
  return {
    run_uuid: run.id,
    experiment_id: run.experimentId,
    run_name: run.name,
    user_id: userName,
    status: STATUS_TO_MLFLOW[run.status],
    start_time: ms(run.startedAt ?? run.createdAt),
    ...(run.finishedAt !== null && { end_time: ms(run.finishedAt) }),
    artifact_uri: artifactUriOf(run),
    lifecycle_stage: run.lifecycleStage,
    run_id: run.id,
  };
}

/** The run's tags as MLflow shows them: its name and parent as the system tags MLflow keeps them in. */
function runTags(run: RunRecord): { key: string; value: string }[] {
  const tags = Object.entries(run.tags).filter(([key]) => !key.startsWith(INPUT_TAG_PREFIX));
  const has = (key: string) => Object.hasOwn(run.tags, key);
  if (!has('mlflow.runName')) tags.push(['mlflow.runName', run.name]);
  if (run.parentRunId !== null && !has('mlflow.parentRunId')) tags.push(['mlflow.parentRunId', run.parentRunId]);
  return tags.map(([key, value]) => ({ key, value }));
}

function inputsJson(run: RunRecord) {
  const inputs = Object.entries(run.tags)
    .filter(([key]) => key.startsWith(INPUT_TAG_PREFIX))
    .map(([, value]) => JSON.parse(value) as unknown);
  return listField('dataset_inputs', inputs);
}

/** A whole run; `withInputs` adds the `inputs` object that runs/get and runs/search show and runs/create does not. */
export function runJson(run: RunRecord, userName: string, metrics: LatestMetricPoint[], withInputs: boolean) {
  return {
    info: runInfoJson(run, userName),
    data: {
      ...listField('metrics', metrics.filter((m) => m.runId === run.id).map(metricJson)),
      ...listField('params', keyValues(run.params)),
      ...listField('tags', runTags(run)),
    },
    ...(withInputs && { inputs: inputsJson(run) }),
  };
}

/** A version's source: as given to MLflow, or where our own API's version came from. */
export const sourceOf = (v: RegistryVersionRecord): string => v.source ?? `runs:/${v.runId}/model`;

export function versionJson(modelName: string, v: RegistryVersionRecord, aliases: string[] | undefined) {
  return {
    name: modelName,
    version: String(v.version),
    creation_timestamp: ms(v.createdAt),
    last_updated_timestamp: ms(v.updatedAt),
    current_stage: 'None',
    description: v.description,
    source: sourceOf(v),
    run_id: v.runId,
    status: 'READY',
    ...listField('tags', keyValues(v.tags)),
    run_link: '',
    ...(aliases !== undefined && listField('aliases', aliases)),
  };
}

/** Aliases pointing at one version, by name. */
export const aliasesOf = (m: RegisteredModelRecord, version: number): string[] =>
  Object.entries(m.aliases)
    .filter(([, v]) => v === version)
    .map(([alias]) => alias)
    .sort();

export function registeredModelJson(m: RegisteredModelRecord, latest: RegistryVersionRecord | undefined) {
  return {
    name: m.name,
    creation_timestamp: ms(m.createdAt),
    last_updated_timestamp: ms(m.updatedAt),
    ...(m.description !== '' && { description: m.description }),
    ...listField('latest_versions', latest === undefined ? [] : [versionJson(m.name, latest, undefined)]),
    ...listField('tags', keyValues(m.tags)),
    ...listField(
      'aliases',
      Object.entries(m.aliases)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([alias, version]) => ({ alias, version: String(version) })),
    ),
  };
}
