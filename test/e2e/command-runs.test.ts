// Command runs: programs in any language run as jobs of a run, logging through our API and MLflow's with the token
// in their environment; output kept as the run's logs; exit code, kill and timeout as the run's status.

import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, ModelyardClient, type Run, type StartCommandRun } from '@modelyard/client';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const SCRIPT = new URL('../../examples/mlflow_job.py', import.meta.url).pathname;
const NODE = process.execPath;

let server: TestServer;
let admin: ModelyardClient;
let experimentId: string;
let scratch: string;

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

async function waitFor(runId: string, done: (run: Run) => boolean, timeoutMs = 30_000): Promise<Run> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await admin.getRun(runId);
    if (done(run)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${run.status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const ended = (run: Run) => !['queued', 'running'].includes(run.status);

async function runToEnd(body: StartCommandRun, timeoutMs?: number): Promise<Run> {
  const started = await admin.startCommandRun(experimentId, body);
  expect(started.kind).toBe('command');
  return waitFor(started.id, ended, timeoutMs);
}

/** The whole log, read as a client tails it. */
async function wholeLog(runId: string, stream: 'stdout' | 'stderr'): Promise<string> {
  let text = '';
  for (let offset = 0; ;) {
    const part = await admin.runLogs(runId, { stream, offset, limit: 7 });
    text += part.text;
    if (part.nextOffset >= part.size && !part.running) return text;
    offset = part.nextOffset;
  }
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'modelyard-command-'));
  process.env.MODELYARD_TEST_SERVER_SECRET = 'must-not-leak';
  server = await startTestServer({ demo: false });
  admin = new ModelyardClient({ baseUrl: server.url, token: server.token });
  await admin.createProject({ name: 'jobs', description: '' });
  experimentId = (await admin.createExperiment('jobs', { name: 'any-language' })).id;
}, 60_000);

afterAll(async () => {
  delete process.env.MODELYARD_TEST_SERVER_SECRET;
  await server?.close();
});

