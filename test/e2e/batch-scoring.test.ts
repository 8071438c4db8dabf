// Batch scoring jobs on a real server: an on-demand run over credit_data with a GBDT (rows, predictions equal to
// predictFrame and to the endpoint, lineage to the input version), a datasets-SQL source, a schedule firing every
// second, the bad inputs, and a server killed with SIGKILL mid-run that resumes the run with every row exactly once.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardClient, type BatchRun, type Prediction } from '@modelyard/client';
import { predictFrame } from '@modelyard/engine';
import { runCli } from '../../packages/server/src/cli/run-cli.js';
import { loadFrame, profileSnapshot } from '../../packages/server/src/data/index.js';
import { apiFailure, userClient } from '../helpers/api-calls.js';
import { startTestServer, TEST_ADMIN_TOKEN, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let admin: ModelyardClient;

beforeAll(async () => {
  server = await startTestServer({ demo: true });
  admin = new ModelyardClient({ baseUrl: server.url, token: server.token });
});

afterAll(async () => {
  await server?.close();
});

async function waitForRun(client: ModelyardClient, id: string, timeoutMs = 120_000): Promise<BatchRun> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await client.getBatchRun(id);
    if (run.status === 'succeeded' || run.status === 'failed') return run;
    if (Date.now() > deadline) throw new Error(`batch run ${id} still ${run.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Every row of a dataset version's snapshot, as JS values, in file order. */
async function snapshotRows(s: TestServer, datasetId: string, version: string): Promise<Record<string, unknown>[]> {
  const { store, artifacts, duck } = s.server.services;
  const v = (await store.getDatasetVersion(datasetId, version))!;
  return artifacts.withLocalFile(v.snapshotKey, (path) =>
    duck.withConnection(async (c) => {
      const r = await c.runAndReadAll(`SELECT * FROM read_parquet('${path.replace(/'/g, "''")}')`);
      // BIGINT columns come back as bigint: numbers, as the API's JSON has them.
      return r
        .getRowObjectsJS()
        .map((row) =>
          Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' ? Number(v) : v])),
        );
    }),
  );
}

async function trainGbdt(client: ModelyardClient, model: string): Promise<void> {
  const run = await client.createRun('demo', {
    dataset: 'credit_data',
    target: 'Status',
    task: 'classification',
    algorithm: 'gbdt',
    params: { nTrees: 30, maxDepth: 4, learningRate: 0.1 },
  });
  const done = await client.waitForRun(run.id, { intervalMs: 100, timeoutMs: 120_000 });
  expect(done.status).toBe('succeeded');
  const m = await client.createModel('demo', { name: model });
  const version = await client.registerModelVersion(m.id, run.id);
  await client.setAlias(m.id, 'champion', version.version);
}

