// MLflow registered models onto our models: create, get, search, update, rename, delete, tags, aliases, and the
// latest versions.

import { moveAlias, removeAlias } from '../registry/move-alias.js';
import type { RegistryTextCondition } from '../store/metadata-store.js';
import { isUniqueViolation } from '../store/store-support.js';
import type { MlflowContext } from './mlflow-context.js';
import { alreadyExists, doesNotExist, invalidParameter } from './mlflow-error.js';
import { aliasesOf, listField, registeredModelJson, versionJson } from './mlflow-json.js';
import type { MlflowRoutes } from './mlflow-route.js';
import { decodePageToken, encodePageToken } from './page-token.js';
import { getRegisteredModel, getVersion, latestVersion } from './registry-lookup.js';
import { keyValueList, optionalInteger, optionalString, requiredString, stringList } from './request-fields.js';
import { checkKey, checkLength } from './log-validation.js';
import { parseSearchFilter, parseSearchOrder } from './search-filter.js';

const MODELS_MAX_RESULTS = 1000;
const MAX_TAG_VALUE = 5000;

const audit = (ctx: MlflowContext, action: string) => ({ actor: ctx.user.id, action, projectId: ctx.project.id });

async function modelJson(ctx: MlflowContext, name: string) {
  const model = await getRegisteredModel(ctx, name);
  return registeredModelJson(model, await latestVersion(ctx, model));
}

function checkAlias(alias: string): void {
  if (alias === '' || alias.length > 255 || !/^[\w-]+$/.test(alias)) {
    throw invalidParameter(
      `Invalid alias name: '${alias}'. Names may only contain alphanumerics, underscores and dashes.`,
    );
  }
  if (/^v\d+$/i.test(alias)) throw invalidParameter(`Version alias name '${alias}' is reserved.`);
  if (alias.toLowerCase() === 'latest') throw invalidParameter("'latest' alias name (case insensitive) is reserved.");
}

