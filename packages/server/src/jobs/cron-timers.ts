// One croner timer per key (a batch job, an endpoint's drift monitor), restartable and stoppable. Every server
// process runs the timers; the store's compare-and-set on the next tick decides which replica acts on a tick.

import { Cron } from 'croner';

export class CronTimers {
  private readonly crons = new Map<string, Cron>();
  private closed = false;

  constructor(private readonly fire: (key: string) => Promise<void>) {}

  /** (Re)starts the key's timer; null stops it. */
  set(key: string, expression: string | null): void {
    this.remove(key);
    if (this.closed || expression === null) return;
    this.crons.set(key, new Cron(expression, { unref: true, protect: true }, () => this.fire(key)));
  }

  remove(key: string): void {
    this.crons.get(key)?.stop();
    this.crons.delete(key);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    this.closed = true;
    for (const key of [...this.crons.keys()]) this.remove(key);
  }
}

/** Whether a tick at `now` should act for a schedule claimed for `nextRunAt`: timers may fire a little early. */
export function tickIsDue(nextRunAt: string, now: Date): boolean {
  return Date.parse(nextRunAt) <= now.getTime() + 500;
}
