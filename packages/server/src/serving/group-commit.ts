// Durable batched writes: callers wait until their entry is committed, and entries that arrive while a commit runs
// go together in the next one, so a busy endpoint pays one transaction per batch rather than one per request.

import { ModelyardError } from '../errors.js';

interface Pending<T> {
  entries: T[];
  waiters: { resolve: () => void; reject: (error: unknown) => void }[];
}

export class GroupCommit<T> {
  private pending: Pending<T> = { entries: [], waiters: [] };
  private writing: Promise<void> | undefined;

  /**
   * @param write commits one batch (one transaction)
   * @param maxPending entries waiting beyond this are refused (503) instead of growing memory without bound
   */
  constructor(
    private readonly write: (entries: T[]) => Promise<void>,
    private readonly maxPending = 50_000,
  ) {}

  /** Throws 503 `log_backlog` when no more entries may wait; callers check before doing work they must log. */
  checkRoom(): void {
    if (this.pending.entries.length >= this.maxPending) {
      throw new ModelyardError(503, 'log_backlog', 'The inference log is behind; retry in a moment.', {
        pending: this.pending.entries.length,
      });
    }
  }

  /** Resolves once the entry is committed. */
  append(entry: T): Promise<void> {
    try {
      this.checkRoom();
    } catch (error) {
      return Promise.reject(error);
    }
    const done = new Promise<void>((resolve, reject) => this.pending.waiters.push({ resolve, reject }));
    this.pending.entries.push(entry);
    if (this.writing === undefined) this.writing = this.drain();
    return done;
  }

  /** Entries waiting for a commit. */
  get backlog(): number {
    return this.pending.entries.length;
  }

  /** Resolves when everything appended so far is committed (or failed). */
  async flush(): Promise<void> {
    while (this.writing !== undefined) await this.writing;
  }

  private async drain(): Promise<void> {
    // Let the requests of this event-loop turn join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.entries.length > 0) {
      const batch = this.pending;
      this.pending = { entries: [], waiters: [] };
      try {
        await this.write(batch.entries);
        for (const waiter of batch.waiters) waiter.resolve();
      } catch (error) {
        for (const waiter of batch.waiters) waiter.reject(error);
      }
    }
    this.writing = undefined;
  }
}