export function registeredModelRoutes(routes: MlflowRoutes): void {
  routes.add('POST', '/registered-models/create', 'editor', async (ctx, f) => {
    const name = requiredString(f, 'name');
    const tags = keyValueList(f, 'tags');
    tags.forEach((t, i) => {
      checkKey(t.key, `tags[${i}].key`);
      checkLength(`tags[${i}].value`, t.value, MAX_TAG_VALUE);
    });
    try {
      const model = await ctx.services.store.createRegisteredModel(
        {
          projectId: ctx.project.id,
          name,
          description: optionalString(f, 'description') ?? '',
          tags: Object.fromEntries(tags.map((t) => [t.key, t.value])),
          createdBy: ctx.user.id,
        },
        audit(ctx, 'model.create'),
      );
      return { registered_model: registeredModelJson(model, undefined) };
    } catch (error) {
      if (isUniqueViolation(error)) throw alreadyExists(`Registered Model (name=${name}) already exists.`);
      throw error;
    }
  });

  routes.add('GET', '/registered-models/get', 'viewer', async (ctx, f) => ({
    registered_model: await modelJson(ctx, requiredString(f, 'name')),
  }));

  routes.add(['GET', 'POST'], '/registered-models/search', 'viewer', async (ctx, f) => {
    const limit = optionalInteger(f, 'max_results') ?? 100;
    if (limit < 1 || limit > MODELS_MAX_RESULTS) {
      throw invalidParameter(
        `Invalid value for request parameter max_results. It must be at most ${MODELS_MAX_RESULTS}, but got value ${limit}`,
      );
    }
    const offset = decodePageToken(optionalString(f, 'page_token'), 'offset');
    const clauses = parseSearchFilter(optionalString(f, 'filter'), { name: 'text' });
    const order = parseSearchOrder(stringList(f, 'order_by'), ['name', 'last_updated_timestamp', 'timestamp']);
    const cond = (c: (typeof clauses)[number]) =>
      ({ comparator: c.comparator, value: c.value }) as RegistryTextCondition;
    const models = await ctx.services.store.findRegisteredModels({
      projectId: ctx.project.id,
      name: clauses.filter((c) => c.entity === 'attribute').map(cond),
      tags: clauses.filter((c) => c.entity === 'tag').map((c) => ({ ...cond(c), key: c.key })),
      orderBy: order.map((o) => ({
        key: o.key === 'name' ? 'name' : 'last_updated_timestamp',
        ascending: o.ascending,
      })),
      limit: limit + 1,
      offset,
    });
    const page = [];
    for (const model of models.slice(0, limit)) page.push(registeredModelJson(model, await latestVersion(ctx, model)));
    return {
      ...listField('registered_models', page),
      ...(models.length > limit && { next_page_token: encodePageToken({ offset: offset + limit }) }),
    };
  });

  routes.add('PATCH', '/registered-models/update', 'editor', async (ctx, f) => {
    const model = await getRegisteredModel(ctx, requiredString(f, 'name'));
    const description = optionalString(f, 'description');
    if (description !== undefined) {
      await ctx.services.store.updateRegisteredModel(model.id, { description }, audit(ctx, 'model.update'));
    }
    return { registered_model: await modelJson(ctx, model.name) };
  });

  routes.add('POST', '/registered-models/rename', 'editor', async (ctx, f) => {
    const model = await getRegisteredModel(ctx, requiredString(f, 'name'));
    const newName = requiredString(f, 'new_name');
    try {
      await ctx.services.store.updateRegisteredModel(model.id, { name: newName }, audit(ctx, 'model.rename'));
    } catch (error) {
      if (isUniqueViolation(error)) throw alreadyExists(`Registered Model (name=${newName}) already exists.`);
      throw error;
    }
    return { registered_model: await modelJson(ctx, newName) };
  });

  routes.add('DELETE', '/registered-models/delete', 'editor', async (ctx, f) => {
    const model = await getRegisteredModel(ctx, requiredString(f, 'name'));
    await ctx.services.store.deleteRegisteredModel(model.id, audit(ctx, 'model.delete'));
    return {};
  });

  routes.add('POST', '/registered-models/set-tag', 'editor', async (ctx, f) => {
    const model = await getRegisteredModel(ctx, requiredString(f, 'name'));
    const key = requiredString(f, 'key');
    const value = optionalString(f, 'value') ?? '';
    checkKey(key, 'key');
    checkLength('value', value, MAX_TAG_VALUE);
    await ctx.services.store.setRegisteredModelTag(model.id, key, value, audit(ctx, 'model.tag'));
    return {};
  });

  routes.add('DELETE', '/registered-models/delete-tag', 'editor', async (ctx, f) => {
    const model = await getRegisteredModel(ctx, requiredString(f, 'name'));
    const key = requiredString(f, 'key');
    if (!(await ctx.services.store.setRegisteredModelTag(model.id, key, null, audit(ctx, 'model.untag')))) {
      throw doesNotExist(`No tag with name: ${key} in registered model ${model.name}`);
    }
    return {};
  });

  routes.add('POST', '/registered-models/alias', 'editor', async (ctx, f) => {
    const alias = requiredString(f, 'alias');
    checkAlias(alias);
    const { model, version } = await getVersion(ctx, f);
    await moveAlias(ctx.services, model, alias, version.version, audit(ctx, 'model.alias'));
    return {};
  });

  routes.add('DELETE', '/registered-models/alias', 'editor', async (ctx, f) => {
    const model = await getRegisteredModel(ctx, requiredString(f, 'name'));
    await removeAlias(ctx.services, model, requiredString(f, 'alias'), audit(ctx, 'model.unalias'));
    return {};
  });

  routes.add('GET', '/registered-models/alias', 'viewer', async (ctx, f) => {
    const model = await getRegisteredModel(ctx, requiredString(f, 'name'));
    const alias = requiredString(f, 'alias');
    const number = model.aliases[alias];
    const version = number === undefined ? undefined : await ctx.services.store.getRegistryVersion(model.id, number);
    if (!version) throw invalidParameter(`Registered model alias ${alias} not found.`);
    return { model_version: versionJson(model.name, version, aliasesOf(model, version.version)) };
  });

  routes.add(['GET', 'POST'], '/registered-models/get-latest-versions', 'viewer', async (ctx, f) => {
    const model = await getRegisteredModel(ctx, requiredString(f, 'name'));
    const stages = stringList(f, 'stages').map((s) => s.toLowerCase());
    // Every version is in MLflow's stage "None": the latest one is the answer unless other stages are asked for.
    const latest = stages.length === 0 || stages.includes('none') ? await latestVersion(ctx, model) : undefined;
    return listField('model_versions', latest === undefined ? [] : [versionJson(model.name, latest, undefined)]);
  });

  routes.add('GET', '/model-versions/get-download-uri', 'viewer', async (ctx, f) => {
    const { version } = await getVersion(ctx, f);
    return { artifact_uri: versionJson('', version, undefined).source };
  });
}
