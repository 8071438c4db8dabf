// Cron schedules of batch jobs: croner ticks in every server process, and the store decides which one starts the run
// (a compare-and-set on the job's next_run_at), so replicas sharing one database start each scheduled run once.

import { Cron } from 'croner';
import type { Logger } from 'pino';
import type { BatchJob } from '@modelyard/client';
import { badRequest } from '../errors.js';
import { CronTimers, tickIsDue } from './cron-timers.js';
import type { Services } from '../services.js';

/** Throws 400 `invalid_schedule` unless croner reads `expression` and it fires at least once more. */
export function checkSchedule(expression: string): void {
  let next: Date | null;
  try {
    next = new Cron(expression, { paused: true }).nextRun();
  } catch (error) {
    throw badRequest(
      'invalid_schedule',
      `'${expression}' is not a cron expression: ${error instanceof Error ? error.message : String(error)}`,
      { schedule: expression },
    );
  }
  if (next === null) {
    throw badRequest('invalid_schedule', `'${expression}' never fires again.`, { schedule: expression });
  }
}

/** The first time the schedule fires strictly after `after`, as ISO text; null when it never does. */
export function nextRunAfter(expression: string, after: Date): string | null {
  return new Cron(expression, { paused: true }).nextRun(after)?.toISOString() ?? null;
}

export class BatchSchedules {
  private readonly timers = new CronTimers((jobId) => this.fire(jobId));

  constructor(
    private readonly services: () => Services,
    private readonly tick: (job: BatchJob) => Promise<void>,
    private readonly log: Logger,
  ) {}

  async start(): Promise<void> {
    for (const job of await this.services().store.scheduledBatchJobs()) this.set(job);
  }

  /** (Re)starts the job's timer after a create or change; a job without a schedule has none. */
  set(job: BatchJob): void {
    this.timers.set(job.id, job.schedule);
  }

  remove(jobId: string): void {
    this.timers.remove(jobId);
  }

  private async fire(jobId: string): Promise<void> {
    try {
      const { store } = this.services();
      const job = await store.getBatchJob(jobId);
      if (!job?.schedule) {
        this.remove(jobId);
        return;
      }
      const now = new Date();
      if (job.nextRunAt === null) {
        await store.updateBatchJob(
          jobId,
          { nextRunAt: nextRunAfter(job.schedule, now) },
          { actor: job.createdBy, action: 'batch_job.schedule', projectId: job.projectId },
        );
        return;
      }
      // A tick well before the claimed time belongs to an older schedule.
      if (!tickIsDue(job.nextRunAt, now)) return;
      const due = Date.parse(job.nextRunAt);
      const next = nextRunAfter(job.schedule, new Date(Math.max(due, now.getTime())));
      if (!(await store.claimBatchTick(jobId, job.nextRunAt, next))) return; // another replica took this tick
      if (this.timers.isClosed) return;
      await this.tick(job);
    } catch (error) {
      this.log.error({ err: error, jobId }, 'batch schedule tick failed');
    }
  }

  close(): void {
    this.timers.close();
  }
}
