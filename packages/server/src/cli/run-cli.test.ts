import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Dataset, Endpoint, Model, ModelVersion, Project, Run } from '@modelyard/client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

// A tiny in-memory stand-in for the API over real HTTP: enough routes to drive every command end to end.
interface State {
  projects: Project[];
  datasets: (Dataset & { project: string })[];
  runs: (Run & { project: string; polls: number })[];
  models: (Model & { project: string })[];
  versions: ModelVersion[];
  endpoints: (Endpoint & { project: string })[];
  uploads: { name: string; filename: string; text: string }[];
}

const TOKEN = 'good-token';
let state: State;
let server: Server;
let url: string;
let dir: string;
let seq = 0;

const fail = (status: number, code: string, message: string) => ({ status, body: { error: { code, message } } });
const notFound = (type: string, id: string) => fail(404, `${type}_not_found`, `No ${type} '${id}'.`);
const now = '2026-11-25T01:00:00.000Z';

async function handle(req: IncomingMessage, raw: Buffer): Promise<{ status: number; body?: unknown }> {
  if (req.headers.authorization !== `Bearer ${TOKEN}`)
    return fail(401, 'unauthenticated', 'A valid token is required.');
  const u = new URL(req.url ?? '/', url);
  const p = decodeURIComponent(u.pathname.replace(/^\/api\/v1/, ''));
  const m = (re: RegExp) => re.exec(p);
  const json = (): Record<string, unknown> =>
    req.headers['content-type'] === 'application/json' ? (JSON.parse(raw.toString()) as Record<string, unknown>) : {};
  const page = <T>(items: T[]) => ({ status: 200, body: { items, nextCursor: null } });
  const project = (name: string) => state.projects.find((x) => x.name === name);
  let g: RegExpExecArray | null;

  if (req.method === 'GET' && p === '/me') {
    return {
      status: 200,
      body: { user: { id: 'usr_admin', name: 'admin', isAdmin: true, createdAt: now }, roles: {} },
    };
  }
  if (p === '/projects') {
    if (req.method === 'GET') return page(state.projects);
    const name = String(json().name);
    if (project(name)) return fail(409, 'project_exists', `Project '${name}' exists.`);
    const created: Project = { id: `prj_${++seq}`, name, description: '', createdAt: now, role: 'admin' };
    state.projects.push(created);
    return { status: 201, body: created };
  }
  if ((g = m(/^\/projects\/([^/]+)\/(datasets|runs|models|endpoints)$/))) {
    const [, name = '', kind] = g;
    if (!project(name)) return notFound('project', name);
    if (req.method === 'GET') {
      const lists = { datasets: state.datasets, runs: state.runs, models: state.models, endpoints: state.endpoints };
      return page((lists[kind as keyof typeof lists] as { project: string }[]).filter((x) => x.project === name));
    }
    if (kind === 'datasets') {
      let dsName: string;
      let source: string;
      if (req.headers['content-type']?.startsWith('multipart/')) {
        const form = await new Response(new Uint8Array(raw), {
          headers: { 'content-type': req.headers['content-type'] },
        }).formData();
        const file = form.get('file') as File;
        dsName = String(form.get('name'));
        source = `upload:${file.name}`;
        state.uploads.push({ name: dsName, filename: file.name, text: await file.text() });
      } else {
        const body = json();
        dsName = String(body.name);
        source = String(body.path);
      }
      const version = {
        version: 'abcdef0123456789',
        datasetId: '',
        rows: 2,
        bytes: 10,
        source,
        createdAt: now,
        createdBy: 'usr_admin',
        profile: {
          rows: 2,
          columns: [{ name: 'y', dbType: 'VARCHAR', type: 'string' as const, nulls: 0, distinct: 2 }],
        },
        pinned: false,
        tags: {},
      };
      const ds = {
        id: `ds_${++seq}`,
        projectId: 'prj',
        name: dsName,
        description: '',
        createdAt: now,
        project: name,
        tags: {},
        retention: null,
      };
      const full = { ...ds, latestVersion: { ...version, datasetId: ds.id } };
      state.datasets.push(full);
      return { status: 201, body: full };
    }
    if (kind === 'runs') {
      const body = json();
      const ds = state.datasets.find((d) => d.project === name && (d.name === body.dataset || d.id === body.dataset));
      if (!ds) return notFound('dataset', String(body.dataset));
      const run = {
        id: `run_${++seq}`,
        projectId: 'prj',
        name: String(body.name ?? 'run'),
        status: 'queued' as const,
        task: body.task as Run['task'],
        algorithm: 'glm',
        target: String(body.target),
        datasetId: ds.id,
        datasetVersion: String(body.version ?? 'abcdef0123456789'),
        params: (body.params ?? {}) as Run['params'],
        metrics: {},
        experimentId: 'exp_1',
        parentRunId: null,
        kind: 'training' as const,
        lifecycleStage: 'active' as const,
        tags: {},
        progress: 0,
        error: null,
        environment: null,
        createdAt: now,
        startedAt: null,
        finishedAt: null,
        durationMs: null,
        createdBy: 'usr_admin',
        project: name,
        polls: 0,
      };
      state.runs.unshift(run);
      return { status: 201, body: run };
    }
    if (kind === 'models') {
      const body = json();
      const model = {
        id: `mdl_${++seq}`,
        projectId: 'prj',
        name: String(body.name),
        description: '',
        createdAt: now,
        aliases: {},
        latestVersion: null,
        project: name,
      };
      state.models.push(model);
      return { status: 201, body: model };
    }
    const body = json();
    const [modelName, alias] = String(body.model).split('@');
    const model = state.models.find((x) => x.name === modelName && x.project === name);
    const version = model?.aliases[alias ?? ''];
    if (!model || version === undefined) return fail(422, 'model_reference_invalid', `Cannot resolve '${body.model}'.`);
    const ep = {
      id: `ep_${++seq}`,
      projectId: 'prj',
      name: String(body.name),
      model: String(body.model),
      modelVersion: version,
      canary: null,
      shadow: null,
      maxConcurrency: 256,
      loadError: null,
      createdAt: now,
      updatedAt: null,
      project: name,
    };
    state.endpoints.push(ep);
    return { status: 201, body: ep };
  }
  if ((g = m(/^\/datasets\/([^/]+)$/))) {
    return state.datasets.find((d) => d.id === g?.[1])
      ? { status: 200, body: state.datasets.find((d) => d.id === g?.[1]) }
      : notFound('dataset', g[1] ?? '');
  }
  if ((g = m(/^\/runs\/([^/]+)$/))) {
    const run = state.runs.find((r) => r.id === g?.[1]);
    if (!run) return notFound('run', g[1] ?? '');
    run.polls += 1;
    if (run.polls === 1 || run.target === 'stuck') Object.assign(run, { status: 'running', progress: 0.5 });
    else if (run.target === 'broken') {
      Object.assign(run, { status: 'failed', error: { code: 'target_not_found', message: "No column 'broken'." } });
    } else {
      Object.assign(run, {
        status: 'succeeded',
        progress: 1,
        durationMs: 1234,
        metrics: run.task === 'classification' ? { auc: 0.83123, accuracy: 0.8 } : { rmse: 1.5, r2: 0.9 },
      });
    }
    return { status: 200, body: run };
  }
  if ((g = m(/^\/models\/([^/]+)(\/versions|\/aliases\/([^/]+))?$/))) {
    const model = state.models.find((x) => x.id === g?.[1]);
    if (!model) return notFound('model', g[1] ?? '');
    if (g[2] === '/versions') {
      const run = state.runs.find((r) => r.id === json().run);
      if (!run) return notFound('run', String(json().run));
      const version: ModelVersion = {
        modelId: model.id,
        version: (model.latestVersion ?? 0) + 1,
        runId: run.id,
        source: 'run',
        description: '',
        tags: {},
        task: run.task,
        metrics: run.metrics,
        createdAt: now,
        createdBy: 'usr_admin',
      };
      model.latestVersion = version.version;
      state.versions.push(version);
      return { status: 201, body: version };
    }
    if (g[3]) model.aliases[g[3]] = Number(json().version);
    return { status: 200, body: model };
  }
  if ((g = m(/^\/endpoints\/([^/]+)(\/predict)?$/))) {
    const ep = state.endpoints.find((e) => e.id === g?.[1]);
    if (!ep) return notFound('endpoint', g[1] ?? '');
    if (!g[2]) return { status: 200, body: ep };
    const records = json().records as unknown[];
    return {
      status: 200,
      body: {
        predictions: records.map(() => ({ label: 'good', probabilities: { good: 0.75, bad: 0.25 } })),
        model: 'credit-glm',
        modelVersion: ep.modelVersion,
        requestId: 'req_1',
        latencyMs: 3,
      },
    };
  }
  return fail(404, 'route_not_found', `No route ${req.method} ${p}.`);
}

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handle(req, Buffer.concat(chunks)).then(({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(body === undefined ? '' : JSON.stringify(body));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), 'modelyard-cli-'));
  await writeFile(join(dir, 'tiny.csv'), 'y,x\na,1\nb,2\n');
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(dir, { recursive: true, force: true });
});