describe('batch scoring', () => {
  beforeAll(async () => {
    await trainGbdt(admin, 'credit-gbdt');
  }, 180_000);

  it('scores credit_data on demand into a new dataset version, as predictFrame and the endpoint do', async () => {
    const job = await admin.createBatchJob('demo', {
      name: 'credit-scores',
      model: 'credit-gbdt@champion',
      source: { kind: 'dataset', dataset: 'credit_data', version: null },
      outputDataset: 'credit_scored',
      partitions: 3,
    });
    expect([job.partitions, job.schedule, job.keepColumns, job.nextRunAt]).toEqual([3, null, null, null]);
    const started = await admin.runBatchJob(job.id);
    expect([started.trigger, started.modelVersion, started.partitionsTotal]).toEqual(['manual', 1, 3]);
    const run = await waitForRun(admin, started.id);
    expect(run.error).toBeNull();
    expect(run.status).toBe('succeeded');
    const { store, models } = server.server.services;
    const input = (await store.getDatasetByName((await store.getProjectByName('demo'))!.id, 'credit_data'))!;
    const inputVersion = (await store.latestDatasetVersion(input.id))!;
    expect([run.inputDatasetId, run.inputVersion]).toEqual([input.id, inputVersion.version]);
    expect([run.partitionsDone, run.rowsDone, run.rowsTotal]).toEqual([3, inputVersion.rows, inputVersion.rows]);

    // Every input row once, in order, with the model's outputs beside its columns.
    const rows = await snapshotRows(server, run.outputDatasetId!, run.outputVersion!);
    const inputRows = await snapshotRows(server, input.id, inputVersion.version);
    expect(rows).toHaveLength(inputRows.length);
    expect(Object.keys(rows[0]!)).toEqual([...Object.keys(inputRows[0]!), 'probability', 'label']);
    rows.forEach((row, i) => expect(row.Seniority).toEqual(inputRows[i]!.Seniority));

    // The same numbers as predictFrame on the whole snapshot, and labels by the engine's rule.
    const model = (await store.getModelByName(input.projectId, 'credit-gbdt'))!;
    const trained = (await store.getRun((await store.getModelVersion(model.id, 1))!.runId))!;
    const artifact = await models.load(trained.artifactKey!);
    const frame = await server.server.services.artifacts.withLocalFile(inputVersion.snapshotKey, (path) =>
      loadFrame(server.server.services.duck, path),
    );
    const expected = predictFrame(artifact, frame);
    rows.forEach((row, i) => {
      expect(row.probability).toBe(expected[i]);
      expect(row.label).toBe(expected[i]! > 1 - expected[i]! ? artifact.classes![1] : artifact.classes![0]);
    });

    // And as the endpoint answers for the same rows.
    const endpoint = await admin.createEndpoint('demo', { name: 'credit-gbdt-batch', model: 'credit-gbdt@champion' });
    const features = artifact.features.map((f) => f.name);
    const records = inputRows
      .slice(0, 25)
      .map((r) => Object.fromEntries(features.map((f) => [f, r[f] as string | number | null])));
    const answer = await admin.predict(endpoint.id, records);
    answer.predictions.forEach((p: Prediction, i) => {
      if (!('probabilities' in p)) throw new Error('expected a class prediction');
      expect(p.probabilities[artifact.classes![1]!]).toBe(rows[i]!.probability);
      expect(p.label).toBe(rows[i]!.label);
    });

    // The output version names the model version and the run, and its lineage reaches the input version.
    const version = (await store.getDatasetVersion(run.outputDatasetId!, run.outputVersion!))!;
    // Its profile reuses the input's for the copied columns: the same as profiling the whole output afresh.
    const fresh = await server.server.services.artifacts.withLocalFile(version.snapshotKey, (path) =>
      profileSnapshot(server.server.services.duck, path),
    );
    expect(version.profile).toEqual(fresh);
    expect(version.tags).toMatchObject({ 'modelyard.batch.model': 'credit-gbdt@1', 'modelyard.batch.run': run.id });
    const graph = await admin.lineage('dataset_version', `${run.outputDatasetId}@${run.outputVersion}`, {
      direction: 'up',
      depth: 2,
    });
    expect(graph.nodes.map((n) => n.id)).toContain(`${input.id}@${inputVersion.version}`);

    const runs = await admin.listBatchRuns(job.id);
    expect(runs.items.map((r) => r.id)).toEqual([run.id]);
  });

  it('scores a SQL query over the project’s datasets, keeping the columns asked for', async () => {
    const job = await admin.createBatchJob('demo', {
      name: 'young-scores',
      model: 'credit-gbdt@1',
      // Missing numbers, missing categories and a category the model never saw.
      source: {
        kind: 'datasets_sql',
        sql:
          'SELECT * REPLACE (CASE WHEN Age % 3 = 0 THEN NULL ELSE Income END AS Income, CASE WHEN Age % 5 = 0 ' +
          "THEN NULL ELSE Home END AS Home, CASE WHEN Age % 7 = 0 THEN 'martian' ELSE Job END AS Job) " +
          'FROM credit_data WHERE Age < 30',
      },
      outputDataset: 'young_scored',
      keepColumns: ['Age'],
      outputColumns: { probability: 'p_bad_or_good', label: 'predicted' },
    });
    const run = await waitForRun(admin, (await admin.runBatchJob(job.id)).id);
    expect(run.status).toBe('succeeded');
    const rows = await snapshotRows(server, run.outputDatasetId!, run.outputVersion!);
    expect(Object.keys(rows[0]!)).toEqual(['Age', 'p_bad_or_good', 'predicted']);
    expect(rows.every((r) => (r.Age as number) < 30)).toBe(true);
    expect(rows).toHaveLength(run.rowsTotal!);
    const { store, models, artifacts, duck } = server.server.services;
    const input = (await store.getDatasetVersion(run.inputDatasetId!, run.inputVersion!))!;
    const frame = await artifacts.withLocalFile(input.snapshotKey, (path) => loadFrame(duck, path));
    const project = (await store.getProjectByName('demo'))!;
    const model = (await store.getModelByName(project.id, 'credit-gbdt'))!;
    const artifact = await models.load(
      (await store.getRun((await store.getModelVersion(model.id, 1))!.runId))!.artifactKey!,
    );
    const expected = predictFrame(artifact, frame);
    rows.forEach((row, i) => expect(row.p_bad_or_good).toBe(expected[i]));
    // The query's result became a dataset of its own, whose lineage goes on to credit_data.
    const graph = await admin.lineage('dataset_version', `${run.outputDatasetId}@${run.outputVersion}`, {
      direction: 'up',
      depth: 3,
    });
    const names = graph.nodes.map((n) => n.name.split('@')[0]);
    expect(names).toEqual(expect.arrayContaining(['young_scored', 'young_scored_input', 'credit_data']));
  });

  it('runs on a cron schedule, each tick once, and records ticks skipped while a run is going', async () => {
    const job = await admin.createBatchJob('demo', {
      name: 'every-second',
      model: 'credit-glm@champion',
      source: { kind: 'dataset', dataset: 'credit_data', version: null },
      outputDataset: 'credit_scored_glm',
      schedule: '* * * * * *',
    });
    expect(job.nextRunAt).not.toBeNull();
    const deadline = Date.now() + 30_000;
    let finished: BatchRun[] = [];
    while (finished.length < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      finished = (await admin.listBatchRuns(job.id)).items.filter((r) => r.status === 'succeeded');
    }
    await admin.updateBatchJob(job.id, { schedule: null });
    expect(finished.length).toBeGreaterThanOrEqual(2);
    expect(finished.every((r) => r.trigger === 'schedule')).toBe(true);
    // Same model, same input: the same content, hence the same output version.
    expect(new Set(finished.map((r) => r.outputVersion)).size).toBe(1);
    const all = (await admin.listBatchRuns(job.id, { limit: 100 })).items;
    for (const r of all.filter((x) => x.status === 'skipped')) expect(r.error?.code).toBe('batch_run_overlap');
    expect((await admin.getBatchJob(job.id)).nextRunAt).toBeNull();
  });

  it('refuses bad jobs with clear errors', async () => {
    const base = {
      name: 'bad',
      model: 'credit-gbdt@champion',
      source: { kind: 'dataset' as const, dataset: 'credit_data', version: null },
      outputDataset: 'bad_out',
    };
    const failure = async (body: Partial<typeof base> & Record<string, unknown>) =>
      apiFailure(admin.createBatchJob('demo', { ...base, ...body } as typeof base));
    expect((await failure({ model: 'nope@champion' })).code).toBe('model_not_found');
    expect((await failure({ model: 'credit-gbdt@nope' })).code).toBe('alias_not_found');
    expect((await failure({ model: 'not a ref' })).code).toBe('invalid_model_ref');
    expect((await failure({ schedule: 'every tuesday' })).code).toBe('invalid_schedule');
    expect((await failure({ schedule: '61 * * * *' })).status).toBe(400);
    const notSelect = await failure({ source: { kind: 'datasets_sql', sql: 'DELETE FROM credit_data' } as never });
    expect([notSelect.status, notSelect.code]).toEqual([400, 'not_a_select']);
    expect((await failure({ source: { kind: 'dataset', dataset: 'nope', version: null } as never })).code).toBe(
      'dataset_not_found',
    );

    // A dataset without the model's features: the error lists the missing columns.
    await admin.createDatasetFromQuery('demo', { name: 'credit_slim', sql: 'SELECT Age, Income FROM credit_data' });
    const slim = await apiFailure(
      admin.createBatchJob('demo', { ...base, source: { kind: 'dataset', dataset: 'credit_slim', version: null } }),
    );
    expect([slim.status, slim.code]).toEqual([422, 'missing_features']);
    expect((slim.details as { missing: string[] }).missing).toEqual(expect.arrayContaining(['Seniority', 'Home']));

    // A model whose artifact cannot be read.
    const { store, artifacts } = server.server.services;
    const project = (await store.getProjectByName('demo'))!;
    const model = (await store.getModelByName(project.id, 'credit-gbdt'))!;
    const trained = (await store.getRun((await store.getModelVersion(model.id, 1))!.runId))!;
    const broken = await admin.createRun('demo', {
      dataset: 'credit_data',
      target: 'Status',
      task: 'classification',
      algorithm: 'glm',
      params: {},
    });
    const brokenRun = await admin.waitForRun(broken.id, { intervalMs: 100, timeoutMs: 60_000 });
    const brokenModel = await admin.createModel('demo', { name: 'broken-model' });
    await admin.registerModelVersion(brokenModel.id, brokenRun.id);
    await artifacts.putBytes((await store.getRun(brokenRun.id))!.artifactKey!, new TextEncoder().encode('{oops'));
    const unloadable = await apiFailure(admin.createBatchJob('demo', { ...base, model: 'broken-model@1' }));
    expect([unloadable.status, unloadable.code]).toEqual([422, 'model_load_failed']);
    expect(trained.artifactKey).not.toBe((await store.getRun(brokenRun.id))!.artifactKey);

    // Viewers read, editors write.
    const viewer = await userClient(admin, server.url, 'batch-viewer', { project: 'demo', role: 'viewer' });
    const job = (await admin.listBatchJobs('demo')).items[0]!;
    expect((await viewer.getBatchJob(job.id)).id).toBe(job.id);
    expect((await apiFailure(viewer.runBatchJob(job.id))).status).toBe(403);
    expect((await apiFailure(admin.createBatchJob('demo', { ...base, name: job.name }))).code).toBe('batch_job_exists');
  });
});

