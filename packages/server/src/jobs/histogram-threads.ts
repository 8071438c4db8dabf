// Helper threads for the engine's tree trainers: they sum shares of each histogram over shared memory.

import { once } from 'node:events';
import type { Worker } from 'node:worker_threads';
import type { HelperThreads, HistogramHelperMessage } from '@modelyard/engine';
import { startModuleWorker } from './module-worker.js';

/**
 * `size` helpers beside the training thread (so size + 1 threads build each histogram). The helpers idle in their
 * event loops between trainings and do not keep the process alive.
 */
export class HistogramThreads implements HelperThreads {
  private readonly workers: Worker[];
  private readonly started: Promise<unknown>;

  /** See HelperThreads.spins; set per training (long only when the training's threads have the cores to themselves). */
  spins: number | undefined;

  constructor(
    readonly size: number,
    readonly minParallelUpdates?: number,
  ) {
    this.workers = Array.from({ length: size }, () => {
      const worker = startModuleWorker(new URL('./histogram-worker.js', import.meta.url), import.meta.url);
      worker.unref();
      return worker;
    });
    // Each helper says 'ready' once it has loaded the engine.
    this.started = Promise.all(this.workers.map((worker) => once(worker, 'message')));
    this.started.catch(() => undefined);
  }

  /** Resolves once every helper has started (a training posted before then waits for them inside its run). */
  async ready(): Promise<void> {
    await this.started;
  }

  post(helper: number, message: HistogramHelperMessage): void {
    this.workers[helper]!.postMessage(message);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }
}
