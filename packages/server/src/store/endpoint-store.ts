// Metadata store, endpoints and the inference log: Endpoints and the log of every prediction they served.

import { sql, type Kysely, type Selectable } from 'kysely';
import type { FeatureRecord, InferenceRecord, Prediction } from '@modelyard/client';
import { newId } from './ids.js';
import type {
  AuditBy,
  EndpointChanges,
  EndpointRecord,
  FeedbackLabel,
  LabelledRecord,
  LabelledRecordWithInputs,
  LoggedRequestShape,
  NewFeedback,
  NewInference,
  PageRequest,
  Paged,
  ShadowEntry,
} from './metadata-store.js';
import type { Dialect } from './migrations.js';
import type { Database } from './schema.js';
import { auditWrite, now, paged } from './store-support.js';
import type { SearchRow } from './metadata-store.js';
import { searchTable } from './text-search.js';

function endpointFrom(r: Database['endpoints']): EndpointRecord {
  return {
    id: r.id,
    projectId: r.project_id,
    name: r.name,
    modelRef: r.model_ref,
    canary: r.canary_ref === null ? null : { modelRef: r.canary_ref, share: Number(r.canary_weight) },
    shadow: r.shadow_ref === null ? null : { modelRef: r.shadow_ref, share: Number(r.shadow_sample) },
    maxConcurrency: Number(r.max_concurrency),
    createdAt: r.created_at,
    createdBy: r.created_by,
    updatedAt: r.updated_at,
  };
}

function inferenceFrom(r: Selectable<Database['inference_log']>): InferenceRecord {
  return {
    id: r.id,
    endpointId: r.endpoint_id,
    modelVersion: Number(r.model_version),
    route: r.route === 'canary' ? 'canary' : 'primary',
    model: r.model_ref,
    inputs: JSON.parse(r.inputs) as InferenceRecord['inputs'],
    outputs: JSON.parse(r.outputs) as InferenceRecord['outputs'],
    latencyMs: Number(r.latency_ms),
    createdAt: r.created_at,
  };
}

function labelFrom(r: Database['inference_feedback']): FeedbackLabel {
  return {
    requestId: r.request_id,
    index: Number(r.record_index),
    label: r.label_number === null ? (r.label ?? '') : Number(r.label_number),
    receivedAt: r.received_at,
    receivedBy: r.received_by,
  };
}

/** Rows per INSERT: SQLite allows 32,766 bound values and PostgreSQL 65,535; entries have 10 columns. */
const INSERT_CHUNK = 500;

