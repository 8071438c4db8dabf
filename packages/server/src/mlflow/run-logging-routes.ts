// MLflow run logging: log-metric, log-parameter, log-batch, set-tag, delete-tag, log-inputs; and metric history.

import type { RunData, StoredMetricPoint } from '../store/metadata-store.js';
import { ParamConflictError } from '../store/metadata-store.js';
import { getActiveRun, getRun, type MlflowContext } from './mlflow-context.js';
import { doesNotExist, invalidParameter, paramConflictMessage } from './mlflow-error.js';
import { INPUT_TAG_PREFIX, listField, metricJson } from './mlflow-json.js';
import type { MlflowRoutes } from './mlflow-route.js';
import { decodePageToken, encodePageToken } from './page-token.js';
import {
  keyValueList,
  objectList,
  optionalInteger,
  optionalString,
  requiredDouble,
  requiredInteger,
  requiredString,
  runIdOf,
  type Fields,
} from './request-fields.js';
import { checkBatchLimits, checkDuplicateParams, checkMetric, checkParam, checkTag } from './log-validation.js';

const HISTORY_MAX_RESULTS = 25_000;

function metricOf(f: Fields, path: string): StoredMetricPoint {
  return {
    key: requiredString(f, 'key'),
    value: requiredDouble(f, 'value', `${path}value`),
    timestamp: requiredInteger(f, 'timestamp', `${path}timestamp`),
    step: optionalInteger(f, 'step', `${path}step`) ?? 0,
  };
}

/** Writes to the run, keeping its name in step with the `mlflow.runName` tag, and MLflow's text for a changed param. */
async function log(ctx: MlflowContext, runId: string, data: RunData): Promise<void> {
  const { store } = ctx.services;
  try {
    await store.logRunData(runId, data);
  } catch (error) {
    if (error instanceof ParamConflictError) throw invalidParameter(paramConflictMessage(error, runId));
    throw error;
  }
  const name = data.tags?.filter((t) => t.key === 'mlflow.runName').pop();
  if (name !== undefined) await store.updateRun(runId, { name: name.value });
}

