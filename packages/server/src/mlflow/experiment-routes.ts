// MLflow experiments: create, get, get-by-name, search, update, delete, restore, set and delete tags.

import type { ExperimentRecord } from '../store/metadata-store.js';
import { isUniqueViolation } from '../store/store-support.js';
import { getExperiment, type MlflowContext } from './mlflow-context.js';
import { alreadyExists, doesNotExist, invalidParameter } from './mlflow-error.js';
import { experimentJson, listField, ms } from './mlflow-json.js';
import type { MlflowRoutes } from './mlflow-route.js';
import { decodePageToken, encodePageToken } from './page-token.js';
import { keyValueList, maxResults, optionalString, requiredString, stringList } from './request-fields.js';
import { checkKey, checkLength, MAX_TAG_VALUE_LENGTH } from './log-validation.js';
import { likeMatches, parseSearchFilter, parseSearchOrder, type SearchClause } from './search-filter.js';

const SEARCH_MAX_RESULTS = 50_000;
/** Experiments read per store call while searching (a project's experiments are filtered in memory). */
const READ_CHUNK = 1000;

/** Marks every run of the experiment deleted or active again, as MLflow does with its experiment. */
async function setRunsStage(ctx: MlflowContext, experimentId: string, stage: 'active' | 'deleted'): Promise<void> {
  const { store } = ctx.services;
  const from = stage === 'deleted' ? 'active' : 'deleted';
  for (;;) {
    const { runs } = await store.findRuns({
      experimentIds: [experimentId],
      filter: [],
      orderBy: [],
      stage: from,
      limit: READ_CHUNK,
      offset: 0,
    });
    for (const run of runs) await store.updateRun(run.id, { lifecycleStage: stage });
    if (runs.length < READ_CHUNK) return;
  }
}

function matches(e: ExperimentRecord, clause: SearchClause): boolean {
  const actual =
    clause.entity === 'tag'
      ? e.tags[clause.key]
      : clause.key === 'name'
        ? e.name
        : clause.key === 'creation_time'
          ? ms(e.createdAt)
          : ms(e.updatedAt);
  if (actual === undefined) return false;
  const v = clause.value;
  switch (clause.comparator) {
    case '=':
      return actual === v;
    case '!=':
      return actual !== v;
    case 'LIKE':
    case 'ILIKE':
      return likeMatches(String(actual), String(v), clause.comparator === 'ILIKE');
    case '<':
      return actual < v;
    case '<=':
      return actual <= v;
    case '>':
      return actual > v;
    case '>=':
      return actual >= v;
    default:
      return false;
  }
}

const VIEW_STAGE = { ACTIVE_ONLY: 'active', DELETED_ONLY: 'deleted', ALL: 'all' } as const;

export function viewStage(viewType: string | undefined): 'active' | 'deleted' | 'all' {
  if (viewType === undefined) return 'active';
  const stage = VIEW_STAGE[viewType.toUpperCase() as keyof typeof VIEW_STAGE] as
    'active' | 'deleted' | 'all' | undefined;
  if (stage === undefined) throw invalidParameter(`Invalid view type '${viewType}'.`);
  return stage;
}