export function endpointStore(db: Kysely<Database>, dialect: Dialect) {
  // A request's record count and first answer without reading (and parsing) every answer it holds.
  const outputsCount =
    dialect === 'postgres' ? sql<number>`json_array_length(outputs::json)` : sql<number>`json_array_length(outputs)`;
  const firstOutput =
    dialect === 'postgres'
      ? sql<string | null>`(outputs::json -> 0)::text`
      : sql<string | null>`json_extract(outputs, '$[0]')`;

  /**
   * Labelled records of requests answered in [from, to), joined with the logged answers (and, when asked, the logged
   * inputs), oldest first, at most `limit`. Each request's JSON is parsed once however many of its records are
   * labelled.
   */
  async function labelled(
    endpointId: string,
    window: { from: string; to: string; limit: number },
    withInputs: boolean,
  ): Promise<(LabelledRecord & { inputs?: FeatureRecord })[]> {
    const rows = await db
      .selectFrom('inference_feedback as f')
      .innerJoin('inference_log as l', (join) =>
        join.onRef('l.id', '=', 'f.request_id').onRef('l.endpoint_id', '=', 'f.endpoint_id'),
      )
      .selectAll('f')
      .select(['l.outputs', 'l.route', 'l.model_ref', 'l.model_version', 'l.created_at'])
      .$if(withInputs, (q) => q.select('l.inputs'))
      .where('f.endpoint_id', '=', endpointId)
      .where('l.created_at', '>=', window.from)
      .where('l.created_at', '<', window.to)
      .orderBy('l.created_at')
      .orderBy('f.request_id')
      .orderBy('f.record_index')
      .limit(window.limit)
      .execute();
    const parsed = new Map<string, { inputs: FeatureRecord[] | undefined; outputs: Prediction[] }>();
    const records: (LabelledRecord & { inputs?: FeatureRecord })[] = [];
    for (const r of rows) {
      let logged = parsed.get(r.request_id);
      if (logged === undefined) {
        logged = {
          inputs: r.inputs === undefined ? undefined : (JSON.parse(r.inputs) as FeatureRecord[]),
          outputs: JSON.parse(r.outputs) as Prediction[],
        };
        parsed.set(r.request_id, logged);
      }
      const index = Number(r.record_index);
      const output = logged.outputs[index];
      const inputs = logged.inputs?.[index];
      if (output === undefined || (withInputs && inputs === undefined)) continue;
      records.push({
        ...labelFrom(r),
        ...(inputs !== undefined && { inputs }),
        output,
        route: r.route === 'canary' ? 'canary' : 'primary',
        modelRef: r.model_ref,
        modelVersion: Number(r.model_version),
        predictedAt: r.created_at,
      });
    }
    return records;
  }

  return {
    async createEndpoint(
      e: { projectId: string; name: string; modelRef: string; createdBy: string; maxConcurrency: number },
      by: AuditBy,
    ): Promise<EndpointRecord> {
      const record: EndpointRecord = {
        id: newId('ep'),
        ...e,
        canary: null,
        shadow: null,
        createdAt: now(),
        updatedAt: null,
      };
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('endpoints')
          .values({
            id: record.id,
            project_id: e.projectId,
            name: e.name,
            model_ref: e.modelRef,
            created_at: record.createdAt,
            created_by: e.createdBy,
            canary_ref: null,
            canary_weight: 0,
            shadow_ref: null,
            shadow_sample: 0,
            max_concurrency: e.maxConcurrency,
            updated_at: null,
          })
          .execute();
        await auditWrite(trx, { ...by, projectId: e.projectId }, 'endpoint', record.id);
      });
      return record;
    },

    async updateEndpoint(id: string, changes: EndpointChanges, by: AuditBy): Promise<EndpointRecord> {
      await db.transaction().execute(async (trx) => {
        const set: Partial<Database['endpoints']> = { updated_at: now() };
        if (changes.modelRef !== undefined) set.model_ref = changes.modelRef;
        if (changes.canary !== undefined) {
          set.canary_ref = changes.canary?.modelRef ?? null;
          set.canary_weight = changes.canary?.share ?? 0;
        }
        if (changes.shadow !== undefined) {
          set.shadow_ref = changes.shadow?.modelRef ?? null;
          set.shadow_sample = changes.shadow?.share ?? 0;
        }
        if (changes.maxConcurrency !== undefined) set.max_concurrency = changes.maxConcurrency;
        await trx.updateTable('endpoints').set(set).where('id', '=', id).execute();
        await auditWrite(trx, by, 'endpoint', id);
      });
      const updated = await db.selectFrom('endpoints').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      return endpointFrom(updated);
    },

    async getEndpoint(id: string): Promise<EndpointRecord | undefined> {
      const r = await db.selectFrom('endpoints').selectAll().where('id', '=', id).executeTakeFirst();
      return r && endpointFrom(r);
    },

    async getEndpointByName(projectId: string, name: string): Promise<EndpointRecord | undefined> {
      const r = await db
        .selectFrom('endpoints')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('name', '=', name)
        .executeTakeFirst();
      return r && endpointFrom(r);
    },

    async listEndpoints(projectId: string, page: PageRequest): Promise<Paged<EndpointRecord>> {
      let q = db
        .selectFrom('endpoints')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('id')
        .limit(page.limit + 1);
      if (page.after) q = q.where('id', '>', page.after);
      return paged(
        (await q.execute()).map((r) => endpointFrom(r)),
        page.limit,
      );
    },

    async listEndpointsOfModel(projectId: string, modelName: string): Promise<EndpointRecord[]> {
      // An exact prefix through substr: LIKE would read `_` in a name as a wildcard, and SQLite's LIKE ignores case.
      const prefix = `${modelName}@`;
      const rows = await db
        .selectFrom('endpoints')
        .selectAll()
        .where('project_id', '=', projectId)
        .where(sql<string>`substr(model_ref, 1, ${prefix.length})`, '=', prefix)
        .orderBy('id')
        .execute();
      return rows.map((r) => endpointFrom(r));
    },

    async logInferences(entries: NewInference[]): Promise<void> {
      if (entries.length === 0) return;
      const createdAt = now();
      await db.transaction().execute(async (trx) => {
        for (let from = 0; from < entries.length; from += INSERT_CHUNK) {
          const rows = entries.slice(from, from + INSERT_CHUNK).map((entry) => ({
            id: entry.id,
            endpoint_id: entry.endpointId,
            model_version: entry.modelVersion,
            model_ref: entry.modelRef,
            route: entry.route,
            inputs: JSON.stringify(entry.inputs),
            outputs: JSON.stringify(entry.outputs),
            latency_ms: entry.latencyMs,
            created_at: createdAt,
            flagged_records: entry.flaggedRecords ?? 0,
          }));
          await trx.insertInto('inference_log').values(rows).execute();
        }
      });
    },

    async logShadows(entries: ShadowEntry[]): Promise<void> {
      if (entries.length === 0) return;
      const createdAt = now();
      await db.transaction().execute(async (trx) => {
        for (let from = 0; from < entries.length; from += INSERT_CHUNK) {
          const rows = entries.slice(from, from + INSERT_CHUNK).map((entry) => ({
            id: entry.requestId,
            endpoint_id: entry.endpointId,
            model_ref: entry.modelRef,
            model_version: entry.modelVersion,
            outputs: entry.outputs === null ? null : JSON.stringify(entry.outputs),
            error: entry.error,
            latency_ms: entry.latencyMs,
            created_at: createdAt,
          }));
          await trx.insertInto('shadow_log').values(rows).execute();
        }
      });
    },

    async recentShadowPairs(endpointId: string, limit: number) {
      const shadows = await db
        .selectFrom('shadow_log')
        .selectAll()
        .where('endpoint_id', '=', endpointId)
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      const ids = shadows.map((r) => r.id);
      const primaries = new Map<string, InferenceRecord>();
      for (let from = 0; from < ids.length; from += INSERT_CHUNK) {
        const rows = await db
          .selectFrom('inference_log')
          .selectAll()
          .where('id', 'in', ids.slice(from, from + INSERT_CHUNK))
          .where('endpoint_id', '=', endpointId)
          .execute();
        for (const r of rows) primaries.set(r.id, inferenceFrom(r));
      }
      return shadows.map((r) => ({
        shadow: {
          requestId: r.id,
          endpointId: r.endpoint_id,
          modelRef: r.model_ref,
          modelVersion: r.model_version === null ? null : Number(r.model_version),
          outputs: r.outputs === null ? null : (JSON.parse(r.outputs) as ShadowEntry['outputs']),
          error: r.error,
          latencyMs: Number(r.latency_ms),
          createdAt: r.created_at,
        },
        primary: primaries.get(r.id),
      }));
    },

    async listInferences(endpointId: string, page: PageRequest): Promise<Paged<InferenceRecord>> {
      let q = db
        .selectFrom('inference_log')
        .selectAll()
        .where('endpoint_id', '=', endpointId)
        .orderBy('id', 'desc')
        .limit(page.limit + 1);
      if (page.after) q = q.where('id', '<', page.after);
      return paged((await q.execute()).map(inferenceFrom), page.limit);
    },

    async loggedRequestShapes(endpointId: string, requestIds: string[]): Promise<Map<string, LoggedRequestShape>> {
      const shapes = new Map<string, LoggedRequestShape>();
      const ids = [...new Set(requestIds)];
      for (let from = 0; from < ids.length; from += INSERT_CHUNK) {
        const rows = await db
          .selectFrom('inference_log')
          .select(['id', outputsCount.as('records'), firstOutput.as('first')])
          .where('endpoint_id', '=', endpointId)
          .where('id', 'in', ids.slice(from, from + INSERT_CHUNK))
          .execute();
        for (const r of rows) {
          shapes.set(r.id, {
            records: Number(r.records),
            first: r.first === null ? null : (JSON.parse(r.first) as Prediction),
          });
        }
      }
      return shapes;
    },

    async upsertFeedback(endpointId: string, labels: NewFeedback[], receivedBy: string): Promise<void> {
      // One row per record: PostgreSQL refuses an upsert that touches the same row twice in one statement.
      const latest = new Map<string, NewFeedback>();
      for (const l of labels) latest.set(`${l.requestId}\u0000${l.index}`, l);
      const unique = [...latest.values()];
      if (unique.length === 0) return;
      const receivedAt = now();
      await db.transaction().execute(async (trx) => {
        for (let from = 0; from < unique.length; from += INSERT_CHUNK) {
          const rows = unique.slice(from, from + INSERT_CHUNK).map((l) => ({
            endpoint_id: endpointId,
            request_id: l.requestId,
            record_index: l.index,
            label: typeof l.label === 'string' ? l.label : null,
            label_number: typeof l.label === 'number' ? l.label : null,
            received_at: receivedAt,
            received_by: receivedBy,
          }));
          await trx
            .insertInto('inference_feedback')
            .values(rows)
            .onConflict((oc) =>
              oc.columns(['endpoint_id', 'request_id', 'record_index']).doUpdateSet((eb) => ({
                label: eb.ref('excluded.label'),
                label_number: eb.ref('excluded.label_number'),
                received_at: eb.ref('excluded.received_at'),
                received_by: eb.ref('excluded.received_by'),
              })),
            )
            .execute();
        }
      });
    },

    async feedbackFor(endpointId: string, requestIds: string[]): Promise<FeedbackLabel[]> {
      const ids = [...new Set(requestIds)];
      const labels: FeedbackLabel[] = [];
      for (let from = 0; from < ids.length; from += INSERT_CHUNK) {
        const rows = await db
          .selectFrom('inference_feedback')
          .selectAll()
          .where('endpoint_id', '=', endpointId)
          .where('request_id', 'in', ids.slice(from, from + INSERT_CHUNK))
          .execute();
        labels.push(...rows.map(labelFrom));
      }
      return labels;
    },

    labelledRecords(
      endpointId: string,
      window: { from: string; to: string; limit: number },
    ): Promise<LabelledRecord[]> {
      return labelled(endpointId, window, false);
    },

    labelledRecordsWithInputs(
      endpointId: string,
      window: { from: string; to: string; limit: number },
    ): Promise<LabelledRecordWithInputs[]> {
      return labelled(endpointId, window, true) as Promise<LabelledRecordWithInputs[]>;
    },

    searchEndpoints(projectIds: string[], text: string, limit: number): Promise<SearchRow[]> {
      return searchTable(db, 'endpoints', false, projectIds, text, limit);
    },
  };
}
