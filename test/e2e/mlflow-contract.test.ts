// Replays the recorded MLflow 2.17 client flow (and the recorded error cases) against our MLflow-compatible API:
// ids, names and times differ; status codes, response shapes, enum values, error codes and semantics must not.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const CONTRACTS = new URL('../../../shared/contracts/', import.meta.url);

interface Recorded {
  method: string;
  path: string;
  query: Record<string, string> | null;
  req: unknown;
  status: number;
  resp: unknown;
}

const flow: Recorded[] = readFileSync(new URL('mlflow-2.17-flow.jsonl', CONTRACTS), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Recorded);

/** Keys whose values are enums or codes: equal, not just the same type. */
const EXACT_KEYS = new Set(['status', 'lifecycle_stage', 'current_stage', 'error_code', 'is_dir', 'key']);

/** Same keys recursively, same JSON types, equal enum values; lists of the same length, compared item by item. */
function compareShape(expected: unknown, actual: unknown, path: string, problems: string[]): void {
  const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  // NaN and the infinities travel as strings where a number would be; both are MLflow's double.
  const numberish = (v: unknown) => typeof v === 'number' || v === 'NaN' || v === 'Infinity' || v === '-Infinity';
  if (numberish(expected) && numberish(actual)) return;
  if (kind(expected) !== kind(actual)) {
    problems.push(`${path}: expected ${kind(expected)}, got ${kind(actual)} (${JSON.stringify(actual)})`);
    return;
  }
  if (Array.isArray(expected)) {
    const got = actual as unknown[];
    if (expected.length !== got.length) problems.push(`${path}: expected ${expected.length} items, got ${got.length}`);
    const byKey = (items: unknown[]) =>
      [...items].sort((a, b) => {
        const ka = JSON.stringify((a as { key?: string; path?: string }).key ?? (a as { path?: string }).path ?? '');
        const kb = JSON.stringify((b as { key?: string; path?: string }).key ?? (b as { path?: string }).path ?? '');
        return ka < kb ? -1 : ka > kb ? 1 : 0;
      });
    const e = byKey(expected);
    const a = byKey(got);
    for (let i = 0; i < Math.min(e.length, a.length); i++) compareShape(e[i], a[i], `${path}[${i}]`, problems);
    return;
  }
  if (kind(expected) === 'object') {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const ek = Object.keys(e).sort();
    const ak = Object.keys(a).sort();
    if (JSON.stringify(ek) !== JSON.stringify(ak)) problems.push(`${path}: keys ${ak.join(',')} != ${ek.join(',')}`);
    for (const key of ek) {
      if (!(key in a)) continue;
      if (EXACT_KEYS.has(key) && typeof e[key] !== 'object' && e[key] !== a[key]) {
        problems.push(`${path}.${key}: expected ${JSON.stringify(e[key])}, got ${JSON.stringify(a[key])}`);
      }
      compareShape(e[key], a[key], `${path}.${key}`, problems);
    }
  }
}

let server: TestServer;

async function call(
  method: string,
  path: string,
  opts: { query?: Record<string, string> | null; body?: unknown; raw?: string; contentType?: string } = {},
): Promise<{ status: number; json: unknown; text: string }> {
  const url = new URL(server.url + path);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { authorization: `Bearer ${server.token}` };
  let body: string | undefined;
  if (opts.raw !== undefined) {
    body = opts.raw;
    headers['content-type'] = opts.contentType ?? 'text/plain';
  } else if (opts.body !== undefined && opts.body !== null) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(url, { method, headers, ...(body !== undefined && { body }) });
  const text = await response.text();
  let json: unknown = text;
  try {
    json = JSON.parse(text);
  } catch {
    // Artifact downloads are raw bytes.
  }
  return { status: response.status, json, text };
}

beforeAll(async () => {
  server = await startTestServer({ demo: false });
});

afterAll(async () => {
  await server.close();
});

