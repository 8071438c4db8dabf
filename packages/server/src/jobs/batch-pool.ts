// The scoring threads of batch runs: at most `size` partitions at once, one per thread; a crashed thread is replaced.

import type { Worker } from 'node:worker_threads';
import type { BatchPartitionReply, BatchPartitionRequest } from './batch-messages.js';
import { startModuleWorker } from './module-worker.js';

interface Slot {
  worker: Worker;
  busy: boolean;
  /** The artifact this thread holds, so a run sends it once per thread. */
  artifactKey: string | null;
}

export class BatchPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: ((slot: Slot) => void)[] = [];
  private closed = false;

  constructor(readonly size: number) {}

  private spawn(): Slot {
    const worker = startModuleWorker(new URL('./batch-worker.js', import.meta.url), import.meta.url);
    worker.unref();
    const slot: Slot = { worker, busy: true, artifactKey: null };
    this.slots.push(slot);
    return slot;
  }

  private async acquire(): Promise<Slot> {
    const idle = this.slots.find((s) => !s.busy);
    if (idle) {
      idle.busy = true;
      return idle;
    }
    if (this.slots.length < Math.max(1, this.size)) return this.spawn();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(slot: Slot): void {
    const next = this.waiting.shift();
    if (next) next(slot);
    else slot.busy = false;
  }

  /** Scores one partition; the artifact travels only to threads that do not hold it yet. */
  async run(request: Omit<BatchPartitionRequest, 'artifact'>, artifact: () => unknown): Promise<BatchPartitionReply> {
    if (this.closed) throw new Error('The batch scoring pool is closed.');
    let slot = await this.acquire();
    const message: BatchPartitionRequest = {
      ...request,
      ...(slot.artifactKey !== request.artifactKey && {
        artifact: artifact() as NonNullable<BatchPartitionRequest['artifact']>,
      }),
    };
    slot.artifactKey = request.artifactKey;
    const reply = await new Promise<BatchPartitionReply>((resolve) => {
      if (this.closed) {
        resolve({ type: 'failed', taskId: request.taskId, code: 'worker_crashed', message: 'The pool closed.' });
        return;
      }
      const worker = slot.worker;
      const onMessage = (m: BatchPartitionReply): void => {
        if (m.taskId !== request.taskId) return;
        cleanup();
        resolve(m);
      };
      const lost = (message: string): void => {
        cleanup();
        const index = this.slots.indexOf(slot);
        if (index >= 0) this.slots.splice(index, 1);
        void slot.worker.terminate();
        // A closing pool terminates its threads: nothing replaces them.
        if (!this.closed) slot = this.spawn();
        resolve({ type: 'failed', taskId: request.taskId, code: 'worker_crashed', message });
      };
      const onError = (error: Error): void => lost(error.message);
      const onExit = (code: number): void => lost(`The scoring thread exited (${code}).`);
      const cleanup = (): void => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage(message);
    });
    this.release(slot);
    return reply;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
  }
}
