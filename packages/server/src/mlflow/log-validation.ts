// MLflow 2.17's checks on logged names and values, with its messages: key characters, path-like keys, lengths, and
// the batch limits.

import type { StoredMetricPoint } from '../store/metadata-store.js';
import { invalidParameter, invalidValue } from './mlflow-error.js';

export const MAX_METRICS_PER_BATCH = 1000;
export const MAX_PARAMS_TAGS_PER_BATCH = 100;
export const MAX_ENTITIES_PER_BATCH = 1000;
export const MAX_KEY_LENGTH = 250;
export const MAX_TAG_VALUE_LENGTH = 8000;
/** The recorded MLflow 2.17 server took an 8001-character param value; we keep a generous bound against abuse. */
export const MAX_PARAM_VALUE_LENGTH = 1_000_000;

const VALID_NAME = /^[/\w.\- ]*$/u;
const BAD_CHARACTERS =
  'Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).';

/** POSIX normpath, as Python's posixpath.normpath, for MLflow's "must not resolve to other names" rule. */
function normpath(path: string): string {
  if (path === '') return '.';
  const initial = path.startsWith('/') ? (path.startsWith('//') && !path.startsWith('///') ? 2 : 1) : 0;
  const parts: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part !== '..' || (initial === 0 && parts.length === 0) || parts[parts.length - 1] === '..') parts.push(part);
    else if (parts.length > 0) parts.pop();
  }
  const joined = '/'.repeat(initial) + parts.join('/');
  return joined === '' ? '.' : joined;
}

/** A metric, param or tag key: MLflow's characters, not path-like, at most 250 characters. */
export function checkKey(key: string, path: string): void {
  if (!VALID_NAME.test(key)) throw invalidValue(path, key, BAD_CHARACTERS);
  const resolved = normpath(key);
  if (resolved !== key || key.startsWith('/')) {
    throw invalidValue(
      path,
      key,
      'Names may be treated as files in certain cases, and must not resolve to other names when treated as such. ' +
        `This name would resolve to '${resolved}'`,
    );
  }
  checkLength(`${path}`, key, MAX_KEY_LENGTH);
}

export function checkLength(path: string, value: string, limit: number): void {
  if (value.length > limit) {
    throw invalidValue(
      path,
      value.length > 250 ? `${value.slice(0, 250)}...` : value,
      `Length of value ${value.length} exceeds the maximum of ${limit}.`,
    );
  }
}

export function checkParam(p: { key: string; value: string }, path: string): void {
  checkKey(p.key, `${path}key`);
  checkLength(`${path}value`, p.value, MAX_PARAM_VALUE_LENGTH);
}

export function checkTag(t: { key: string; value: string }, path: string): void {
  checkKey(t.key, `${path}key`);
  checkLength(`${path}value`, t.value, MAX_TAG_VALUE_LENGTH);
}

export function checkMetric(m: StoredMetricPoint, path: string): void {
  checkKey(m.key, `${path}key`);
}

/** MLflow's batch limits, in its order and words. */
export function checkBatchLimits(metrics: number, params: number, tags: number): void {
  const over = (count: number, limit: number, what: string) =>
    invalidParameter(
      `A batch logging request can contain at most ${limit} ${what}. Got ${count} ${what}. ` +
        `Please split up ${what} across multiple requests and try again.`,
    );
  if (metrics > MAX_METRICS_PER_BATCH) throw over(metrics, MAX_METRICS_PER_BATCH, 'metrics');
  if (params > MAX_PARAMS_TAGS_PER_BATCH) throw over(params, MAX_PARAMS_TAGS_PER_BATCH, 'params');
  if (tags > MAX_PARAMS_TAGS_PER_BATCH) throw over(tags, MAX_PARAMS_TAGS_PER_BATCH, 'tags');
  const total = metrics + params + tags;
  if (total > MAX_ENTITIES_PER_BATCH) {
    throw invalidParameter(
      `A batch logging request can contain at most ${MAX_ENTITIES_PER_BATCH} metrics, params, and tags in total. ` +
        `Got ${total} entities. Please split up entities across multiple requests and try again.`,
    );
  }
}

export function checkDuplicateParams(params: { key: string; value: string }[]): void {
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const p of params) (seen.has(p.key) ? duplicates : seen).add(p.key);
  if (duplicates.size > 0) {
    throw invalidParameter(
      `Duplicate parameter keys have been submitted: [${[...duplicates].map((k) => `'${k}'`).join(', ')}]. ` +
        'Please ensure the request contains only one param value per param key.',
    );
  }
}
