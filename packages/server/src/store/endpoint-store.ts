// Metadata store, endpoints and the inference log: Endpoints and the log of every prediction they served.

import { sql, type Kysely } from 'kysely';
import type { InferenceRecord } from '@modelyard/client';
import { newId } from './ids.js';
import type { AuditBy, EndpointRecord, NewInference, PageRequest, Paged } from './metadata-store.js';
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
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

export function endpointStore(db: Kysely<Database>) {
  return {
    async createEndpoint(
      e: { projectId: string; name: string; modelRef: string; createdBy: string },
      by: AuditBy,
    ): Promise<EndpointRecord> {
      const record: EndpointRecord = { id: newId('ep'), ...e, createdAt: now() };
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
          })
          .execute();
        await auditWrite(trx, { ...by, projectId: e.projectId }, 'endpoint', record.id);
      });
      return record;
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

    async logInference(entry: NewInference): Promise<InferenceRecord> {
      const record: InferenceRecord = { id: newId('inf'), ...entry, createdAt: now() };
      await db
        .insertInto('inference_log')
        .values({
          id: record.id,
          endpoint_id: entry.endpointId,
          model_version: entry.modelVersion,
          inputs: JSON.stringify(entry.inputs),
          outputs: JSON.stringify(entry.outputs),
          latency_ms: entry.latencyMs,
          created_at: record.createdAt,
        })
        .execute();
      return record;
    },

    async listInferences(endpointId: string, page: PageRequest): Promise<Paged<InferenceRecord>> {
      let q = db
        .selectFrom('inference_log')
        .selectAll()
        .where('endpoint_id', '=', endpointId)
        .orderBy('id', 'desc')
        .limit(page.limit + 1);
      if (page.after) q = q.where('id', '<', page.after);
      const rows = (await q.execute()).map((r): InferenceRecord => ({
        id: r.id,
        endpointId: r.endpoint_id,
        modelVersion: Number(r.model_version),
        inputs: JSON.parse(r.inputs) as InferenceRecord['inputs'],
        outputs: JSON.parse(r.outputs) as InferenceRecord['outputs'],
        latencyMs: Number(r.latency_ms),
        createdAt: r.created_at,
      }));
      return paged(rows, page.limit);
    },

    searchEndpoints(projectIds: string[], text: string, limit: number): Promise<SearchRow[]> {
      return searchTable(db, 'endpoints', false, projectIds, text, limit);
    },
  };
}
