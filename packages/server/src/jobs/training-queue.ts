// The local job queue for training runs: FIFO in the process, executed on the thread pool, state kept in the store.

import { availableParallelism } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import type { RunEnvironment } from '@modelyard/client';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { loadFrame, type DuckDb } from '../data/index.js';
import type { MetadataStore, RunRecord } from '../store/metadata-store.js';
import { parseArtifact, type ModelArtifact, type OutOfFold } from '@modelyard/engine';
import { decodeOof, encodeOof, oofKeyOf } from './oof-codec.js';
import type { AlgorithmName } from '../tracking/algorithms.js';
import { ThreadPool } from './thread-pool.js';

export interface TrainingQueueDeps {
  store: MetadataStore;
  artifacts: ArtifactStore;
  duck: DuckDb;
  environment: RunEnvironment;
  threads: number;
  /** Threads per tree-model training (see ServerConfig.trainThreads). */
  trainThreads: number;
  log: FastifyBaseLogger;
}

export const artifactKeyOf = (runId: string): string => `runs/${runId}/model.json`;

/** The metric a training's intermediate values are kept under (holdout loss after each round). */
export const INTERMEDIATE_METRIC = 'holdout_loss';

/** Watches trainings that report intermediate values and may stop them (an HPO study's pruner). */
export interface TrainingWatcher {
  /** Whether this run's intermediate values matter (asked once, before it trains). */
  watches(run: RunRecord): Promise<boolean>;
  /** A new value after `step` rounds; resolves true to stop the training. */
  onIntermediate(
    run: RunRecord,
    step: number,
    value: number,
    curve: readonly { step: number; value: number }[],
  ): Promise<boolean>;
}

export class TrainingQueue {
  private readonly pool: ThreadPool;
  private readonly pending: string[] = [];
  private readonly active = new Map<string, Promise<void>>();
  private readonly idleWaiters: (() => void)[] = [];
  private readonly finishedListeners: ((runId: string) => void)[] = [];
  private watcher: TrainingWatcher | undefined;
  private closed = false;

  constructor(private readonly deps: TrainingQueueDeps) {
    this.pool = new ThreadPool(deps.threads);
  }

  /** Picks up runs a previous process accepted but did not finish. */
  async recover(): Promise<void> {
    for (const run of await this.deps.store.runsWithStatus(['queued', 'running'])) this.enqueue(run.id);
  }

  watchWith(watcher: TrainingWatcher): void {
    this.watcher = watcher;
  }

  /** Called after each run this queue executed has ended (succeeded, failed, or found already done). */
  onFinished(listener: (runId: string) => void): void {
    this.finishedListeners.push(listener);
  }

  enqueue(runId: string): void {
    if (this.closed) return;
    this.pending.push(runId);
    this.pump();
  }

  private pump(): void {
    while (!this.closed && this.pending.length > 0 && this.active.size < Math.max(1, this.deps.threads)) {
      const runId = this.pending.shift()!;
      const job = this.execute(runId)
        .catch((error: unknown) => this.deps.log.error({ err: error, runId }, 'training job crashed'))
        .finally(() => {
          this.active.delete(runId);
          if (!this.closed) {
            for (const listener of this.finishedListeners) {
              try {
                listener(runId);
              } catch (error) {
                this.deps.log.error({ err: error, runId }, 'run-finished listener failed');
              }
            }
          }
          this.pump();
          if (this.active.size === 0 && this.pending.length === 0) this.idleWaiters.splice(0).forEach((f) => f());
        });
      this.active.set(runId, job);
    }
  }

