// Metadata store, ground-truth probes: each registered model's probe set and the stored runs of it.

import type { Kysely } from 'kysely';
import type { Probe, ProbeResult, ProbeRoute, ProbeRun, ProbeSet } from '@modelyard/client';
import { newId } from './ids.js';
import type { AuditBy } from './metadata-store.js';
import type { Database } from './schema.js';
import { auditWrite, now } from './store-support.js';

/** A probe set with the project it belongs to (the scheduler needs it). */
export type ProbeSetRecord = ProbeSet & { projectId: string };

export type NewProbeRun = Omit<ProbeRun, 'id' | 'createdAt' | 'passed' | 'failed'> & { projectId: string };

export interface ProbeStore {
  /** Replaces the model's probe set. */
  saveProbeSet(
    set: { modelId: string; projectId: string; probes: Probe[]; everyMinutes: number | null },
    by: AuditBy,
  ): Promise<ProbeSetRecord>;
  getProbeSet(modelId: string): Promise<ProbeSetRecord | undefined>;
  /** Every probe set with a schedule, for the live prober. */
  listScheduledProbeSets(): Promise<ProbeSetRecord[]>;
  addProbeRun(run: NewProbeRun): Promise<ProbeRun>;
  /** The newest runs on an endpoint's routes first. */
  listEndpointProbeRuns(endpointId: string, limit: number): Promise<ProbeRun[]>;
  /** The newest runs against a model (every version and endpoint) first. */
  listModelProbeRuns(modelId: string, limit: number): Promise<ProbeRun[]>;
}

function setFrom(r: Database['probe_sets']): ProbeSetRecord {
  const every = r.every_minutes === null ? null : Number(r.every_minutes);
  return {
    modelId: r.model_id,
    projectId: r.project_id,
    probes: JSON.parse(r.probes) as Probe[],
    schedule: every === null ? null : { everyMinutes: every },
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  };
}

function runFrom(r: Database['probe_runs']): ProbeRun {
  return {
    id: r.id,
    modelId: r.model_id,
    version: Number(r.version),
    endpointId: r.endpoint_id,
    route: r.route as ProbeRoute | null,
    trigger: r.trigger as ProbeRun['trigger'],
    passed: Number(r.passed) === 1,
    failed: Number(r.failed),
    results: JSON.parse(r.results) as ProbeResult[],
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

export function probeStore(db: Kysely<Database>): ProbeStore {
  return {
    async saveProbeSet(set, by) {
      const row: Database['probe_sets'] = {
        model_id: set.modelId,
        project_id: set.projectId,
        probes: JSON.stringify(set.probes),
        every_minutes: set.everyMinutes,
        updated_at: now(),
        updated_by: by.actor,
      };
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('probe_sets')
          .values(row)
          .onConflict((oc) =>
            oc.column('model_id').doUpdateSet({
              probes: row.probes,
              every_minutes: row.every_minutes,
              updated_at: row.updated_at,
              updated_by: row.updated_by,
            }),
          )
          .execute();
        await auditWrite(
          trx,
          { ...by, details: { ...by.details, probes: set.probes.length, everyMinutes: set.everyMinutes } },
          'model',
          set.modelId,
        );
      });
      return setFrom(row);
    },

    async getProbeSet(modelId) {
      const row = await db.selectFrom('probe_sets').selectAll().where('model_id', '=', modelId).executeTakeFirst();
      return row && setFrom(row);
    },

    async listScheduledProbeSets() {
      const rows = await db
        .selectFrom('probe_sets')
        .selectAll()
        .where('every_minutes', 'is not', null)
        .orderBy('model_id')
        .execute();
      return rows.map(setFrom);
    },

    async addProbeRun(run) {
      const failed = run.results.filter((r) => !r.passed).length;
      const row: Database['probe_runs'] = {
        id: newId('prb'),
        project_id: run.projectId,
        model_id: run.modelId,
        version: run.version,
        endpoint_id: run.endpointId,
        route: run.route,
        trigger: run.trigger,
        passed: failed === 0 ? 1 : 0,
        failed,
        results: JSON.stringify(run.results),
        created_at: now(),
        created_by: run.createdBy,
      };
      await db.insertInto('probe_runs').values(row).execute();
      return runFrom(row);
    },

    async listEndpointProbeRuns(endpointId, limit) {
      const rows = await db
        .selectFrom('probe_runs')
        .selectAll()
        .where('endpoint_id', '=', endpointId)
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(runFrom);
    },

    async listModelProbeRuns(modelId, limit) {
      const rows = await db
        .selectFrom('probe_runs')
        .selectAll()
        .where('model_id', '=', modelId)
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(runFrom);
    },
  };
}