beforeEach(() => {
  state = { projects: [], datasets: [], runs: [], models: [], versions: [], endpoints: [], uploads: [] };
  state.projects.push({ id: 'prj_demo', name: 'demo', description: 'the demo', createdAt: now, role: 'admin' });
});

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(
  argv: string[],
  opts: { env?: Record<string, string>; stdin?: string; tty?: boolean } = {},
): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s), isTTY: opts.tty ?? false },
    env: { MODELYARD_CONFIG_DIR: join(dir, 'config'), MODELYARD_URL: url, MODELYARD_TOKEN: TOKEN, ...opts.env },
    cwd: dir,
    ...(opts.stdin !== undefined ? { stdin: Readable.from([opts.stdin]) } : {}),
  });
  return { code, stdout, stderr };
}

const parse = <T>(r: Result): T => JSON.parse(r.stdout) as T;

describe('login', () => {
  it('checks the token, saves it 0600, and later commands use it', async () => {
    const env = { MODELYARD_URL: '', MODELYARD_TOKEN: '', MODELYARD_CONFIG_DIR: join(dir, 'login') };
    const r = await cli(['login', '--url', `${url}/`, '--token', TOKEN], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Logged in to http:\/\/127\.0\.0\.1:\d+ as admin/);
    const file = join(dir, 'login', 'cli.json');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ url, token: TOKEN });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const list = await cli(['projects', 'list', '--json'], { env });
    expect(list.code).toBe(0);
    expect(parse<Project[]>(list).map((x) => x.name)).toEqual(['demo']);
  });

  it('refuses a bad token and saves nothing', async () => {
    const env = { MODELYARD_TOKEN: '', MODELYARD_CONFIG_DIR: join(dir, 'login-bad') };
    const r = await cli(['login', '--token', 'nope'], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: A valid token is required. (unauthenticated)\n');
    await expect(stat(join(dir, 'login-bad', 'cli.json'))).rejects.toThrow();
  });

  it('does not send the saved token to another server', async () => {
    const env = { MODELYARD_URL: '', MODELYARD_TOKEN: '', MODELYARD_CONFIG_DIR: join(dir, 'login-other') };
    expect((await cli(['login', '--url', url, '--token', TOKEN], { env })).code).toBe(0);
    const other = url.replace('127.0.0.1', 'localhost');
    const r = await cli(['projects', 'list', '--url', other], { env });
    expect(r.stderr).toContain('(unauthenticated)');
  });
});

