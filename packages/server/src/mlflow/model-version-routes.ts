// MLflow model versions onto our model versions: create, get, search, update, delete, tags.

import type { RegistryTextCondition } from '../store/metadata-store.js';
import { getRun, type MlflowContext } from './mlflow-context.js';
import { doesNotExist, invalidParameter, missingParameter } from './mlflow-error.js';
import { aliasesOf, listField, versionJson } from './mlflow-json.js';
import type { MlflowRoutes } from './mlflow-route.js';
import { decodePageToken, encodePageToken } from './page-token.js';
import { getRegisteredModel, getVersion } from './registry-lookup.js';
import { keyValueList, optionalInteger, optionalString, requiredString } from './request-fields.js';
import { checkKey, checkLength } from './log-validation.js';
import { parseSearchFilter } from './search-filter.js';

const VERSIONS_MAX_RESULTS = 200_000;
const MAX_TAG_VALUE = 5000;

const audit = (ctx: MlflowContext, action: string) => ({ actor: ctx.user.id, action, projectId: ctx.project.id });

/**
 * The run a version comes from: `run_id`, or the run its source names (`runs:/<id>/...`,
 * `mlflow-artifacts:/<experiment>/<id>/artifacts/...`). Our versions always belong to a run.
 */
function runIdFor(source: string, runId: string | undefined): string {
  if (runId !== undefined) return runId;
  const match =
    /^runs:\/([^/]+)/.exec(source) ??
    /^mlflow-artifacts:(?:\/\/[^/]*)?\/[^/]+\/([^/]+)\/artifacts(?:\/|$)/.exec(source);
  if (!match) {
    throw invalidParameter(
      `A model version needs the run it comes from: give 'run_id', or a source of the form runs:/<run id>/<path>. ` +
        `Got source '${source}'.`,
    );
  }
  return match[1]!;
}

export function modelVersionRoutes(routes: MlflowRoutes): void {
  routes.add('POST', '/model-versions/create', 'editor', async (ctx, f) => {
    const name = requiredString(f, 'name');
    const source = optionalString(f, 'source');
    if (source === undefined) throw missingParameter('source');
    const tags = keyValueList(f, 'tags');
    tags.forEach((t, i) => {
      checkKey(t.key, `tags[${i}].key`);
      checkLength(`tags[${i}].value`, t.value, MAX_TAG_VALUE);
    });
    const model = await getRegisteredModel(ctx, name);
    const run = await getRun(ctx, runIdFor(source, optionalString(f, 'run_id')));
    const version = await ctx.services.store.createRegistryVersion(
      {
        modelId: model.id,
        runId: run.id,
        source,
        description: optionalString(f, 'description') ?? '',
        tags: Object.fromEntries(tags.map((t) => [t.key, t.value])),
        createdBy: ctx.user.id,
      },
      audit(ctx, 'model.version'),
    );
    return { model_version: versionJson(model.name, version, undefined) };
  });

  routes.add('GET', '/model-versions/get', 'viewer', async (ctx, f) => {
    const { model, version } = await getVersion(ctx, f);
    return { model_version: versionJson(model.name, version, aliasesOf(model, version.version)) };
  });

  routes.add('PATCH', '/model-versions/update', 'editor', async (ctx, f) => {
    const { model, version } = await getVersion(ctx, f);
    const description = optionalString(f, 'description');
    if (description !== undefined) {
      await ctx.services.store.updateRegistryVersion(
        model.id,
        version.version,
        { description },
        audit(ctx, 'model.version.update'),
      );
    }
    const updated = (await ctx.services.store.getRegistryVersion(model.id, version.version))!;
    return { model_version: versionJson(model.name, updated, aliasesOf(model, version.version)) };
  });

  routes.add('DELETE', '/model-versions/delete', 'editor', async (ctx, f) => {
    const { model, version } = await getVersion(ctx, f);
    await ctx.services.store.deleteRegistryVersion(model.id, version.version, audit(ctx, 'model.version.delete'));
    return {};
  });

  routes.add('POST', '/model-versions/set-tag', 'editor', async (ctx, f) => {
    const { model, version } = await getVersion(ctx, f);
    const key = requiredString(f, 'key');
    const value = optionalString(f, 'value') ?? '';
    checkKey(key, 'key');
    checkLength('value', value, MAX_TAG_VALUE);
    await ctx.services.store.setRegistryVersionTag(
      model.id,
      version.version,
      key,
      value,
      audit(ctx, 'model.version.tag'),
    );
    return {};
  });

  routes.add('DELETE', '/model-versions/delete-tag', 'editor', async (ctx, f) => {
    const { model, version } = await getVersion(ctx, f);
    const key = requiredString(f, 'key');
    const removed = await ctx.services.store.setRegistryVersionTag(
      model.id,
      version.version,
      key,
      null,
      audit(ctx, 'model.version.untag'),
    );
    if (!removed) throw doesNotExist(`No tag with name: ${key} in model version ${model.name}/${version.version}`);
    return {};
  });

  routes.add(['GET', 'POST'], '/model-versions/search', 'viewer', async (ctx, f) => {
    const limit = optionalInteger(f, 'max_results') ?? 10_000;
    if (limit < 1 || limit > VERSIONS_MAX_RESULTS) {
      throw invalidParameter(
        `Invalid value for request parameter max_results. It must be at most ${VERSIONS_MAX_RESULTS}, but got value ${limit}`,
      );
    }
    const offset = decodePageToken(optionalString(f, 'page_token'), 'offset');
    const clauses = parseSearchFilter(optionalString(f, 'filter'), { name: 'text', run_id: 'text' }, true);
    const cond = (c: (typeof clauses)[number]) =>
      ({ comparator: c.comparator, value: c.value }) as RegistryTextCondition;
    const versions = await ctx.services.store.findRegistryVersions({
      projectId: ctx.project.id,
      name: clauses.filter((c) => c.entity === 'attribute' && c.key === 'name').map(cond),
      runId: clauses.filter((c) => c.entity === 'attribute' && c.key === 'run_id').map(cond),
      tags: clauses.filter((c) => c.entity === 'tag').map((c) => ({ ...cond(c), key: c.key })),
      limit: limit + 1,
      offset,
    });
    const names = new Map<string, string>();
    const page = [];
    for (const v of versions.slice(0, limit)) {
      let name = names.get(v.modelId);
      if (name === undefined) {
        name = (await ctx.services.store.getModel(v.modelId))?.name ?? '';
        names.set(v.modelId, name);
      }
      page.push(versionJson(name, v, undefined));
    }
    return {
      ...listField('model_versions', page),
      ...(versions.length > limit && { next_page_token: encodePageToken({ offset: offset + limit }) }),
    };
  });
}