describe('modelyard batch', () => {
  it('creates a job, runs it to the end and lists its runs', async () => {
    const configDir = await mkdtemp(join(tmpdir(), 'modelyard-cli-batch-'));
    const cli = async (argv: string[]) => {
      let stdout = '';
      let stderr = '';
      const code = await runCli([...argv, '--json'], {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: (text: string) => (stderr += text), isTTY: false },
        env: { MODELYARD_CONFIG_DIR: configDir, MODELYARD_PROJECT: 'demo', HOME: configDir },
        cwd: configDir,
      });
      return { code, stdout, stderr };
    };
    try {
      expect((await cli(['login', '--url', server.url, '--token', server.token])).code).toBe(0);
      const created = await cli(['batch', 'create', 'cli-scores', '--model', 'credit-glm@champion', '--dataset']);
      expect(created.code).not.toBe(0);
      const job = await cli([
        'batch',
        'create',
        'cli-scores',
        '--model',
        'credit-glm@champion',
        '--dataset',
        'credit_data',
        '--output',
        'cli_scored',
        '--keep',
        'Age,Income',
      ]);
      expect(job.code).toBe(0);
      expect((JSON.parse(job.stdout) as { keepColumns: string[] }).keepColumns).toEqual(['Age', 'Income']);
      const run = await cli(['batch', 'run', 'cli-scores', '--wait']);
      expect(run.code).toBe(0);
      const finished = JSON.parse(run.stdout) as BatchRun;
      expect([finished.status, finished.partitionsDone]).toEqual(['succeeded', 2]);
      const runs = JSON.parse((await cli(['batch', 'runs', 'cli-scores'])).stdout) as BatchRun[];
      expect(runs.map((r) => r.id)).toEqual([finished.id]);
      const jobs = JSON.parse((await cli(['batch', 'list'])).stdout) as { name: string }[];
      expect(jobs.map((j) => j.name)).toContain('cli-scores');
    } finally {
      await rm(configDir, { recursive: true, force: true });
    }
  });
});

