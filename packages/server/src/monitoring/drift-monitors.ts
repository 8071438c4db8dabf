// Scheduled drift: each endpoint's monitor compares, at every tick of its cron schedule, the last `window` of traffic
// with its reference (the training profile, or the window just before) and stores the report. Replicas on one
// database act on a tick once (compare-and-set on next_run_at, as batch schedules do).

import type { DriftMonitor } from '@modelyard/client';
import type { Logger } from 'pino';
import { badRequest } from '../errors.js';
import { CronTimers, tickIsDue } from '../jobs/cron-timers.js';
import { nextRunAfter } from '../jobs/batch-schedule.js';
import type { Services } from '../services.js';
import { runEndpointDrift } from './endpoint-drift.js';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `15m`, `1h`, `7d` in milliseconds (400 `invalid_window` otherwise). */
export function durationMs(text: string): number {
  const match = /^([1-9]\d{0,4})(m|h|d)$/.exec(text);
  if (!match) throw badRequest('invalid_window', `'${text}' is not a duration such as 15m, 1h or 7d.`);
  return Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
}

export class DriftMonitors {
  private readonly timers = new CronTimers((endpointId) => this.fire(endpointId));

  constructor(
    private readonly services: () => Services,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    for (const monitor of await this.services().store.scheduledDriftMonitors()) this.set(monitor);
  }

  set(monitor: DriftMonitor): void {
    this.timers.set(monitor.endpointId, monitor.schedule);
  }

  remove(endpointId: string): void {
    this.timers.remove(endpointId);
  }

  /** One scheduled comparison, now (also what a tick runs once it has claimed the tick). */
  async runNow(monitor: DriftMonitor, at = new Date()) {
    const endpoint = await this.services().store.getEndpoint(monitor.endpointId);
    if (!endpoint) return undefined;
    const length = durationMs(monitor.window);
    const to = at.toISOString();
    const from = new Date(at.getTime() - length).toISOString();
    const reference =
      monitor.reference.kind === 'training'
        ? ({ kind: 'training' } as const)
        : { kind: 'window' as const, from: new Date(at.getTime() - 2 * length).toISOString(), to: from };
    return runEndpointDrift(
      this.services(),
      endpoint,
      { from, to, reference, columns: monitor.columns, share: monitor.share },
      'schedule',
    );
  }

  private async fire(endpointId: string): Promise<void> {
    try {
      const { store } = this.services();
      const monitor = await store.getDriftMonitor(endpointId);
      if (!monitor?.schedule) {
        this.remove(endpointId);
        return;
      }
      const now = new Date();
      if (monitor.nextRunAt === null || !tickIsDue(monitor.nextRunAt, now)) return;
      const next = nextRunAfter(monitor.schedule, new Date(Math.max(Date.parse(monitor.nextRunAt), now.getTime())));
      if (!(await store.claimDriftTick(endpointId, monitor.nextRunAt, next))) return;
      if (this.timers.isClosed) return;
      await this.runNow(monitor, now);
    } catch (error) {
      this.log.error({ err: error, endpointId }, 'scheduled drift failed');
    }
  }

  close(): void {
    this.timers.close();
  }
}