describe('projects', () => {
  it('creates and lists projects as a table', async () => {
    const created = await cli(['projects', 'create', 'golden', '--json']);
    expect(created.code).toBe(0);
    expect(parse<Project>(created).name).toBe('golden');
    const list = await cli(['projects', 'list']);
    expect(list.stdout.split('\n')[0]).toMatch(/^NAME\s+ROLE\s+CREATED\s+DESCRIPTION$/);
    expect(list.stdout).toContain('golden  admin');
  });
});

describe('datasets', () => {
  it('uploads a local file as multipart, by default named after it', async () => {
    const r = await cli(['datasets', 'add', 'tiny.csv', '--json']);
    expect(r.code).toBe(0);
    expect(parse<Dataset>(r).name).toBe('tiny');
    expect(state.uploads).toEqual([{ name: 'tiny', filename: 'tiny.csv', text: 'y,x\na,1\nb,2\n' }]);
  });

  it('registers a server-side path with --server-path', async () => {
    const r = await cli(['datasets', 'add', '/srv/data/x.csv', '--name', 'x', '--server-path']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Dataset x \(ds_\d+\) version abcdef012345: 2 rows × 1 columns\.\n$/);
    expect(state.datasets[0]?.latestVersion?.source).toBe('/srv/data/x.csv');
    expect(state.uploads).toEqual([]);
  });

  it('lists and shows datasets by name or id', async () => {
    await cli(['datasets', 'add', 'tiny.csv', '--name', 'credit']);
    const id = state.datasets[0]?.id ?? '';
    expect((await cli(['datasets', 'list'])).stdout).toContain(`credit  ${id}  abcdef012345     2        1`);
    expect(parse<Dataset>(await cli(['datasets', 'show', 'credit', '--json'])).id).toBe(id);
    const shown = await cli(['datasets', 'show', id]);
    expect(shown.stdout).toContain('COLUMN  TYPE    DB TYPE');
  });

  it('fails with one line for an unknown dataset or a missing file', async () => {
    const r = await cli(['datasets', 'show', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("error: No dataset 'nope' in project 'demo'. (dataset_not_found)\n");
    const missing = await cli(['datasets', 'add', 'missing.csv']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: No file 'missing\.csv' .*\(file_not_found\)\n$/);
    const folder = await cli(['datasets', 'add', '.']);
    expect(folder.stderr).toBe("error: '.' is not a file. (not_a_file)\n");
  });

  it('uses --project, else $MODELYARD_PROJECT', async () => {
    expect((await cli(['datasets', 'list', '--project', 'other'])).stderr).toContain('(project_not_found)');
    const r = await cli(['datasets', 'list'], { env: { MODELYARD_PROJECT: 'elsewhere' } });
    expect(r.stderr).toBe("error: No project 'elsewhere'. (project_not_found)\n");
  });
});

describe('train', () => {
  beforeEach(async () => {
    await cli(['datasets', 'add', 'tiny.csv', '--name', 'credit']);
  });

  it('waits for the run and prints its metrics', async () => {
    const r = await cli([
      'train',
      '--dataset',
      'credit',
      '--target',
      'y',
      '--task',
      'classification',
      '--interval',
      '1',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^run run_\d+ succeeded in 1\.2s \(classification glm, target y, dataset ds_\d+@abcdef012345\)/,
    );
    expect(r.stdout).toContain('auc       0.8312');
    expect(r.stdout).toContain('accuracy  0.8000');
    expect(r.stderr).toMatch(/^run run_\d+ running…\n$/);
  });

  it('prints the final run as JSON and passes params', async () => {
    const r = await cli([
      'train',
      '--json',
      '--dataset',
      'credit',
      '--target',
      'y',
      '--task',
      'regression',
      '--param',
      'lambda=0.01',
      'seed=7',
      '--param',
      'solver=irls',
      '--interval',
      '1',
    ]);
    expect(r.code).toBe(0);
    const run = parse<Run>(r);
    expect(run.status).toBe('succeeded');
    expect(run.params).toEqual({ lambda: 0.01, seed: 7, solver: 'irls' });
    expect(run.metrics.rmse).toBe(1.5);
  });

  it('draws a progress bar when stderr is a terminal', async () => {
    const r = await cli(
      ['train', '--dataset', 'credit', '--target', 'y', '--task', 'classification', '--interval', '1'],
      { tty: true },
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('100%');
  });

  it('takes the dataset version as name@version or --dataset-version', async () => {
    const base = ['train', '--target', 'y', '--task', 'classification', '--no-wait', '--json'];
    expect(parse<Run>(await cli([...base, '--dataset', 'credit@abc123'])).datasetVersion).toBe('abc123');
    const long = await cli([...base, '--dataset', 'credit', '--dataset-version', 'def456']);
    expect(parse<Run>(long).datasetVersion).toBe('def456');
  });

  it('returns at once with --no-wait', async () => {
    const r = await cli(['train', '--dataset', 'credit', '--target', 'y', '--task', 'classification', '--no-wait']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^run run_\d+ queued; follow it with: modelyard runs show run_\d+\n$/);
    expect(state.runs[0]?.polls).toBe(0);
  });

  it('exits 1 with the run error when the run fails', async () => {
    const r = await cli([
      'train',
      '--json',
      '--dataset',
      'credit',
      '--target',
      'broken',
      '--task',
      'classification',
      '--interval',
      '1',
    ]);
    expect(r.code).toBe(1);
    expect(parse<Run>(r).status).toBe('failed');
    expect(r.stderr.trimEnd().split('\n').at(-1)).toBe("error: No column 'broken'. (target_not_found)");
  });

  it('gives up waiting after --timeout, and checks the value before starting a run', async () => {
    const args = ['train', '--dataset', 'credit', '--target', 'stuck', '--task', 'regression', '--interval', '5'];
    const stuck = await cli([...args, '--timeout', '0.05']);
    expect(stuck.code).toBe(1);
    expect(stuck.stderr.trimEnd().split('\n').at(-1)).toMatch(
      /^error: Run run_\d+ did not finish within 50 ms \(still running\)\. \(timeout\)$/,
    );
    const runs = state.runs.length;
    const bad = await cli([...args, '--timeout', 'soon']);
    expect(bad.stderr).toBe("error: --timeout takes a positive number of seconds, not 'soon'. (invalid_timeout)\n");
    expect(state.runs).toHaveLength(runs);
  });

  it('fails on an unknown dataset with one line', async () => {
    const r = await cli(['train', '--dataset', 'nope', '--target', 'y', '--task', 'classification']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("error: No dataset 'nope'. (dataset_not_found)\n");
  });

  it('leaves usage errors to commander with exit 2', async () => {
    const task = await cli(['train', '--dataset', 'credit', '--target', 'y', '--task', 'clustering']);
    expect(task.code).toBe(2);
    expect(task.stderr).toContain("argument 'clustering' is invalid");
    const missing = await cli(['train', '--dataset', 'credit', '--task', 'regression']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--target <column>' not specified");
    const param = await cli(['train', '--dataset', 'credit', '--target', 'y', '--task', 'regression', '--param', 'x']);
    expect(param.code).toBe(2);
  });
});

describe('runs, models, endpoints, predict', () => {
  async function trained(): Promise<string> {
    await cli(['datasets', 'add', 'tiny.csv', '--name', 'credit']);
    const r = await cli([
      'train',
      '--json',
      '--dataset',
      'credit',
      '--target',
      'y',
      '--task',
      'classification',
      '--interval',
      '1',
    ]);
    return parse<Run>(r).id;
  }

  it('lists and shows runs', async () => {
    const id = await trained();
    const list = await cli(['runs', 'list']);
    expect(list.stdout).toMatch(
      new RegExp(`${id}\\s+run\\s+succeeded\\s+classification\\s+y\\s+auc 0\\.8312\\s+1\\.2s`),
    );
    const show = await cli(['runs', 'show', id]);
    expect(show.stdout).toContain('status      succeeded');
    expect(parse<Run>(await cli(['runs', 'show', id, '--json'])).id).toBe(id);
    expect((await cli(['runs', 'show', 'run_nope'])).stderr).toBe("error: No run 'run_nope'. (run_not_found)\n");
  });

  it('registers a model (creating it once), sets the alias, serves and predicts', async () => {
    const id = await trained();
    const first = await cli(['models', 'register', 'credit-glm', '--run', id, '--alias', 'champion', '--json']);
    expect(first.code).toBe(0);
    const reg = parse<{ model: Model; version: ModelVersion }>(first);
    expect(reg.version.version).toBe(1);
    expect(reg.model.aliases).toEqual({ champion: 1 });
    const second = await cli(['models', 'register', 'credit-glm', '--run', id]);
    expect(second.stdout).toBe(`Registered credit-glm version 2 from run ${id}.\n`);
    expect(state.models).toHaveLength(1);
    expect((await cli(['models', 'list'])).stdout).toMatch(/credit-glm\s+mdl_\d+\s+2\s+champion=1/);

    const ep = await cli(['endpoints', 'create', 'scoring', '--model', 'credit-glm@champion']);
    expect(ep.stdout).toMatch(/^Endpoint scoring \(ep_\d+\) serves credit-glm@champion \(version 1\)\.\n$/);
    expect((await cli(['endpoints', 'list'])).stdout).toMatch(/scoring\s+ep_\d+\s+credit-glm@champion\s+1/);

    await writeFile(join(dir, 'records.json'), JSON.stringify([{ x: 1 }, { x: 2 }]));
    const byFile = await cli(['predict', 'scoring', '--data', 'records.json']);
    expect(byFile.code).toBe(0);
    expect(byFile.stdout.split('\n').slice(0, 3)).toEqual([
      '#  LABEL  P(bad)  P(good)',
      '1  good   0.2500   0.7500',
      '2  good   0.2500   0.7500',
    ]);
    const epId = state.endpoints[0]?.id ?? '';
    const inline = await cli(['predict', epId, '--data', '{"x": 3}', '--json']);
    expect(parse<{ predictions: unknown[] }>(inline).predictions).toHaveLength(1);
    const stdin = await cli(['predict', 'scoring', '--data', '-', '--json'], { stdin: '[{"x":1},{"x":2},{"x":3}]' });
    expect(parse<{ predictions: unknown[] }>(stdin).predictions).toHaveLength(3);
    const unknown = await cli(['predict', 'nope', '--data', '{}']);
    expect(unknown.stderr).toBe("error: No endpoint 'nope' in project 'demo'. (endpoint_not_found)\n");
  });
});

describe('failures', () => {
  it('answers unknown commands and options with commander messages and exit 2', async () => {
    const cmd = await cli(['bogus']);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toContain("error: unknown command 'bogus'");
    const opt = await cli(['projects', 'list', '--nope']);
    expect(opt.code).toBe(2);
    expect(opt.stderr).toContain("error: unknown option '--nope'");
  });

  it('prints help and version with exit 0', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: modelyard');
    for (const name of ['up', 'login', 'projects', 'datasets', 'train', 'runs', 'models', 'endpoints', 'predict']) {
      expect(help.stdout).toContain(`  ${name}`);
    }
    const version = await cli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
  });

  it('names the URL when the server cannot be reached, and prints a stack only with MODELYARD_DEBUG=1', async () => {
    const down = 'http://127.0.0.1:9';
    const r = await cli(['projects', 'list', '--url', down]);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(
      /^error: Cannot reach the Modelyard server \(GET http:\/\/127\.0\.0\.1:9\/api\/v1\/projects.*\(network_error\)\n$/,
    );
    const debug = await cli(['projects', 'list', '--url', down], { env: { MODELYARD_DEBUG: '1' } });
    expect(debug.stderr).toContain('    at ');
  });
});