const TSX_CLI = fileURLToPath(new URL('../../packages/server/src/cli/main.ts', import.meta.url));

describe('a batch run across a server killed with SIGKILL', () => {
  let dataDir: string;
  let child: ChildProcess | undefined;

  const startChild = async (port: number): Promise<void> => {
    child = spawn(process.execPath, ['--import', 'tsx', TSX_CLI, 'up', '--port', String(port), '--data-dir', dataDir], {
      env: { ...process.env, MODELYARD_ADMIN_TOKEN: TEST_ADMIN_TOKEN, MODELYARD_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) throw new Error('server did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'modelyard-batch-kill-'));
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  });

  it('resumes the run at the next start, skipping finished partitions, with every row exactly once', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    await startChild(port);
    const client = new ModelyardClient({ baseUrl: `http://127.0.0.1:${port}`, token: TEST_ADMIN_TOKEN });
    // credit_data 200 times over, every row numbered, so every output row can be told apart.
    await client.createDatasetFromQuery('demo', {
      name: 'credit_big',
      sql: 'SELECT c.*, r.range AS copy, row_number() OVER () AS rid FROM credit_data c, range(200) r',
    });
    const job = await client.createBatchJob('demo', {
      name: 'big',
      model: 'credit-glm@champion',
      source: { kind: 'dataset', dataset: 'credit_big', version: null },
      outputDataset: 'credit_big_scored',
      partitions: 64,
      keepColumns: ['rid', 'copy', 'Seniority'],
    });
    const started = await client.runBatchJob(job.id);
    let seen = started;
    const deadline = Date.now() + 60_000;
    while (seen.partitionsDone < 2 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      seen = await client.getBatchRun(started.id);
    }
    const killedAt = new Date().toISOString();
    child!.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    expect(seen.status).toBe('running');
    expect(seen.partitionsDone).toBeGreaterThan(0);
    expect(seen.partitionsDone).toBeLessThan(64);
    const partsBefore = (await readdir(join(dataDir, 'tmp', 'batch', started.id))).filter((f) =>
      f.endsWith('.parquet'),
    );
    expect(partsBefore.length).toBeGreaterThan(0);

    await startChild(port);
    const done = await waitForRun(client, started.id, 180_000);
    expect(done.error).toBeNull();
    expect([done.status, done.partitionsDone, done.rowsDone]).toEqual(['succeeded', 64, done.rowsTotal]);

    // Every input row exactly once, beside its own columns, and scored: counted by the SQL workbench.
    const check = await client.sql('demo', {
      sql:
        'SELECT count(*), count(DISTINCT s.rid), count(*) FILTER (WHERE s.Seniority = b.Seniority AND ' +
        's.copy = b.copy), count(s.probability) FROM credit_big_scored s JOIN credit_big b USING (rid)',
    });
    expect(check.rows[0]!.map(Number)).toEqual(Array.from({ length: 4 }, () => done.rowsTotal));
    expect(Number((await client.sql('demo', { sql: 'SELECT count(*) FROM credit_big_scored' })).rows[0]![0])).toBe(
      done.rowsTotal,
    );
    // The partitions finished before the kill were not scored again: their records are older than the kill.
    const db = new Database(join(dataDir, 'metadata.sqlite'), { readonly: true });
    const kept = db
      .prepare('SELECT count(*) AS n FROM batch_run_partitions WHERE run_id = ? AND finished_at < ?')
      .get(started.id, killedAt) as { n: number };
    db.close();
    expect(kept.n).toBeGreaterThanOrEqual(seen.partitionsDone);
    expect(kept.n).toBeLessThan(64);
    child!.kill('SIGKILL');
  }, 300_000);
});
