// Metadata store, drift: the reports comparing windows of an endpoint's traffic with a reference, the drift monitor
// of each endpoint, and the raw window reads drift is computed from.

import { sql, type Kysely } from 'kysely';
import type { DriftMonitor, DriftReport } from '@modelyard/client';
import type { Database } from './schema.js';
import { now } from './store-support.js';

/** A request of the inference log as drift reads it: the JSON texts, parsed by the caller. */
export interface WindowRow {
  inputs: string;
  outputs: string;
}

export interface DriftStore {
  /** Requests the primary route answered in [from, to), oldest first, at most `limit`. */
  inferenceWindow(endpointId: string, window: { from: string; to: string; limit: number }): Promise<WindowRow[]>;
  /** Records answered in [from, to) and how many of them carried an out-of-profile flag. */
  flaggedShare(endpointId: string, window: { from: string; to: string }): Promise<{ records: number; flagged: number }>;
  saveDriftReport(report: DriftReport): Promise<void>;
  /** Newest first, created in [from, to) when given. */
  listDriftReports(endpointId: string, page: { limit: number; from?: string; to?: string }): Promise<DriftReport[]>;
  getDriftMonitor(endpointId: string): Promise<DriftMonitor | undefined>;
  putDriftMonitor(monitor: Omit<DriftMonitor, 'updatedAt'>): Promise<DriftMonitor>;
  deleteDriftMonitor(endpointId: string): Promise<boolean>;
  scheduledDriftMonitors(): Promise<DriftMonitor[]>;
  /** Compare-and-set of next_run_at: true for the one caller (of all replicas) that moved it from `expected`. */
  claimDriftTick(endpointId: string, expected: string, next: string | null): Promise<boolean>;
}

function monitorFrom(r: Database['drift_monitors']): DriftMonitor {
  const options = JSON.parse(r.options) as Pick<DriftMonitor, 'columns' | 'share'>;
  return {
    endpointId: r.endpoint_id,
    schedule: r.schedule,
    window: r.window,
    reference: JSON.parse(r.reference) as DriftMonitor['reference'],
    columns: options.columns,
    share: options.share,
    nextRunAt: r.next_run_at,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  };
}

type StoredColumns = Pick<DriftReport, 'columns' | 'prediction' | 'skipped' | 'share'>;

function reportFrom(r: Database['drift_reports']): DriftReport {
  const stored = JSON.parse(r.columns) as StoredColumns;
  return {
    id: r.id,
    endpointId: r.endpoint_id,
    createdAt: r.created_at,
    trigger: r.trigger === 'schedule' ? 'schedule' : 'manual',
    window: { from: r.window_from, to: r.window_to },
    reference:
      r.reference_kind === 'window'
        ? { kind: 'window', from: r.reference_from ?? '', to: r.reference_to ?? '' }
        : { kind: 'training' },
    modelRef: r.model_ref,
    currentRows: Number(r.current_rows),
    referenceRows: Number(r.reference_rows),
    columns: stored.columns,
    prediction: stored.prediction,
    skipped: stored.skipped,
    driftedColumns: Number(r.drifted_columns),
    testedColumns: Number(r.tested_columns),
    share: stored.share,
    datasetDrift: Number(r.dataset_drift) === 1,
  };
}

export function driftStore(db: Kysely<Database>, dialect: 'sqlite' | 'postgres'): DriftStore {
  const recordCount =
    dialect === 'postgres' ? sql<number>`json_array_length(inputs::json)` : sql<number>`json_array_length(inputs)`;
  return {
    async inferenceWindow(endpointId, window) {
      return db
        .selectFrom('inference_log')
        .select(['inputs', 'outputs'])
        .where('endpoint_id', '=', endpointId)
        .where('route', '=', 'primary')
        .where('created_at', '>=', window.from)
        .where('created_at', '<', window.to)
        .orderBy('created_at')
        .limit(window.limit)
        .execute();
    },

    async flaggedShare(endpointId, window) {
      const row = await db
        .selectFrom('inference_log')
        .select([
          sql<number>`coalesce(sum(${recordCount}), 0)`.as('records'),
          sql<number>`coalesce(sum(flagged_records), 0)`.as('flagged'),
        ])
        .where('endpoint_id', '=', endpointId)
        .where('created_at', '>=', window.from)
        .where('created_at', '<', window.to)
        .executeTakeFirst();
      return { records: Number(row?.records ?? 0), flagged: Number(row?.flagged ?? 0) };
    },

    async saveDriftReport(report) {
      const stored: StoredColumns = {
        columns: report.columns,
        prediction: report.prediction,
        skipped: report.skipped,
        share: report.share,
      };
      await db
        .insertInto('drift_reports')
        .values({
          id: report.id,
          endpoint_id: report.endpointId,
          created_at: report.createdAt,
          trigger: report.trigger,
          window_from: report.window.from,
          window_to: report.window.to,
          reference_kind: report.reference.kind,
          reference_from: report.reference.kind === 'window' ? report.reference.from : null,
          reference_to: report.reference.kind === 'window' ? report.reference.to : null,
          model_ref: report.modelRef,
          current_rows: report.currentRows,
          reference_rows: report.referenceRows,
          drifted_columns: report.driftedColumns,
          tested_columns: report.testedColumns,
          dataset_drift: report.datasetDrift ? 1 : 0,
          columns: JSON.stringify(stored),
        })
        .execute();
    },

    async listDriftReports(endpointId, page) {
      let query = db.selectFrom('drift_reports').selectAll().where('endpoint_id', '=', endpointId);
      if (page.from !== undefined) query = query.where('created_at', '>=', page.from);
      if (page.to !== undefined) query = query.where('created_at', '<', page.to);
      const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
      return rows.map(reportFrom);
    },

    async getDriftMonitor(endpointId) {
      const row = await db
        .selectFrom('drift_monitors')
        .selectAll()
        .where('endpoint_id', '=', endpointId)
        .executeTakeFirst();
      return row && monitorFrom(row);
    },

    async putDriftMonitor(monitor) {
      const row: Database['drift_monitors'] = {
        endpoint_id: monitor.endpointId,
        schedule: monitor.schedule,
        window: monitor.window,
        reference: JSON.stringify(monitor.reference),
        options: JSON.stringify({ columns: monitor.columns, share: monitor.share }),
        next_run_at: monitor.nextRunAt,
        updated_at: now(),
        updated_by: monitor.updatedBy,
      };
      await db
        .insertInto('drift_monitors')
        .values(row)
        .onConflict((c) => {
          const { endpoint_id: _key, ...changes } = row;
          return c.column('endpoint_id').doUpdateSet(changes);
        })
        .execute();
      return monitorFrom(row);
    },

    async deleteDriftMonitor(endpointId) {
      const result = await db.deleteFrom('drift_monitors').where('endpoint_id', '=', endpointId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async scheduledDriftMonitors() {
      const rows = await db.selectFrom('drift_monitors').selectAll().where('schedule', 'is not', null).execute();
      return rows.map(monitorFrom);
    },

    async claimDriftTick(endpointId, expected, next) {
      const result = await db
        .updateTable('drift_monitors')
        .set({ next_run_at: next })
        .where('endpoint_id', '=', endpointId)
        .where('next_run_at', '=', expected)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
  };
}
