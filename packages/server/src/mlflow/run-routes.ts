// MLflow runs: create, get, update, delete, restore, search.

import { NOT_TRAINED, type RunRecord } from '../store/metadata-store.js';
import { newId } from '../store/ids.js';
import { parseOrderBy, parseRunFilter } from '../tracking/run-filter.js';
import { findExperiment, getExperiment, getRun, userNameOf, type MlflowContext } from './mlflow-context.js';
import { invalidParameter } from './mlflow-error.js';
import { listField, runInfoJson, runJson, statusFromMlflow } from './mlflow-json.js';
import type { MlflowRoutes } from './mlflow-route.js';
import { decodePageToken, encodePageToken } from './page-token.js';
import { keyValueList, maxResults, optionalInteger, optionalString, runIdOf, stringList } from './request-fields.js';
import { checkTag } from './log-validation.js';
import { generateRunName } from './run-names.js';
import { viewStage } from './experiment-routes.js';

const SEARCH_MAX_RESULTS = 50_000;

/** Runs as MLflow shows them, with each metric's latest point read for all of them at once. */
export async function runsJson(ctx: MlflowContext, runs: RunRecord[], withInputs: boolean) {
  const metrics = await ctx.services.store.latestMetricPoints(runs.map((r) => r.id));
  const out = [];
  for (const run of runs) out.push(runJson(run, await userNameOf(ctx, run.createdBy), metrics, withInputs));
  return out;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function runRoutes(routes: MlflowRoutes): void {
  routes.add('POST', '/runs/create', 'editor', async (ctx, f) => {
    const experiment = await getExperiment(ctx, optionalString(f, 'experiment_id') ?? '0');
    if (experiment.lifecycleStage !== 'active') {
      throw invalidParameter(
        `The experiment ${experiment.id} must be in the 'active' state. Current state is ${experiment.lifecycleStage}.`,
      );
    }
    const tags = keyValueList(f, 'tags');
    tags.forEach((t, i) => checkTag(t, `tags[${i}].`));
    const tagMap = Object.fromEntries(tags.map((t) => [t.key, t.value]));
    const name = optionalString(f, 'run_name') ?? tagMap['mlflow.runName'] ?? generateRunName();
    tagMap['mlflow.runName'] = name;
    const parentId = tagMap['mlflow.parentRunId'];
    const parent = parentId === undefined ? undefined : await ctx.services.store.getRun(parentId);
    const startTime = optionalInteger(f, 'start_time') ?? Date.now();
    const run = await ctx.services.store.createRun(
      {
        id: newId('run'),
        projectId: ctx.project.id,
        experimentId: experiment.id,
        parentRunId: parent?.projectId === ctx.project.id ? parent.id : null,
        name,
        kind: 'tracked',
        status: 'running',
        startedAt: iso(startTime),
        ...NOT_TRAINED,
        tags: tagMap,
        createdBy: ctx.user.id,
      },
      { actor: ctx.user.id, action: 'run.create' },
    );
    const [json] = await runsJson(ctx, [run], false);
    return { run: json };
  });

  routes.add('GET', '/runs/get', 'viewer', async (ctx, f) => {
    const run = await getRun(ctx, runIdOf(f));
    const [json] = await runsJson(ctx, [run], true);
    return { run: json };
  });

  routes.add('POST', '/runs/update', 'editor', async (ctx, f) => {
    const run = await getRun(ctx, runIdOf(f));
    const { store } = ctx.services;
    // MLflow ignores a status it does not know (the recorded server answered 200 and kept the old one).
    const statusText = optionalString(f, 'status');
    const status = statusText === undefined ? undefined : statusFromMlflow(statusText);
    const endTime = optionalInteger(f, 'end_time');
    const name = optionalString(f, 'run_name');
    const startedMs = Date.parse(run.startedAt ?? run.createdAt);
    await store.updateRun(run.id, {
      ...(status !== undefined && { status }),
      ...(endTime !== undefined && { finishedAt: iso(endTime), durationMs: Math.max(0, endTime - startedMs) }),
      ...(name !== undefined && { name }),
    });
    if (name !== undefined) await store.logRunData(run.id, { tags: [{ key: 'mlflow.runName', value: name }] });
    const updated = await getRun(ctx, run.id);
    return { run_info: runInfoJson(updated, await userNameOf(ctx, updated.createdBy)) };
  });

  for (const [path, stage] of [
    ['/runs/delete', 'deleted'],
    ['/runs/restore', 'active'],
  ] as const) {
    routes.add('POST', path, 'editor', async (ctx, f) => {
      const run = await getRun(ctx, runIdOf(f));
      await ctx.services.store.updateRun(run.id, { lifecycleStage: stage });
      return {};
    });
  }

  routes.add('POST', '/runs/search', 'viewer', async (ctx, f) => {
    const limit = maxResults(f, 1000, SEARCH_MAX_RESULTS);
    const offset = decodePageToken(optionalString(f, 'page_token'), 'offset');
    const stage = viewStage(optionalString(f, 'run_view_type'));
    const filter = parseRunFilter(optionalString(f, 'filter'));
    const orderBy = parseOrderBy(stringList(f, 'order_by'));
    const experimentIds: string[] = [];
    for (const id of stringList(f, 'experiment_ids')) {
      // MLflow answers unknown experiments with no runs rather than an error.
      const experiment = await findExperiment(ctx, id);
      if (experiment) experimentIds.push(experiment.id);
    }
    const { runs, more } = await ctx.services.store.findRuns({ experimentIds, filter, orderBy, stage, limit, offset });
    return {
      ...listField('runs', await runsJson(ctx, runs, true)),
      ...(more && { next_page_token: encodePageToken({ offset: offset + limit }) }),
    };
  });
}
