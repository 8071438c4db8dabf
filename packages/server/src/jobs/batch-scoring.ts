// Batch scoring runs: resolve the model version and the input version, score the input's rows partition by partition
// in scoring threads (each partition's outputs in its own part file, recorded in the store once complete), then join
// the outputs to the input columns in one Parquet snapshot registered as a new version of the output dataset, with
// the input version as its lineage parent. A run left unfinished by a crash resumes at start from the partitions
// still missing.

import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { BatchJob } from '@modelyard/client';
import type { ModelArtifact } from '@modelyard/engine';
import { saveDatasetVersion } from '../catalog/save-dataset-version.js';
import { describeParquet } from '../data/describe-parquet.js';
import type { IngestResult } from '../data/ingest-file.js';
import { quoteLiteral } from '../data/sql-quote.js';
import { ModelyardError, unprocessable } from '../errors.js';
import { resolveModelRef } from '../registry/model-ref.js';
import { isOnnxKey } from '../serving/serving.js';
import type { Services } from '../services.js';
import type { BatchRunRecord } from '../store/batch-store.js';
import type { DatasetVersionRecord } from '../store/metadata-store.js';
import { datasetInput, featureReads, materializeSqlInput } from './batch-input.js';
import { combineParts, outputProfile, storeOutput } from './batch-output.js';
import { BatchPool } from './batch-pool.js';
import { BatchSchedules } from './batch-schedule.js';
import { writeOutputTable } from './batch-table-output.js';

/** Row bounds of partition `i` of `n` over `rows` rows: [start, end), as even as integers allow. */
export function partitionBounds(rows: number, n: number, i: number): [number, number] {
  return [Math.floor((i * rows) / n), Math.floor(((i + 1) * rows) / n)];
}

/** The columns a model adds, in order: what the part files' o0…, label become. */
export function outputNames(job: Pick<BatchJob, 'outputColumns'>, artifact: ModelArtifact): string[] {
  const names = job.outputColumns;
  if (artifact.task === 'regression') return [names.prediction];
  const classes = artifact.classes ?? [];
  if (classes.length <= 2) return [names.probability, names.label];
  return [...classes.map((c) => `${names.probabilityPrefix}${c}`), names.label];
}

/** A model version resolved for a run: its number, artifact key and parsed artifact. */
interface ResolvedScorer {
  version: number;
  artifactKey: string;
  artifact: ModelArtifact;
}

export class BatchRunner {
  readonly pool: BatchPool;
  readonly schedules: BatchSchedules;
  private readonly active = new Map<string, Promise<void>>();
  private closed = false;
  /** Tests: called after each partition is recorded (a crash can be staged here). */
  afterPartition: ((run: BatchRunRecord, part: number) => Promise<void> | void) | undefined;
  /** Benchmarks: where a finished run's time went, in milliseconds (also logged at debug level). */
  onTimings: ((runId: string, ms: Record<string, number>) => void) | undefined;

  constructor(
    private readonly services: () => Services,
    threads: number,
    private readonly log: Logger,
  ) {
    this.pool = new BatchPool(threads);
    this.schedules = new BatchSchedules(services, (job) => this.scheduledTick(job), log);
  }

  /** Resolves the job's model reference to a loadable native model (422 otherwise). */
  async resolveScorer(job: BatchJob): Promise<ResolvedScorer> {
    const { store, models } = this.services();
    const { model, version } = await resolveModelRef(store, job.projectId, job.model);
    const run = await store.getRun(version.runId);
    if (!run?.artifactKey) {
      throw unprocessable('model_load_failed', `${model.name}@${version.version} has no model artifact.`);
    }
    if (isOnnxKey(run.artifactKey)) {
      throw unprocessable(
        'batch_onnx_unsupported',
        `${model.name}@${version.version} is an imported ONNX model; batch scoring takes models trained here.`,
      );
    }
    try {
      const artifact = await models.load(run.artifactKey);
      return { version: version.version, artifactKey: run.artifactKey, artifact };
    } catch (error) {
      throw unprocessable(
        'model_load_failed',
        `${model.name}@${version.version} could not be loaded: ${messageOf(error)}`,
      );
    }
  }

