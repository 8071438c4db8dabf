// A fixed pool of training threads; each runs one job at a time, and a crashed thread is replaced.

import type { Worker } from 'node:worker_threads';
import type { Column } from '@modelyard/engine';
import { startModuleWorker } from './module-worker.js';
import type { TrainReply, TrainRequest } from './train-messages.js';

function createWorker(): Worker {
  return startModuleWorker(new URL('./train-worker.js', import.meta.url), import.meta.url);
}

interface Slot {
  worker: Worker;
  busy: boolean;
}

export class ThreadPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: ((slot: Slot) => void)[] = [];
  private closed = false;

  constructor(private readonly size: number) {}

  private spawn(): Slot {
    const slot: Slot = { worker: createWorker(), busy: false };
    slot.worker.unref();
    this.slots.push(slot);
    return slot;
  }

  private async acquire(): Promise<Slot> {
    const idle = this.slots.find((s) => !s.busy);
    if (idle) return idle;
    if (this.slots.length < Math.max(1, this.size)) return this.spawn();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(slot: Slot): void {
    const next = this.waiting.shift();
    if (next) next(slot);
    else slot.busy = false;
  }

  private replace(slot: Slot): Slot {
    this.slots.splice(this.slots.indexOf(slot), 1);
    void slot.worker.terminate();
    return this.spawn();
  }

  /** Runs one training request; `onProgress` and `onIntermediate` see the worker's progress and loss messages. */
  async run(
    request: TrainRequest,
    onProgress: (fraction: number) => void,
    onIntermediate?: (step: number, value: number) => void,
  ): Promise<TrainReply> {
    if (this.closed) throw new Error('The training pool is closed.');
    let slot = await this.acquire();
    slot.busy = true;
    const result = await new Promise<TrainReply>((resolve) => {
      const worker = slot.worker;
      const onMessage = (reply: TrainReply): void => {
        if (reply.jobId !== request.jobId) return;
        if (reply.type === 'progress') {
          onProgress(reply.fraction);
          return;
        }
        if (reply.type === 'intermediate') {
          onIntermediate?.(reply.step, reply.value);
          return;
        }
        cleanup();
        resolve(reply);
      };
      const onError = (error: Error): void => {
        cleanup();
        slot = this.replace(slot);
        resolve({ type: 'failed', jobId: request.jobId, code: 'worker_crashed', message: error.message });
      };
      const onExit = (code: number): void => {
        cleanup();
        slot = this.replace(slot);
        resolve({ type: 'failed', jobId: request.jobId, code: 'worker_crashed', message: `Worker exited (${code}).` });
      };
      const cleanup = (): void => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage(request, transferList(request.columns));
    });
    this.release(slot);
    return result;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
  }
}

/** The frame's buffers move to the worker instead of being copied. */
function transferList(columns: Column[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const c of columns) {
    const array = c.kind === 'number' ? c.values : c.codes;
    if (array.buffer instanceof ArrayBuffer && array.byteOffset === 0 && array.byteLength === array.buffer.byteLength) {
      buffers.add(array.buffer);
    }
  }
  return [...buffers];
}
