// Reads an MLflow request's fields: the query string for GET, the JSON body otherwise, typed as MLflow's protos are.

import type { FastifyRequest } from 'fastify';
import { invalidParameter, invalidValue, missingParameter } from './mlflow-error.js';

export type Fields = Record<string, unknown>;

export function fieldsOf(request: FastifyRequest): Fields {
  const query = (request.query ?? {}) as Fields;
  if (request.method === 'GET') return query;
  const body = request.body;
  // MLflow reads a body that is not a JSON object as an empty message (so "name" is then missing).
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return query;
  return { ...query, ...(body as Fields) };
}

/** A JSON body, leniently: bare NaN/Infinity (as some clients write them) become strings; not JSON at all is `{}`. */
export function parseLenientJson(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    try {
      return JSON.parse(text.replace(/([:[,]\s*)(-?Infinity|NaN)(?=\s*[,}\]])/g, '$1"$2"')) as unknown;
    } catch {
      return {};
    }
  }
}

const present = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

export function optionalString(f: Fields, name: string): string | undefined {
  const v = f[name];
  if (!present(v)) return undefined;
  if (Array.isArray(v)) return optionalString({ [name]: v[v.length - 1] }, name);
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw invalidValue(name, v, `Hint: Value was of type '${typeof v}'.`);
}

export function requiredString(f: Fields, name: string): string {
  const v = optionalString(f, name);
  if (v === undefined) throw missingParameter(name);
  return v;
}

/** `run_id`, or the older `run_uuid` the clients still send beside it. */
export function runIdOf(f: Fields): string {
  const id = optionalString(f, 'run_id') ?? optionalString(f, 'run_uuid');
  if (id === undefined) throw missingParameter('run_id');
  return id;
}

/** A whole number (int64 fields arrive as JSON numbers or strings). */
export function optionalInteger(f: Fields, name: string, path = name): number | undefined {
  const v = f[name];
  if (!present(v)) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n)) throw invalidValue(path, v, `Hint: Value was of type '${typeof v}'.`);
  return n;
}

export function requiredInteger(f: Fields, name: string, path = name): number {
  const n = optionalInteger(f, name, path);
  if (n === undefined) throw missingParameter(path);
  return n;
}

/** A double as protobuf's JSON reads it: a number, a numeric string, or "NaN" / "Infinity" / "-Infinity". */
export function requiredDouble(f: Fields, name: string, path = name): number {
  const v = f[name];
  if (v === undefined || v === null || v === '') throw missingParameter(path);
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const t = v.trim();
    if (t === 'NaN') return NaN;
    if (t === 'Infinity' || t === 'inf') return Infinity;
    if (t === '-Infinity' || t === '-inf') return -Infinity;
    if (t !== '' && Number.isFinite(Number(t))) return Number(t);
  }
  throw invalidValue(path, v, `Hint: Value was of type '${typeof v}'.`);
}

/** A repeated string field: a JSON array, or repeated query parameters. */
export function stringList(f: Fields, name: string): string[] {
  const v = f[name];
  if (!present(v)) return [];
  const items = Array.isArray(v) ? v : [v];
  return items.map((item) => {
    if (typeof item === 'string') return item;
    if (typeof item === 'number') return String(item);
    throw invalidValue(name, v);
  });
}

/** A repeated message field (a JSON array of objects). */
export function objectList(f: Fields, name: string): Fields[] {
  const v = f[name];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((item) => item === null || typeof item !== 'object' || Array.isArray(item))) {
    throw invalidValue(name, v, 'Hint: expected a list of objects.');
  }
  return v as Fields[];
}

/** `[{key, value}]` tag lists. */
export function keyValueList(f: Fields, name: string): { key: string; value: string }[] {
  return objectList(f, name).map((item) => ({
    key: requiredString(item, 'key'),
    value: optionalString(item, 'value') ?? '',
  }));
}

/** `max_results` within MLflow's bounds, with its text for a value out of them. */
export function maxResults(f: Fields, fallback: number, max: number): number {
  const n = optionalInteger(f, 'max_results') ?? fallback;
  if (n < 1 || n > max) {
    throw invalidParameter(
      `Invalid value ${n} for parameter 'max_results' supplied:  Hint: Value was of type 'int'. ` +
        'See the API docs for more information about request parameters.',
    );
  }
  return n;
}
