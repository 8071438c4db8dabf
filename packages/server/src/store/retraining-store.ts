// Metadata store, retraining schedules: a model's cron schedules that start retraining runs, the tick claim that lets
// one replica act on a tick, and the history of what each tick came to.

import type { Kysely } from 'kysely';
import type { FailingGate, RetrainSchedule, RetrainScheduleRun } from '@modelyard/client';
import type { AuditBy } from './metadata-store.js';
import type { Database } from './schema.js';
import { auditWrite, now } from './store-support.js';

export type NewRetrainScheduleRecord = Omit<RetrainSchedule, 'createdAt'>;
export type RetrainScheduleRunChange = Partial<
  Pick<RetrainScheduleRun, 'status' | 'runId' | 'modelVersion' | 'message' | 'failingGates' | 'finishedAt'>
>;

export interface RetrainingStore {
  createRetrainSchedule(schedule: NewRetrainScheduleRecord, by: AuditBy): Promise<RetrainSchedule>;
  getRetrainSchedule(id: string): Promise<RetrainSchedule | undefined>;
  /** Oldest first. */
  listRetrainSchedules(modelId: string): Promise<RetrainSchedule[]>;
  /** Every schedule of every model, for the timers at start. */
  allRetrainSchedules(): Promise<RetrainSchedule[]>;
  /** Deletes the schedule and its history; false when there was none. */
  deleteRetrainSchedule(id: string, by: AuditBy): Promise<boolean>;
  /** Compare-and-set of next_run_at: true for the one caller (of all replicas) that moved it from `expected`. */
  claimRetrainTick(id: string, expected: string, next: string | null): Promise<boolean>;
  addRetrainScheduleRun(run: Omit<RetrainScheduleRun, 'finishedAt'>): Promise<RetrainScheduleRun>;
  updateRetrainScheduleRun(id: string, change: RetrainScheduleRunChange): Promise<void>;
  getRetrainScheduleRun(id: string): Promise<RetrainScheduleRun | undefined>;
  /** Newest first. */
  listRetrainScheduleRuns(scheduleId: string, limit: number): Promise<RetrainScheduleRun[]>;
  retrainScheduleRunsWithStatus(status: RetrainScheduleRun['status']): Promise<RetrainScheduleRun[]>;
}

function scheduleFrom(r: Database['retrain_schedules']): RetrainSchedule {
  return {
    id: r.id,
    projectId: r.project_id,
    modelId: r.model_id,
    schedule: r.schedule,
    runTemplate: JSON.parse(r.run_template) as RetrainSchedule['runTemplate'],
    registerAs: r.register_as,
    promoteAlias: r.promote_alias,
    nextRunAt: r.next_run_at,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

const STATUSES = new Set<RetrainScheduleRun['status']>([
  'training',
  'failed',
  'registered',
  'promoted',
  'gates_failed',
]);

function runFrom(r: Database['retrain_schedule_runs']): RetrainScheduleRun {
  const status = r.status as RetrainScheduleRun['status'];
  return {
    id: r.id,
    scheduleId: r.schedule_id,
    tickAt: r.tick_at,
    startedAt: r.started_at,
    status: STATUSES.has(status) ? status : 'failed',
    runId: r.run_id,
    model: r.model,
    modelVersion: r.model_version === null ? null : Number(r.model_version),
    message: r.message,
    failingGates: r.failing === null ? [] : (JSON.parse(r.failing) as FailingGate[]),
    finishedAt: r.finished_at,
  };
}

export function retrainingStore(db: Kysely<Database>): RetrainingStore {
  return {
    async createRetrainSchedule(schedule, by) {
      const row: Database['retrain_schedules'] = {
        id: schedule.id,
        project_id: schedule.projectId,
        model_id: schedule.modelId,
        schedule: schedule.schedule,
        run_template: JSON.stringify(schedule.runTemplate),
        register_as: schedule.registerAs,
        promote_alias: schedule.promoteAlias,
        next_run_at: schedule.nextRunAt,
        created_at: now(),
        created_by: schedule.createdBy,
      };
      await db.transaction().execute(async (tx) => {
        await tx.insertInto('retrain_schedules').values(row).execute();
        await auditWrite(tx, { ...by, projectId: schedule.projectId }, 'retrain_schedule', schedule.id);
      });
      return scheduleFrom(row);
    },

    async getRetrainSchedule(id) {
      const row = await db.selectFrom('retrain_schedules').selectAll().where('id', '=', id).executeTakeFirst();
      return row && scheduleFrom(row);
    },

    async listRetrainSchedules(modelId) {
      const rows = await db
        .selectFrom('retrain_schedules')
        .selectAll()
        .where('model_id', '=', modelId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(scheduleFrom);
    },

    async allRetrainSchedules() {
      return (await db.selectFrom('retrain_schedules').selectAll().execute()).map(scheduleFrom);
    },

    async deleteRetrainSchedule(id, by) {
      return db.transaction().execute(async (tx) => {
        await tx.deleteFrom('retrain_schedule_runs').where('schedule_id', '=', id).execute();
        const result = await tx.deleteFrom('retrain_schedules').where('id', '=', id).executeTakeFirst();
        const deleted = Number(result.numDeletedRows) > 0;
        if (deleted) await auditWrite(tx, by, 'retrain_schedule', id);
        return deleted;
      });
    },

    async claimRetrainTick(id, expected, next) {
      const result = await db
        .updateTable('retrain_schedules')
        .set({ next_run_at: next })
        .where('id', '=', id)
        .where('next_run_at', '=', expected)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },

    async addRetrainScheduleRun(run) {
      const row: Database['retrain_schedule_runs'] = {
        id: run.id,
        schedule_id: run.scheduleId,
        tick_at: run.tickAt,
        started_at: run.startedAt,
        status: run.status,
        run_id: run.runId,
        model: run.model,
        model_version: run.modelVersion,
        message: run.message,
        failing: run.failingGates.length === 0 ? null : JSON.stringify(run.failingGates),
        finished_at: null,
      };
      await db.insertInto('retrain_schedule_runs').values(row).execute();
      return runFrom(row);
    },

    async updateRetrainScheduleRun(id, change) {
      const set: Partial<Database['retrain_schedule_runs']> = {};
      if (change.status !== undefined) set.status = change.status;
      if (change.runId !== undefined) set.run_id = change.runId;
      if (change.modelVersion !== undefined) set.model_version = change.modelVersion;
      if (change.message !== undefined) set.message = change.message;
      if (change.failingGates !== undefined) {
        set.failing = change.failingGates.length === 0 ? null : JSON.stringify(change.failingGates);
      }
      if (change.finishedAt !== undefined) set.finished_at = change.finishedAt;
      if (Object.keys(set).length === 0) return;
      await db.updateTable('retrain_schedule_runs').set(set).where('id', '=', id).execute();
    },

    async getRetrainScheduleRun(id) {
      const row = await db.selectFrom('retrain_schedule_runs').selectAll().where('id', '=', id).executeTakeFirst();
      return row && runFrom(row);
    },

    async listRetrainScheduleRuns(scheduleId, limit) {
      const rows = await db
        .selectFrom('retrain_schedule_runs')
        .selectAll()
        .where('schedule_id', '=', scheduleId)
        .orderBy('started_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(runFrom);
    },

    async retrainScheduleRunsWithStatus(status) {
      const rows = await db.selectFrom('retrain_schedule_runs').selectAll().where('status', '=', status).execute();
      return rows.map(runFrom);
    },
  };
}