export function experimentRoutes(routes: MlflowRoutes): void {
  routes.add('POST', '/experiments/create', 'editor', async (ctx, f) => {
    const name = requiredString(f, 'name');
    const tags = keyValueList(f, 'tags');
    tags.forEach((t, i) => {
      checkKey(t.key, `tags[${i}].key`);
      checkLength(`tags[${i}].value`, t.value, MAX_TAG_VALUE_LENGTH);
    });
    try {
      const e = await ctx.services.store.createExperiment(
        {
          projectId: ctx.project.id,
          name,
          description: '',
          tags: Object.fromEntries(tags.map((t) => [t.key, t.value])),
          createdBy: ctx.user.id,
        },
        { actor: ctx.user.id, action: 'experiment.create' },
      );
      return { experiment_id: e.id };
    } catch (error) {
      if (isUniqueViolation(error)) throw alreadyExists(`Experiment(name=${name}) already exists.`);
      throw error;
    }
  });

  routes.add('GET', '/experiments/get', 'viewer', async (ctx, f) => {
    const e = await getExperiment(ctx, requiredString(f, 'experiment_id'));
    return { experiment: experimentJson(e) };
  });

  routes.add('GET', '/experiments/get-by-name', 'viewer', async (ctx, f) => {
    const name = requiredString(f, 'experiment_name');
    const e =
      (await ctx.services.store.getExperimentByName(ctx.project.id, name)) ??
      (name === 'Default' ? await ctx.services.store.defaultExperiment(ctx.project.id, ctx.user.id) : undefined);
    if (!e) throw doesNotExist(`Could not find experiment with name '${name}'`);
    return { experiment: experimentJson(e) };
  });

  routes.add(['GET', 'POST'], '/experiments/search', 'viewer', async (ctx, f) => {
    const limit = maxResults(f, 1000, SEARCH_MAX_RESULTS);
    const offset = decodePageToken(optionalString(f, 'page_token'), 'offset');
    const stage = viewStage(optionalString(f, 'view_type'));
    const clauses = parseSearchFilter(optionalString(f, 'filter'), {
      name: 'text',
      creation_time: 'number',
      last_update_time: 'number',
    });
    const order = parseSearchOrder(stringList(f, 'order_by'), [
      'name',
      'experiment_id',
      'creation_time',
      'last_update_time',
    ]);
    // MLflow's fresh store has its Default experiment; so does every project here.
    await ctx.services.store.defaultExperiment(ctx.project.id, ctx.user.id);
    const all: ExperimentRecord[] = [];
    for (let from = 0; ; from += READ_CHUNK) {
      const chunk = await ctx.services.store.listExperiments([ctx.project.id], {
        stage,
        limit: READ_CHUNK,
        offset: from,
      });
      all.push(...chunk);
      if (chunk.length < READ_CHUNK) break;
    }
    const keys = [
      ...order,
      ...(order.some((o) => o.key === 'creation_time') ? [] : [{ key: 'creation_time', ascending: false }]),
      { key: 'experiment_id', ascending: true },
    ];
    const valueOf = (e: ExperimentRecord, key: string): string | number =>
      key === 'name'
        ? e.name
        : key === 'experiment_id'
          ? e.id
          : key === 'creation_time'
            ? ms(e.createdAt)
            : ms(e.updatedAt);
    const found = all
      .filter((e) => clauses.every((c) => matches(e, c)))
      .sort((a, b) => {
        for (const k of keys) {
          const x = valueOf(a, k.key);
          const y = valueOf(b, k.key);
          if (x !== y) return (x < y ? -1 : 1) * (k.ascending ? 1 : -1);
        }
        return 0;
      });
    const page = found.slice(offset, offset + limit);
    return {
      ...listField('experiments', page.map(experimentJson)),
      ...(offset + limit < found.length && { next_page_token: encodePageToken({ offset: offset + limit }) }),
    };
  });

  routes.add('POST', '/experiments/update', 'editor', async (ctx, f) => {
    const e = await getExperiment(ctx, requiredString(f, 'experiment_id'));
    const name = optionalString(f, 'new_name');
    if (name === undefined) return {};
    try {
      await ctx.services.store.updateExperiment(
        e.id,
        { name },
        { actor: ctx.user.id, action: 'experiment.update', projectId: e.projectId },
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw alreadyExists(`Experiment(name=${name}) already exists.`);
      throw error;
    }
    return {};
  });

  routes.add('POST', '/experiments/delete', 'editor', async (ctx, f) => {
    const e = await getExperiment(ctx, requiredString(f, 'experiment_id'));
    if (e.name === 'Default')
      throw invalidParameter("Cannot delete the default experiment '0'. This is an internally reserved experiment.");
    await ctx.services.store.updateExperiment(
      e.id,
      { lifecycleStage: 'deleted' },
      { actor: ctx.user.id, action: 'experiment.delete', projectId: e.projectId },
    );
    await setRunsStage(ctx, e.id, 'deleted');
    return {};
  });

  routes.add('POST', '/experiments/restore', 'editor', async (ctx, f) => {
    const e = await getExperiment(ctx, requiredString(f, 'experiment_id'));
    if (e.lifecycleStage !== 'deleted') {
      throw invalidParameter(`Cannot restore an active experiment. Experiment ${e.id} is active.`);
    }
    await ctx.services.store.updateExperiment(
      e.id,
      { lifecycleStage: 'active' },
      { actor: ctx.user.id, action: 'experiment.restore', projectId: e.projectId },
    );
    await setRunsStage(ctx, e.id, 'active');
    return {};
  });

  routes.add('POST', '/experiments/set-experiment-tag', 'editor', async (ctx, f) => {
    const e = await getExperiment(ctx, requiredString(f, 'experiment_id'));
    const key = requiredString(f, 'key');
    const value = optionalString(f, 'value') ?? '';
    checkKey(key, 'key');
    checkLength('value', value, MAX_TAG_VALUE_LENGTH);
    await ctx.services.store.setExperimentTag(e.id, key, value, {
      actor: ctx.user.id,
      action: 'experiment.tag',
      projectId: e.projectId,
    });
    return {};
  });

  routes.add(['POST', 'DELETE'], '/experiments/delete-experiment-tag', 'editor', async (ctx, f) => {
    const e = await getExperiment(ctx, requiredString(f, 'experiment_id'));
    const key = requiredString(f, 'key');
    if (!Object.hasOwn(e.tags, key)) throw doesNotExist(`No tag with name: ${key} in experiment with id ${e.id}`);
    await ctx.services.store.setExperimentTag(e.id, key, null, {
      actor: ctx.user.id,
      action: 'experiment.untag',
      projectId: e.projectId,
    });
    return {};
  });
}