describe('MLflow 2.17 recorded flow', () => {
  it('replays every request with the same status codes, shapes and semantics', async () => {
    const suffix = Math.random().toString(16).slice(2, 10);
    /** Recorded run ids → ours. */
    const ids = new Map<string, string>();
    /** The recorded experiment id (a short number, replaced only where a whole id stands) → ours. */
    let experiment: { recorded: string; ours: string } | undefined;
    const recordedSuffix = '8108d7ed';
    /** Recorded ids and names → ours, in every string of a request. */
    const substitute = (value: unknown): unknown => {
      if (typeof value === 'string') {
        let s = value.replaceAll(recordedSuffix, suffix);
        for (const [from, to] of ids) s = s.replaceAll(from, to);
        if (experiment !== undefined) {
          if (s === experiment.recorded) return experiment.ours;
          s = s.replace(new RegExp(`(^|/|:)${experiment.recorded}/`), `$1${experiment.ours}/`);
        }
        return s;
      }
      if (Array.isArray(value)) return value.map(substitute);
      if (value !== null && typeof value === 'object') {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v)]));
      }
      return value;
    };
    const problems: string[] = [];
    for (const [index, step] of flow.entries()) {
      const label = `#${index} ${step.method} ${step.path}`;
      const path = substitute(step.path) as string;
      const query = substitute(step.query) as Record<string, string> | null;
      const bytes = typeof step.req === 'string' ? /^<(\d+) bytes/.exec(step.req) : null;
      const payload = bytes ? 'x'.repeat(Number(bytes[1]) - 1) + '\n' : undefined;
      const got = await call(step.method, path, {
        query,
        ...(payload !== undefined ? { raw: payload } : { body: substitute(step.req) }),
      });
      if (got.status !== step.status) problems.push(`${label}: status ${got.status} != ${step.status}: ${got.text}`);
      if (typeof step.resp === 'string' && step.resp.startsWith('<')) {
        const size = /^<(\d+) bytes/.exec(step.resp);
        if (size && got.text.length !== Number(size[1])) problems.push(`${label}: body of ${got.text.length} bytes`);
      } else {
        compareShape(step.resp, got.json, label, problems);
      }
      // Learn our ids from the answers that create them.
      const json = got.json as Record<string, Record<string, Record<string, string>>>;
      if (step.path.endsWith('/experiments/create')) {
        experiment = {
          recorded: (step.resp as { experiment_id: string }).experiment_id,
          ours: json.experiment_id as unknown as string,
        };
      }
      if (step.path.endsWith('/runs/create')) {
        const recordedRun = (step.resp as typeof json).run!.info!.run_uuid!;
        ids.set(recordedRun, json.run!.info!.run_uuid!);
      }
    }
    expect(problems).toEqual([]);
  });

  it('keeps the semantics: history, search, aliases and artifacts answer what was logged', async () => {
    const exp = (await call('POST', '/api/2.0/mlflow/experiments/create', { body: { name: `sem-${Date.now()}` } }))
      .json as { experiment_id: string };
    const created = (
      await call('POST', '/api/2.0/mlflow/runs/create', {
        body: { experiment_id: exp.experiment_id, run_name: 'sem', start_time: 1000 },
      })
    ).json as { run: { info: { run_id: string; artifact_uri: string } } };
    const runId = created.run.info.run_id;
    expect(created.run.info.artifact_uri).toBe(`mlflow-artifacts:/${exp.experiment_id}/${runId}/artifacts`);
    for (const [step, value] of [1, 0.5, 0.25].entries()) {
      await call('POST', '/api/2.0/mlflow/runs/log-metric', {
        body: { run_id: runId, key: 'loss', value, timestamp: 2000 + step, step },
      });
    }
    await call('POST', '/api/2.0/mlflow/runs/log-batch', {
      body: {
        run_id: runId,
        params: [{ key: 'opt', value: 'adam' }],
        metrics: [{ key: 'acc', value: 0.9, timestamp: 5, step: 1 }],
      },
    });
    const history = (
      await call('GET', '/api/2.0/mlflow/metrics/get-history', { query: { run_id: runId, metric_key: 'loss' } })
    ).json as { metrics: { value: number; step: number; timestamp: number }[] };
    expect(history.metrics.map((m) => [m.value, m.step, m.timestamp])).toEqual([
      [1, 0, 2000],
      [0.5, 1, 2001],
      [0.25, 2, 2002],
    ]);
    const paged = (
      await call('GET', '/api/2.0/mlflow/metrics/get-history', {
        query: { run_id: runId, metric_key: 'loss', max_results: '2' },
      })
    ).json as { metrics: unknown[]; next_page_token: string };
    expect(paged.metrics).toHaveLength(2);
    const rest = (
      await call('GET', '/api/2.0/mlflow/metrics/get-history', {
        query: { run_id: runId, metric_key: 'loss', max_results: '2', page_token: paged.next_page_token },
      })
    ).json as { metrics: { value: number }[] };
    expect(rest.metrics.map((m) => m.value)).toEqual([0.25]);

    const search = (
      await call('POST', '/api/2.0/mlflow/runs/search', {
        body: { experiment_ids: [exp.experiment_id], filter: "params.opt = 'adam' and metrics.acc > 0.5" },
      })
    ).json as { runs: { info: { run_id: string } }[] };
    expect(search.runs.map((r) => r.info.run_id)).toEqual([runId]);
    const none = (
      await call('POST', '/api/2.0/mlflow/runs/search', {
        body: { experiment_ids: [exp.experiment_id], filter: 'metrics.acc > 0.95' },
      })
    ).json;
    expect(none).toEqual({});

    const model = `sem-model-${Date.now()}`;
    await call('POST', '/api/2.0/mlflow/registered-models/create', { body: { name: model } });
    await call('POST', '/api/2.0/mlflow/model-versions/create', {
      body: { name: model, source: `runs:/${runId}/model` },
    });
    await call('POST', '/api/2.0/mlflow/model-versions/create', {
      body: { name: model, source: `mlflow-artifacts:/${exp.experiment_id}/${runId}/artifacts/model` },
    });
    await call('POST', '/api/2.0/mlflow/registered-models/alias', {
      body: { name: model, alias: 'champion', version: '1' },
    });
    const byAlias = (
      await call('GET', '/api/2.0/mlflow/registered-models/alias', { query: { name: model, alias: 'champion' } })
    ).json as { model_version: { version: string; run_id: string; aliases: string[] } };
    expect(byAlias.model_version).toMatchObject({ version: '1', run_id: runId, aliases: ['champion'] });
    const latest = (
      await call('POST', '/api/2.0/mlflow/registered-models/get-latest-versions', { body: { name: model } })
    ).json as { model_versions: { version: string }[] };
    expect(latest.model_versions.map((v) => v.version)).toEqual(['2']);

    await call('PUT', `/api/2.0/mlflow-artifacts/artifacts/${exp.experiment_id}/${runId}/artifacts/a b/ünï côdé.txt`, {
      raw: 'spaces and unicode',
    });
    const listed = (await call('GET', '/api/2.0/mlflow/artifacts/list', { query: { run_id: runId, path: 'a b' } }))
      .json as { root_uri: string; files: { path: string; is_dir: boolean; file_size: number }[] };
    expect(listed.files).toEqual([{ path: 'a b/ünï côdé.txt', is_dir: false, file_size: 18 }]);
    const download = await call(
      'GET',
      `/api/2.0/mlflow-artifacts/artifacts/${exp.experiment_id}/${runId}/artifacts/${encodeURIComponent('a b')}/${encodeURIComponent('ünï côdé.txt')}`,
    );
    expect(download.text).toBe('spaces and unicode');
  });
});