  /**
   * Starts a run now: what can be refused is refused before the run exists (unknown model or alias, a model that does
   * not load, a dataset without the model's features); the scoring itself goes on in the background.
   */
  async trigger(job: BatchJob, userId: string, trigger: 'manual' | 'schedule'): Promise<BatchRunRecord> {
    const { store } = this.services();
    const scorer = await this.resolveScorer(job);
    let input: DatasetVersionRecord | undefined;
    if (job.source.kind === 'dataset') {
      input = await datasetInput(this.services(), job.projectId, job.source);
      featureReads(scorer.artifact, input.profile.columns);
    }
    const run = await store.createBatchRun({
      jobId: job.id,
      projectId: job.projectId,
      trigger,
      status: 'queued',
      modelRef: job.model,
      createdBy: userId,
      partitionsTotal: job.partitions,
    });
    await store.updateBatchRun(run.id, {
      modelVersion: scorer.version,
      artifactKey: scorer.artifactKey,
      ...(input && { inputDatasetId: input.datasetId, inputVersion: input.version, rowsTotal: input.rows }),
    });
    this.launch(run.id);
    return (await store.getBatchRun(run.id))!;
  }

  /** Resumes the runs a stopped server left queued or running, and starts the schedules. */
  async recover(): Promise<void> {
    for (const run of await this.services().store.activeBatchRuns()) this.launch(run.id);
    await this.schedules.start();
  }

  /** Whether a run of this job is going on in this process or (after a crash, before resuming) in the store. */
  async hasActiveRun(jobId: string): Promise<boolean> {
    return (await this.services().store.activeBatchRuns(jobId)).length > 0;
  }

  /** Waits for a run this process is executing (tests, benchmarks). */
  async settled(runId: string): Promise<void> {
    await this.active.get(runId);
  }

  private async scheduledTick(job: BatchJob): Promise<void> {
    const { store } = this.services();
    if (await this.hasActiveRun(job.id)) {
      await store.createBatchRun({
        jobId: job.id,
        projectId: job.projectId,
        trigger: 'schedule',
        status: 'skipped',
        modelRef: job.model,
        createdBy: job.createdBy,
        partitionsTotal: job.partitions,
        error: { code: 'batch_run_overlap', message: 'The previous run of this job was still going.' },
      });
      return;
    }
    try {
      await this.trigger(job, job.createdBy, 'schedule');
    } catch (error) {
      // A scheduled run that cannot start is recorded as failed, so the job's history shows why.
      const run = await store.createBatchRun({
        jobId: job.id,
        projectId: job.projectId,
        trigger: 'schedule',
        status: 'queued',
        modelRef: job.model,
        createdBy: job.createdBy,
        partitionsTotal: job.partitions,
      });
      await this.fail(run.id, error);
    }
  }

  private launch(runId: string): void {
    if (this.closed || this.active.has(runId)) return;
    const work = this.execute(runId)
      .catch((error: unknown) => this.fail(runId, error))
      .catch((error: unknown) => this.log.error({ err: error, runId }, 'batch run bookkeeping failed'))
      .finally(() => this.active.delete(runId));
    this.active.set(runId, work);
  }

  private async fail(runId: string, error: unknown): Promise<void> {
    if (this.closed) return; // stopping: the run stays running in the store and resumes at the next start
    const e =
      error instanceof ModelyardError
        ? { code: error.code, message: error.message }
        : { code: 'batch_run_failed', message: messageOf(error) };
    const { store, config } = this.services();
    await store.updateBatchRun(runId, { status: 'failed', error: e, finishedAt: new Date().toISOString() });
    await rm(this.workDir(config.dataDir, runId), { recursive: true, force: true });
  }