export function runLoggingRoutes(routes: MlflowRoutes): void {
  routes.add('POST', '/runs/log-metric', 'editor', async (ctx, f) => {
    const runId = runIdOf(f);
    const metric = metricOf(f, '');
    checkMetric(metric, '');
    const run = await getActiveRun(ctx, runId);
    await log(ctx, run.id, { metrics: [metric] });
    return {};
  });

  routes.add('POST', '/runs/log-parameter', 'editor', async (ctx, f) => {
    const runId = runIdOf(f);
    const param = { key: requiredString(f, 'key'), value: optionalString(f, 'value') ?? '' };
    checkParam(param, '');
    const run = await getActiveRun(ctx, runId);
    await log(ctx, run.id, { params: [param] });
    return {};
  });

  routes.add('POST', '/runs/set-tag', 'editor', async (ctx, f) => {
    const runId = runIdOf(f);
    const tag = { key: requiredString(f, 'key'), value: optionalString(f, 'value') ?? '' };
    checkTag(tag, '');
    const run = await getActiveRun(ctx, runId);
    await log(ctx, run.id, { tags: [tag] });
    return {};
  });

  routes.add('POST', '/runs/delete-tag', 'editor', async (ctx, f) => {
    const run = await getActiveRun(ctx, runIdOf(f));
    const key = requiredString(f, 'key');
    if (!(await ctx.services.store.deleteRunTag(run.id, key))) {
      throw doesNotExist(`No tag with name: ${key} in run with id ${run.id}`);
    }
    return {};
  });

  routes.add('POST', '/runs/log-batch', 'editor', async (ctx, f) => {
    const runId = runIdOf(f);
    const rawMetrics = objectList(f, 'metrics');
    const params = keyValueList(f, 'params');
    const tags = keyValueList(f, 'tags');
    checkBatchLimits(rawMetrics.length, params.length, tags.length);
    checkDuplicateParams(params);
    const metrics = rawMetrics.map((m, i) => metricOf(m, `metrics[${i}].`));
    metrics.forEach((m, i) => checkMetric(m, `metrics[${i}].`));
    params.forEach((p, i) => checkParam(p, `params[${i}].`));
    tags.forEach((t, i) => checkTag(t, `tags[${i}].`));
    const run = await getActiveRun(ctx, runId);
    await log(ctx, run.id, { metrics, params, tags });
    return {};
  });

  /**
   * Inputs that name one of the project's datasets, with a digest that is a unique prefix of one of its versions, are
   * also recorded as the run's inputs, so lineage links the run to that version.
   */
  async function linkCatalogInputs(
    ctx: MlflowContext,
    runId: string,
    inputs: Record<string, unknown>[],
  ): Promise<void> {
    const { store } = ctx.services;
    const linked = [];
    for (const input of inputs) {
      const dataset = input.dataset as { name?: unknown; digest?: unknown } | undefined;
      if (typeof dataset?.name !== 'string' || typeof dataset.digest !== 'string') continue;
      const ours = await store.getDatasetByName(ctx.project.id, dataset.name);
      const digest = dataset.digest.toLowerCase();
      if (!ours || !/^[0-9a-f]{4,64}$/.test(digest)) continue;
      const versions = await store.findDatasetVersions(ours.id, digest);
      if (versions.length !== 1) continue;
      const tags = Array.isArray(input.tags) ? (input.tags as { key?: unknown; value?: unknown }[]) : [];
      const context = tags.find((t) => t.key === 'mlflow.data.context')?.value;
      linked.push({
        datasetId: ours.id,
        version: versions[0]!.version,
        context: typeof context === 'string' ? context : '',
      });
    }
    await store.addRunInputs(runId, linked);
  }

  routes.add('POST', '/runs/log-inputs', 'editor', async (ctx, f) => {
    const run = await getActiveRun(ctx, runIdOf(f));
    const inputs = objectList(f, 'datasets').map((input, i) => {
      const [dataset] = objectList({ d: input.dataset === undefined ? undefined : [input.dataset] }, 'd');
      if (dataset === undefined)
        throw invalidParameter(`Missing value for required parameter 'datasets[${i}].dataset'.`);
      const name = requiredString(dataset, 'name');
      const digest = requiredString(dataset, 'digest');
      const json = {
        tags: keyValueList(input, 'tags'),
        dataset: {
          name,
          digest,
          source_type: requiredString(dataset, 'source_type'),
          source: requiredString(dataset, 'source'),
          ...(optionalString(dataset, 'schema') !== undefined && { schema: optionalString(dataset, 'schema') }),
          ...(optionalString(dataset, 'profile') !== undefined && { profile: optionalString(dataset, 'profile') }),
        },
      };
      // One tag per (name, digest): logging the same input again replaces it, as MLflow keeps inputs unique.
      return { key: `${INPUT_TAG_PREFIX}${digest}.${name}`, value: JSON.stringify(json) };
    });
    if (inputs.length > 0) await ctx.services.store.logRunData(run.id, { tags: inputs });
    await linkCatalogInputs(ctx, run.id, objectList(f, 'datasets'));
    return {};
  });

  routes.add('GET', '/metrics/get-history', 'viewer', async (ctx, f) => {
    const run = await getRun(ctx, runIdOf(f));
    const key = requiredString(f, 'metric_key');
    const limit = Math.min(optionalInteger(f, 'max_results') ?? HISTORY_MAX_RESULTS, HISTORY_MAX_RESULTS);
    if (limit < 1) throw invalidParameter(`Invalid value ${limit} for parameter 'max_results' supplied.`);
    const afterId = decodePageToken(optionalString(f, 'page_token'), 'after');
    const page = await ctx.services.store.metricHistory(run.id, key, { limit, ...(afterId > 0 && { afterId }) });
    // A full page may have more after it; the token continues after the last point read.
    const next =
      page.points.length === limit && page.lastId !== null ? encodePageToken({ after: page.lastId }) : undefined;
    return {
      ...listField('metrics', page.points.map(metricJson)),
      ...(next !== undefined && { next_page_token: next }),
    };
  });
}