describe('command runs', () => {
  it('runs a node program that logs through our API with the job token, keeping its output as logs', async () => {
    const tokenFile = join(scratch, 'token.txt');
    const program = `
      const { MODELYARD_URL, MODELYARD_RUN_ID, MODELYARD_TOKEN, MODELYARD_PROJECT } = process.env;
      (await import('node:fs')).writeFileSync(process.env.TOKEN_FILE, MODELYARD_TOKEN);
      const res = await fetch(MODELYARD_URL + '/api/v1/runs/' + MODELYARD_RUN_ID + '/log', {
        method: 'POST',
        headers: { authorization: 'Bearer ' + MODELYARD_TOKEN, 'content-type': 'application/json' },
        body: JSON.stringify({ params: { lang: 'node' }, metrics: [{ key: 'score', value: 0.75, step: 1 }] }),
      });
      console.log('logged ' + res.status + ' to ' + MODELYARD_PROJECT);
      console.log('tracking ' + process.env.MLFLOW_TRACKING_URI + ' ' + process.env.MLFLOW_RUN_ID);
      console.log('secret ' + (process.env.MODELYARD_TEST_SERVER_SECRET ?? 'absent') + ' extra ' + process.env.EXTRA);
      console.error('a warning ✓');
    `;
    const run = await runToEnd({
      command: [NODE, '--input-type=module', '-e', program],
      name: 'node-job',
      env: { TOKEN_FILE: tokenFile, EXTRA: 'given' },
    });
    expect([run.status, run.error]).toEqual(['succeeded', null]);
    expect(run.name).toBe('node-job');
    expect(run.params).toEqual({ lang: 'node' });
    expect(run.metrics).toEqual({ score: 0.75 });
    expect(run.tags['modelyard.exit_code']).toBe('0');
    expect(run.tags['modelyard.command']).toContain('--input-type=module');
    const stdout = await wholeLog(run.id, 'stdout');
    expect(stdout).toContain('logged 204 to jobs\n');
    expect(stdout).toContain(`tracking ${server.url}/mlflow/jobs ${run.id}\n`);
    expect(stdout).toContain('secret absent extra given\n');
    expect(await wholeLog(run.id, 'stderr')).toBe('a warning ✓\n');
    // The logs are run artifacts too.
    expect((await admin.listArtifacts(run.id, 'logs')).items.map((i) => i.path)).toEqual([
      'logs/stderr.txt',
      'logs/stdout.txt',
    ]);

    // The token worked during the job (the param above); it is gone once the job has ended.
    const token = await readFile(tokenFile, 'utf8');
    expect(token).toMatch(/^myd_/);
    const after = await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(after.status).toBe(401);
  });

  it('fails a run whose command exits non-zero, with the exit code and the end of stderr', async () => {
    const run = await runToEnd({
      command: [NODE, '-e', "console.error('first line'); console.error('it broke'); process.exit(3)"],
    });
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('command_failed');
    expect(run.error?.message).toMatch(/^exit code 3\nfirst line\nit broke$/);
    expect(run.tags['modelyard.exit_code']).toBe('3');
  });

  it('shows the log while the job runs, and kills it on request', async () => {
    const started = await admin.startCommandRun(experimentId, {
      command: [NODE, '-e', "console.log('started'); setInterval(() => console.log('tick'), 50)"],
    });
    await waitFor(started.id, (r) => r.status === 'running');
    let live = await admin.runLogs(started.id, { stream: 'stdout' });
    for (let i = 0; i < 100 && !live.text.includes('tick'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      live = await admin.runLogs(started.id, { stream: 'stdout' });
    }
    expect(live.running).toBe(true);
    expect(live.text).toMatch(/^started\ntick\n/);
    const tail = await admin.runLogs(started.id, { stream: 'stdout', offset: live.nextOffset });
    expect(tail.offset).toBe(live.nextOffset);

    const killed = await admin.killRun(started.id);
    expect([killed.status, killed.error]).toEqual(['killed', null]);
    expect(killed.finishedAt).not.toBeNull();
    expect((await wholeLog(started.id, 'stdout')).startsWith('started\ntick\n')).toBe(true);
    expect((await failure(admin.killRun(started.id))).code).toBe('run_not_running');
  });

  it('kills a job that runs past its timeout', async () => {
    const started = Date.now();
    const run = await runToEnd({ command: [NODE, '-e', 'setTimeout(() => {}, 60000)'], timeoutSeconds: 1 });
    expect(run.status).toBe('killed');
    expect(run.error?.code).toBe('command_timeout');
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('refuses an unknown program, a folder outside the data roots, and viewers', async () => {
    const unknown = await failure(
      admin.startCommandRun(experimentId, { command: ['modelyard-no-such-program-xyz', '--help'] }),
    );
    expect([unknown.status, unknown.code]).toEqual([400, 'command_not_found']);
    const empty = await failure(admin.startCommandRun(experimentId, { command: [] }));
    expect([empty.status, empty.code]).toEqual([400, 'invalid_request']);
    const outside = await failure(admin.startCommandRun(experimentId, { command: [NODE, '-e', '1'], cwd: '/etc' }));
    expect([outside.status, outside.code]).toEqual([400, 'path_not_allowed']);

    const user = await admin.createUser({ name: 'viv' });
    await admin.setMember('jobs', user.id, 'viewer');
    const viewer = new ModelyardClient({ baseUrl: server.url, token: (await admin.createToken(user.id, 't')).token });
    const refused = await failure(viewer.startCommandRun(experimentId, { command: [NODE, '-e', '1'] }));
    expect([refused.status, refused.code]).toEqual([403, 'forbidden']);
  });

  it('runs examples/mlflow_job.py into its own run through the MLflow protocol', async () => {
    const run = await runToEnd({ command: ['/usr/bin/python3', SCRIPT], name: 'sklearn' }, 170_000);
    expect([run.status, run.error]).toEqual(['succeeded', null]);
    expect(run.params).toMatchObject({ n_estimators: '120', max_depth: '3', model: 'GradientBoostingClassifier' });
    expect(run.metrics.test_auc).toBeGreaterThan(0.75);
    expect(run.tags.framework).toBe('scikit-learn');
    expect((await admin.listArtifacts(run.id, 'model')).items.map((i) => i.path)).toEqual(['model/summary.json']);
    const summary = JSON.parse(new TextDecoder().decode(await admin.downloadArtifact(run.id, 'model/summary.json')));
    expect(summary).toMatchObject({ model: 'GradientBoostingClassifier' });
    expect(await wholeLog(run.id, 'stdout')).toContain(`logging to run ${run.id} at ${server.url}/mlflow/jobs`);
    // No second run was made: the experiment holds the job runs of this file only.
    const all = await admin.searchRuns('jobs', {
      experiments: [experimentId],
      filter: "attributes.run_name = 'sklearn'",
    });
    expect(all.items.map((r) => r.id)).toEqual([run.id]);
  }, 180_000);

  it('fails command runs a stopped server left running, with worker_lost', async () => {
    const { store } = server.server.services;
    const project = await store.getProjectByName('jobs');
    const me = await admin.me();
    await store.createRun(
      {
        id: 'run_lostjob000000000001',
        projectId: project!.id,
        experimentId,
        parentRunId: null,
        name: 'lost',
        kind: 'command',
        status: 'running',
        startedAt: new Date().toISOString(),
        task: null,
        algorithm: null,
        target: null,
        datasetId: null,
        datasetVersion: null,
        params: {},
        createdBy: me.user.id,
      },
      { actor: me.user.id, action: 'run.create' },
    );
    const dataDir = server.dataDir;
    await server.close();
    server = await startTestServer({ dataDir, demo: false });
    admin = new ModelyardClient({ baseUrl: server.url, token: server.token });
    const lost = await admin.getRun('run_lostjob000000000001');
    expect(lost.status).toBe('failed');
    expect(lost.error?.code).toBe('worker_lost');
  }, 60_000);
});