/** The recorded error cases: name → status and body as the real server answered. */
const errorCases = new Map(
  readFileSync(new URL('mlflow-2.17-errors.txt', CONTRACTS), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const match = /^(.+?)\s{2,}(\d{3}) (.*)$/.exec(line)!;
      return [match[1]!.trim(), { status: Number(match[2]), body: match[3]! }] as const;
    }),
);

describe('MLflow 2.17 recorded error cases', () => {
  let expId = '';
  let runId = '';
  const model = `rm-${Date.now()}`;
  const probe = `probe-${Date.now()}`;
  const api = '/api/2.0/mlflow';

  /** Each case: the request, and the message's stable beginning (ids substituted) when the recording shows one. */
  const cases: [string, () => Promise<{ status: number; json: unknown }>, string?][] = [
    ['create experiment', async () => call('POST', `${api}/experiments/create`, { body: { name: probe } })],
    [
      'create experiment (duplicate)',
      async () => call('POST', `${api}/experiments/create`, { body: { name: probe } }),
      `Experiment(name=${probe}) already exists.`,
    ],
    [
      'create experiment (missing name)',
      async () => call('POST', `${api}/experiments/create`, { body: {} }),
      "Missing value for required parameter 'name'.",
    ],
    [
      'get experiment (unknown id)',
      async () => call('GET', `${api}/experiments/get`, { query: { experiment_id: '999999' } }),
      'No Experiment with id=999999 exists',
    ],
    [
      'get experiment (missing id)',
      async () => call('GET', `${api}/experiments/get`),
      "Missing value for required parameter 'experiment_id'.",
    ],
    ['create run', async () => call('POST', `${api}/runs/create`, { body: { experiment_id: expId, start_time: 1 } })],
    [
      'create run (unknown experiment)',
      async () => call('POST', `${api}/runs/create`, { body: { experiment_id: '999999' } }),
      'No Experiment with id=999999 exists',
    ],
    [
      'get run (unknown)',
      async () => call('GET', `${api}/runs/get`, { query: { run_id: '00000000000000000000000000000000' } }),
      'Run with id=00000000000000000000000000000000 not found',
    ],
    [
      'log-param',
      async () => call('POST', `${api}/runs/log-parameter`, { body: { run_id: runId, key: 'p', value: '1' } }),
    ],
    [
      'log-param (change value)',
      async () => call('POST', `${api}/runs/log-parameter`, { body: { run_id: runId, key: 'p', value: '2' } }),
      "Changing param values is not allowed. Param with key='p' was already logged with value='1' for run ID='",
    ],
    [
      'log-param (same value again)',
      async () => call('POST', `${api}/runs/log-parameter`, { body: { run_id: runId, key: 'p', value: '1' } }),
    ],
    [
      'log-param (bad key chars)',
      async () => call('POST', `${api}/runs/log-parameter`, { body: { run_id: runId, key: 'a$b', value: '1' } }),
      'Invalid value "a$b" for parameter \'key\' supplied: Names may only contain alphanumerics, underscores (_), dashe',
    ],
    [
      'log-param (value 6001 chars)',
      async () =>
        call('POST', `${api}/runs/log-parameter`, { body: { run_id: runId, key: 'l6', value: 'x'.repeat(6001) } }),
    ],
    [
      'log-param (value 8001 chars)',
      async () =>
        call('POST', `${api}/runs/log-parameter`, { body: { run_id: runId, key: 'l8', value: 'x'.repeat(8001) } }),
    ],
    [
      'log-metric (missing timestamp)',
      async () => call('POST', `${api}/runs/log-metric`, { body: { run_id: runId, key: 'm', value: 1 } }),
      "Missing value for required parameter 'timestamp'.",
    ],
    [
      'log-metric (NaN as string)',
      async () =>
        call('POST', `${api}/runs/log-metric`, { body: { run_id: runId, key: 'n', value: 'NaN', timestamp: 1 } }),
    ],
    [
      "log-metric (value as string '1.5')",
      async () =>
        call('POST', `${api}/runs/log-metric`, { body: { run_id: runId, key: 's', value: '1.5', timestamp: 1 } }),
    ],
    [
      'log-batch (1001 metrics)',
      async () =>
        call('POST', `${api}/runs/log-batch`, {
          body: {
            run_id: runId,
            metrics: Array.from({ length: 1001 }, (_, i) => ({ key: 'b', value: i, timestamp: 1, step: i })),
          },
        }),
      'A batch logging request can contain at most 1000 metrics. Got 1001 metrics. Please split up metrics across mul',
    ],
    [
      'log-batch (101 params)',
      async () =>
        call('POST', `${api}/runs/log-batch`, {
          body: { run_id: runId, params: Array.from({ length: 101 }, (_, i) => ({ key: `q${i}`, value: '1' })) },
        }),
      'A batch logging request can contain at most 100 params. Got 101 params. Please split up params across multiple',
    ],
    [
      'log-batch (101 tags)',
      async () =>
        call('POST', `${api}/runs/log-batch`, {
          body: { run_id: runId, tags: Array.from({ length: 101 }, (_, i) => ({ key: `t${i}`, value: '1' })) },
        }),
      'A batch logging request can contain at most 100 tags. Got 101 tags. Please split up tags across multiple reque',
    ],
    [
      'log-batch (dup param keys)',
      async () =>
        call('POST', `${api}/runs/log-batch`, {
          body: {
            run_id: runId,
            params: [
              { key: 'd', value: '1' },
              { key: 'd', value: '2' },
            ],
          },
        }),
      "Duplicate parameter keys have been submitted: ['d']. Please ensure the request contains only one param value p",
    ],
    [
      'log-batch (1000 metrics ok)',
      async () =>
        call('POST', `${api}/runs/log-batch`, {
          body: {
            run_id: runId,
            metrics: Array.from({ length: 1000 }, (_, i) => ({ key: 'b', value: i, timestamp: 1, step: i })),
          },
        }),
    ],
    [
      'search runs (OR)',
      async () =>
        call('POST', `${api}/runs/search`, {
          body: { experiment_ids: [expId], filter: 'metrics.b > 1 OR metrics.b < 0' },
        }),
      "Invalid clause(s) in filter string: 'OR'",
    ],
    [
      'search runs (bad order_by)',
      async () =>
        call('POST', `${api}/runs/search`, { body: { experiment_ids: [expId], order_by: ['metrics.b SIDEWAYS'] } }),
      "Invalid ordering key in order_by clause 'metrics.b SIDEWAYS'.",
    ],
    [
      'search runs (bad page_token)',
      async () => call('POST', `${api}/runs/search`, { body: { experiment_ids: [expId], page_token: '%%%' } }),
      'Invalid page token, could not base64-decode',
    ],
    [
      'search runs (max_results 50001)',
      async () => call('POST', `${api}/runs/search`, { body: { experiment_ids: [expId], max_results: 50001 } }),
      "Invalid value 50001 for parameter 'max_results' supplied:  Hint: Value was of type 'int'.",
    ],
    [
      'search runs page 1 (max 1)',
      async () => call('POST', `${api}/runs/search`, { body: { experiment_ids: [expId], max_results: 1 } }),
    ],
    [
      'metric history (missing key)',
      async () => call('GET', `${api}/metrics/get-history`, { query: { run_id: runId } }),
      "Missing value for required parameter 'metric_key'.",
    ],
    [
      'metric history b (max_results=2)',
      async () =>
        call('GET', `${api}/metrics/get-history`, { query: { run_id: runId, metric_key: 'b', max_results: '2' } }),
    ],
    [
      'run update (set RUNNING->FINISHED)',
      async () => call('POST', `${api}/runs/update`, { body: { run_id: runId, status: 'FINISHED', end_time: 2 } }),
    ],
    [
      'run update (bad status)',
      async () => call('POST', `${api}/runs/update`, { body: { run_id: runId, status: 'SIDEWAYS' } }),
    ],
    [
      'get registered model (unknown)',
      async () => call('GET', `${api}/registered-models/get`, { query: { name: `nope-${model}` } }),
      `Registered Model with name=nope-${model} not found`,
    ],
    ['create registered model', async () => call('POST', `${api}/registered-models/create`, { body: { name: model } })],
    [
      'create registered model (dup)',
      async () => call('POST', `${api}/registered-models/create`, { body: { name: model } }),
      `Registered Model (name=${model}) already exists.`,
    ],
    [
      'create model version (no source)',
      async () => call('POST', `${api}/model-versions/create`, { body: { name: model, run_id: runId } }),
      "Missing value for required parameter 'source'.",
    ],
    [
      'create model version',
      async () =>
        call('POST', `${api}/model-versions/create`, { body: { name: model, source: 's3://b/k', run_id: runId } }),
    ],
    [
      'set alias (unknown version)',
      async () => call('POST', `${api}/registered-models/alias`, { body: { name: model, alias: 'a', version: '9' } }),
      `Model Version (name=${model}, version=9) not found`,
    ],
    [
      'set alias (v1 reserved form)',
      async () => call('POST', `${api}/registered-models/alias`, { body: { name: model, alias: 'v1', version: '1' } }),
      "Version alias name 'v1' is reserved.",
    ],
    [
      'get alias (unknown)',
      async () => call('GET', `${api}/registered-models/alias`, { query: { name: model, alias: 'zzz' } }),
      'Registered model alias zzz not found.',
    ],
    ['unknown endpoint', async () => call('GET', `${api}/no/such/endpoint`)],
    ['wrong method (GET runs/create)', async () => call('GET', `${api}/runs/create`)],
    [
      'non-JSON body',
      async () =>
        call('POST', `${api}/experiments/create`, { raw: 'name=x', contentType: 'application/x-www-form-urlencoded' }),
      "Missing value for required parameter 'name'.",
    ],
  ];

  it('covers every recorded case', () => {
    expect(cases.map(([name]) => name).sort()).toEqual([...errorCases.keys()].sort());
  });

  it.each(cases)('%s', async (name, request, prefix) => {
    const recorded = errorCases.get(name)!;
    const got = await request();
    if (name === 'create experiment') expId = (got.json as { experiment_id: string }).experiment_id;
    if (name === 'create run') runId = (got.json as { run: { info: { run_id: string } } }).run.info.run_id;
    expect(got.status, JSON.stringify(got.json)).toBe(recorded.status);
    if (recorded.body.startsWith('{') && recorded.status >= 400) {
      const code = /"error_code": "([A-Z_]+)"/.exec(recorded.body)![1];
      expect(got.json).toMatchObject({ error_code: code });
    }
    if (recorded.status >= 400) expect(got.json).toHaveProperty('message');
    if (prefix !== undefined)
      expect(
        (got.json as { message: string }).message.startsWith(prefix),
        (got.json as { message: string }).message,
      ).toBe(true);
  });
});