  private workDir(dataDir: string, runId: string): string {
    return join(dataDir, 'tmp', 'batch', runId);
  }

  private partPath(dir: string, runId: string, part: number): string {
    return join(dir, `${runId}-part-${String(part).padStart(5, '0')}.parquet`);
  }

  private async execute(runId: string): Promise<void> {
    const services = this.services();
    const { store, artifacts, duck, models, config } = services;
    let run = (await store.getBatchRun(runId))!;
    const job = await store.getBatchJob(run.jobId);
    if (!job) throw new ModelyardError(404, 'batch_job_not_found', `The run's job ${run.jobId} was deleted.`);
    await store.updateBatchRun(runId, { status: 'running', startedAt: run.startedAt ?? new Date().toISOString() });
    if (run.inputVersion === null) {
      const input = await materializeSqlInput(services, job, run.createdBy);
      await store.clearBatchPartitions(runId);
      await store.updateBatchRun(runId, {
        inputDatasetId: input.version.datasetId,
        inputVersion: input.version.version,
        inputParents: input.parents,
        rowsTotal: input.version.rows,
      });
      run = (await store.getBatchRun(runId))!;
    }
    const input = await store.getDatasetVersion(run.inputDatasetId!, run.inputVersion!);
    if (!input) throw unprocessable('batch_input_gone', `The input version ${run.inputVersion} was deleted.`);
    const artifact = await models.load(run.artifactKey!);
    const dir = this.workDir(config.dataDir, runId);
    await mkdir(dir, { recursive: true });
    await artifacts.withLocalFile(input.snapshotKey, async (inputPath) => {
      const columns = await duck.withConnection((c) => describeParquet(c, inputPath));
      const features = featureReads(artifact, columns);
      const keep = keptColumns(
        job,
        columns.map((c) => c.name),
      );
      const added = outputNames(job, artifact);
      const clash = added.find((name) => keep.includes(name) || added.indexOf(name) !== added.lastIndexOf(name));
      if (clash !== undefined) {
        throw unprocessable('output_column_conflict', `The output column '${clash}' is also an input column.`, {
          column: clash,
        });
      }
      const t0 = performance.now();
      await this.scorePartitions(run, input.rows, inputPath, features, artifact, dir);
      if (this.closed) return;
      const t1 = performance.now();
      const plan = {
        inputPath,
        partPaths: Array.from({ length: run.partitionsTotal }, (_, i) => this.partPath(dir, run.id, i)),
        artifact,
        keep,
        added,
      };
      const snapshot = join(dir, 'output.parquet');
      const outputsOnly = join(dir, 'outputs-only.parquet');
      await combineParts(duck, plan, snapshot, outputsOnly);
      const t2 = performance.now();
      const profile = await outputProfile(duck, input.profile, plan, snapshot, outputsOnly);
      const t3 = performance.now();
      const stored = await storeOutput(artifacts, snapshot, profile);
      const t4 = performance.now();
      await this.register(run, job, input, stored);
      const t5 = performance.now();
      await writeOutputTable(services, job, run.id, stored.snapshotKey);
      await store.updateBatchRun(runId, { status: 'succeeded', finishedAt: new Date().toISOString() });
      const ms = {
        partitions: t1 - t0,
        join: t2 - t1,
        profile: t3 - t2,
        store: t4 - t3,
        register: t5 - t4,
        table: performance.now() - t5,
      };
      this.log.debug({ runId, ms }, 'batch run succeeded');
      this.onTimings?.(runId, ms);
    });
    // A stopping server keeps the part files: the run resumes from them at the next start.
    if (!this.closed) await rm(dir, { recursive: true, force: true });
  }