  /** Resolves when nothing is queued or running (tests and graceful shutdown). */
  async idle(): Promise<void> {
    if (this.active.size === 0 && this.pending.length === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private async execute(runId: string): Promise<void> {
    const { store, artifacts, duck, log } = this.deps;
    const run = await store.getRun(runId);
    if (!run || run.status === 'succeeded' || run.status === 'failed' || run.status === 'killed') return;
    const started = Date.now();
    await store.updateRun(runId, {
      status: 'running',
      startedAt: new Date(started).toISOString(),
      progress: 0,
      environment: this.deps.environment,
    });
    const failRun = async (code: string, message: string): Promise<void> => {
      await store.updateRun(runId, {
        status: 'failed',
        error: { code, message },
        finishedAt: new Date().toISOString(),
        durationMs: Date.now() - started,
      });
      log.info({ runId, code }, 'run failed');
    };
    try {
      if (run.kind !== 'training' || !run.datasetId || !run.datasetVersion || !run.task || !run.target) {
        return await failRun('training_failed', 'This run has no training request to run.');
      }
      const version = await store.getDatasetVersion(run.datasetId, run.datasetVersion);
      if (!version) return await failRun('dataset_version_not_found', "The run's dataset version no longer exists.");
      const frame = await artifacts.withLocalFile(version.snapshotKey, (path) => loadFrame(duck, path));
      const columns = frame.names.map((name) => frame.column(name));
      let lastSaved = 0;
      // Cross-validation and stacking are how the run trains, not parameters of its algorithm.
      const { cvFolds: folds, stackedRuns, ...trainerParams } = run.params;
      const cvFolds = typeof folds === 'number' ? folds : undefined;
      const stack = typeof stackedRuns === 'string' ? await this.stackBases(stackedRuns.split(',')) : undefined;
      const watched = this.watcher !== undefined && (await this.watcher.watches(run));
      const stop = watched ? new SharedArrayBuffer(4) : undefined;
      const curve: { step: number; value: number }[] = [];
      let prunedAt: number | undefined;
      const onIntermediate = (step: number, value: number): void => {
        curve.push({ step, value });
        void this.watcher!.onIntermediate(run, step, value, curve).then(
          (prune) => {
            if (prune && prunedAt === undefined && stop) {
              prunedAt = step;
              Atomics.store(new Int32Array(stop), 0, 1);
            }
          },
          (error: unknown) => log.error({ err: error, runId }, 'pruner failed'),
        );
      };
      const reply = await this.pool.run(
        {
          type: 'train',
          jobId: runId,
          columns,
          target: run.target,
          task: run.task,
          algorithm: (run.algorithm ?? '') as AlgorithmName,
          params: trainerParams,
          ...(cvFolds !== undefined && { cvFolds }),
          ...(stack !== undefined && { stack }),
          threads: this.deps.trainThreads,
          // Busy-waiting helpers only pay off with the cores to themselves: no other training running now.
          spinWait: this.active.size === 1 && this.deps.trainThreads <= availableParallelism(),
          ...(watched && { reportIntermediate: true, stop }),
        },
        (fraction) => {
          if (Date.now() - lastSaved < 250) return;
          lastSaved = Date.now();
          void store.updateRun(runId, { progress: Math.min(0.99, fraction) }).catch(() => undefined);
        },
        watched ? onIntermediate : undefined,
      );
      if (curve.length > 0) {
        const at = Date.now();
        await store.logRunData(runId, {
          metrics: curve.map((p) => ({ key: INTERMEDIATE_METRIC, value: p.value, step: p.step, timestamp: at })),
        });
      }
      if (reply.type === 'failed' && reply.code === 'stopped' && prunedAt !== undefined) {
        await store.updateRun(runId, {
          status: 'killed',
          error: { code: 'pruned', message: `Pruned after ${prunedAt} rounds: its holdout loss was not promising.` },
          finishedAt: new Date().toISOString(),
          durationMs: Date.now() - started,
        });
        log.info({ runId, step: prunedAt }, 'run pruned');
        return;
      }
      if (reply.type !== 'done') {
        return await failRun(
          reply.type === 'failed' ? reply.code : 'training_failed',
          reply.type === 'failed' ? reply.message : 'Training failed.',
        );
      }
      if (reply.oof !== undefined) await artifacts.putBytes(oofKeyOf(runId), encodeOof(reply.oof));
      const key = artifactKeyOf(runId);
      await artifacts.putBytes(key, new TextEncoder().encode(JSON.stringify(reply.artifact)));
      const finished = Date.now();
      const metrics = { ...reply.metrics, train_rows: reply.trainRows, test_rows: reply.testRows };
      await store.logRunData(runId, {
        metrics: Object.entries(metrics).map(([key, value]) => ({ key, value, step: 0, timestamp: finished })),
      });
      await store.updateRun(runId, {
        status: 'succeeded',
        progress: 1,
        artifactKey: key,
        finishedAt: new Date().toISOString(),
        durationMs: Date.now() - started,
      });
      log.info({ runId, ms: Date.now() - started }, 'run succeeded');
    } catch (error) {
      log.error({ err: error, runId }, 'run crashed');
      await failRun('training_failed', error instanceof Error ? error.message : String(error));
    }
  }

  /** The models and out-of-fold predictions of the cross-validated runs a stacked ensemble combines. */
  private async stackBases(runIds: string[]): Promise<{ bases: { artifact: ModelArtifact; oof: OutOfFold }[] }> {
    const { artifacts } = this.deps;
    const bases = [];
    for (const id of runIds) {
      const artifact = parseArtifact(JSON.parse(new TextDecoder().decode(await artifacts.getBytes(artifactKeyOf(id)))));
      bases.push({ artifact, oof: decodeOof(await artifacts.getBytes(oofKeyOf(id))) });
    }
    return { bases };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.pending.length = 0;
    await Promise.allSettled(this.active.values());
    await this.pool.close();
  }
}
