// Scheduled retraining: each schedule's croner timer starts, on every tick, a retraining run from the schedule's
// template (the path alert actions take), registers the result and moves the alias through the gates; the outcome of
// every tick is kept. Replicas on one database act on a tick once (compare-and-set on next_run_at).

import type { Logger } from 'pino';
import type { FailingGate, RetrainSchedule, RetrainScheduleRun } from '@modelyard/client';
import { nextRunAfter } from '../jobs/batch-schedule.js';
import { CronTimers, tickIsDue } from '../jobs/cron-timers.js';
import type { Services } from '../services.js';
import { newId } from '../store/ids.js';
import { registerRetrained, startRetrainingRun } from './alert-retrain.js';

/** The run tag that ties a retraining run to the schedule tick (history entry) that started it. */
export const RETRAIN_SCHEDULE_TAG = 'modelyard.retrain_schedule_run';

type Deps = Pick<Services, 'store' | 'artifacts' | 'serving' | 'training' | 'probes'>;

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export class RetrainSchedules {
  private readonly timers = new CronTimers(async (id) => {
    try {
      await this.tick(id);
    } catch (error) {
      this.log.error({ err: error, schedule: id }, 'scheduled retraining failed');
    }
  });

  constructor(
    private readonly services: () => Deps,
    private readonly log: Logger,
  ) {}

  /** Starts every schedule's timer and follows the runs the schedules started, including those that ended meanwhile. */
  async start(): Promise<void> {
    const { store, training } = this.services();
    training.onFinished((runId) => {
      this.onRunFinished(runId).catch((error: unknown) =>
        this.log.error({ err: error, runId }, 'scheduled retraining follow-up failed'),
      );
    });
    for (const schedule of await store.allRetrainSchedules()) this.set(schedule);
    await this.recover();
  }

  set(schedule: RetrainSchedule): void {
    this.timers.set(schedule.id, schedule.schedule);
  }

  remove(id: string): void {
    this.timers.remove(id);
  }

  /**
   * One tick at `now`: when the schedule is due, claims the tick (one caller of all replicas wins) and starts the
   * retraining run. Returns the history entry, or undefined when the tick was not due or another caller took it.
   */
  async tick(id: string, now = new Date()): Promise<RetrainScheduleRun | undefined> {
    const { store } = this.services();
    const schedule = await store.getRetrainSchedule(id);
    if (!schedule) {
      this.remove(id);
      return undefined;
    }
    const due = schedule.nextRunAt;
    if (due === null || !tickIsDue(due, now)) return undefined;
    const next = nextRunAfter(schedule.schedule, new Date(Math.max(Date.parse(due), now.getTime())));
    if (!(await store.claimRetrainTick(id, due, next))) return undefined;
    if (this.timers.isClosed) return undefined;
    return this.startRun(schedule, due);
  }

  private async startRun(schedule: RetrainSchedule, tickAt: string): Promise<RetrainScheduleRun> {
    const services = this.services();
    const { store } = services;
    const entry = await store.addRetrainScheduleRun({
      id: newId('rtr'),
      scheduleId: schedule.id,
      tickAt,
      startedAt: new Date().toISOString(),
      status: 'training',
      runId: null,
      model: schedule.registerAs,
      modelVersion: null,
      message: null,
      failingGates: [],
    });
    try {
      const runId = await startRetrainingRun(services, {
        projectId: schedule.projectId,
        actor: schedule.createdBy,
        name: `retrain-${schedule.registerAs}`,
        template: schedule.runTemplate,
        tags: { [RETRAIN_SCHEDULE_TAG]: entry.id, 'modelyard.retrain_schedule': schedule.id },
        details: { retrainSchedule: schedule.id, tick: tickAt },
        beforeEnqueue: (id) => store.updateRetrainScheduleRun(entry.id, { runId: id }),
      });
      return { ...entry, runId };
    } catch (error) {
      const change = { status: 'failed' as const, message: message(error), finishedAt: new Date().toISOString() };
      await store.updateRetrainScheduleRun(entry.id, change);
      return { ...entry, ...change };
    }
  }

  /** Called for every finished run; acts on those a schedule started. */
  async onRunFinished(runId: string): Promise<void> {
    const { store } = this.services();
    const run = await store.getRun(runId);
    const entryId = run?.tags[RETRAIN_SCHEDULE_TAG];
    if (!run || entryId === undefined) return;
    const entry = await store.getRetrainScheduleRun(entryId);
    if (!entry || entry.status !== 'training' || entry.runId !== runId) return;
    await this.finish(entry);
  }

  /** History entries whose run finished while the server was down. */
  async recover(): Promise<void> {
    const { store } = this.services();
    for (const entry of await store.retrainScheduleRunsWithStatus('training')) {
      if (entry.runId === null) continue;
      const run = await store.getRun(entry.runId);
      if (run && run.status !== 'queued' && run.status !== 'running') await this.finish(entry);
    }
  }

  private async finish(entry: RetrainScheduleRun): Promise<void> {
    const services = this.services();
    const { store } = services;
    const run = await store.getRun(entry.runId!);
    const finishedAt = new Date().toISOString();
    if (!run || run.status !== 'succeeded') {
      await store.updateRetrainScheduleRun(entry.id, {
        status: 'failed',
        message: `The retraining run ended ${run?.status ?? 'missing'}${run?.error ? `: ${run.error.message}` : ''}.`,
        finishedAt,
      });
      return;
    }
    const schedule = await store.getRetrainSchedule(entry.scheduleId);
    if (!schedule) return; // deleted with its history
    try {
      const outcome = await registerRetrained(services, {
        projectId: schedule.projectId,
        actor: schedule.createdBy,
        runId: run.id,
        registerAs: schedule.registerAs,
        promoteAlias: schedule.promoteAlias,
        details: { retrainSchedule: schedule.id, tick: entry.tickAt },
      });
      await store.updateRetrainScheduleRun(entry.id, {
        status: outcome.status,
        modelVersion: outcome.modelVersion,
        message: outcome.message,
        failingGates: (outcome.failing ?? []) as FailingGate[],
        finishedAt,
      });
    } catch (error) {
      this.log.error({ err: error, schedule: schedule.id }, 'registering a scheduled retraining failed');
      await store.updateRetrainScheduleRun(entry.id, { status: 'failed', message: message(error), finishedAt });
    }
  }

  close(): void {
    this.timers.close();
  }
}