  private async scorePartitions(
    run: BatchRunRecord,
    rows: number,
    inputPath: string,
    features: ReturnType<typeof featureReads>,
    artifact: ModelArtifact,
    dir: string,
  ): Promise<void> {
    const { store } = this.services();
    const done = new Map((await store.batchPartitions(run.id)).map((p) => [p.part, p.rows]));
    const todo: number[] = [];
    for (let part = 0; part < run.partitionsTotal; part++) {
      const [start, end] = partitionBounds(rows, run.partitionsTotal, part);
      // Trust a recorded partition only when its file is there and holds exactly its rows.
      const recorded = done.get(part);
      if (recorded !== end - start || (await this.partRows(this.partPath(dir, run.id, part))) !== end - start) {
        todo.push(part);
      }
    }
    let failure: unknown;
    await Promise.all(
      todo.map(async (part) => {
        if (failure !== undefined || this.closed) return;
        const [rowStart, rowEnd] = partitionBounds(rows, run.partitionsTotal, part);
        const reply = await this.pool.run(
          {
            taskId: `${run.id}/${part}`,
            artifactKey: run.artifactKey!,
            input: inputPath,
            rowStart,
            rowEnd,
            features,
            partPath: this.partPath(dir, run.id, part),
          },
          () => artifact,
        );
        if (this.closed) return;
        if (reply.type === 'failed') {
          failure ??= new ModelyardError(422, reply.code, reply.message, reply.details);
          return;
        }
        this.log.debug({ runId: run.id, part, rows: reply.rows, ms: reply.ms }, 'batch partition scored');
        await store.recordBatchPartition(run.id, part, reply.rows);
        await this.afterPartition?.(run, part);
      }),
    );
    if (failure !== undefined) throw failure;
  }

  /** Rows of a complete part file, or -1 when it is missing or unreadable (a torn write never got its name). */
  private async partRows(path: string): Promise<number> {
    try {
      await stat(path);
      return await this.services().duck.withConnection(async (c) => {
        const r = await c.runAndReadAll(`SELECT count(*)::DOUBLE FROM read_parquet(${quoteLiteral(path)})`);
        return Number(r.getRows()[0]?.[0] ?? -1);
      });
    } catch {
      return -1;
    }
  }

  private async register(
    run: BatchRunRecord,
    job: BatchJob,
    input: DatasetVersionRecord,
    ingested: IngestResult,
  ): Promise<void> {
    const services = this.services();
    const { store } = services;
    const saved = await saveDatasetVersion(
      services,
      { projectId: job.projectId, name: job.outputDataset, description: '', userId: run.createdBy },
      ingested,
      `batch:${job.name}`,
    );
    const ref = { datasetId: saved.dataset.id, version: saved.version.version };
    // A SQL source's own dataset carries what its query read, so the output's one parent is the version it scored.
    await store.addDatasetVersionParents(ref, [{ datasetId: input.datasetId, version: input.version }]);
    const modelName = job.model.slice(0, job.model.indexOf('@'));
    const by = { actor: run.createdBy, action: 'dataset.version.tag', projectId: job.projectId };
    await store.setDatasetTag(ref, 'modelyard.batch.model', `${modelName}@${run.modelVersion}`, by);
    await store.setDatasetTag(ref, 'modelyard.batch.run', run.id, by);
    await store.setDatasetTag(ref, 'modelyard.batch.job', job.id, by);
    await store.updateBatchRun(run.id, { outputDatasetId: ref.datasetId, outputVersion: ref.version });
  }

  /** Stops scheduling and scoring; runs in flight stay `running` in the store and resume at the next start. */
  async close(): Promise<void> {
    this.closed = true;
    this.schedules.close();
    await this.pool.close();
    await Promise.allSettled([...this.active.values()]);
  }
}

function keptColumns(job: BatchJob, available: string[]): string[] {
  if (job.keepColumns === null) return available;
  const missing = job.keepColumns.filter((c) => !available.includes(c));
  if (missing.length > 0) {
    throw unprocessable('unknown_column', `The input has no column ${missing.map((m) => `'${m}'`).join(', ')}.`, {
      missing,
      available,
    });
  }
  return job.keepColumns;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
