// Metadata store, readiness gates: the rules a registered model's versions must pass before an alias points at them,
// and the reviews (approvals and rejections) people leave on versions.

import type { Kysely } from 'kysely';
import type { Gate, GateRule, Review, Role } from '@modelyard/client';
import { newId } from './ids.js';
import type { AuditBy } from './metadata-store.js';
import type { Database } from './schema.js';
import { auditWrite, now } from './store-support.js';

function gateFrom(r: Database['model_gates']): Gate {
  return {
    id: r.id,
    modelId: r.model_id,
    rule: { kind: r.kind, ...(JSON.parse(r.config) as object) } as GateRule,
    aliases: JSON.parse(r.aliases) as string[],
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

/** A review with the reviewer's user id (the API shows the name). */
export type ReviewRecord = Omit<Review, 'user'> & { userId: string };

export interface GateStore {
  createGate(modelId: string, rule: GateRule, aliases: string[], by: AuditBy): Promise<Gate>;
  listGates(modelId: string): Promise<Gate[]>;
  deleteGate(modelId: string, gateId: string, by: AuditBy): Promise<boolean>;
  /** One review per reviewer and version: a new decision replaces the reviewer's earlier one. */
  saveReview(review: Omit<ReviewRecord, 'createdAt'>, by: AuditBy): Promise<ReviewRecord>;
  listReviews(modelId: string, version: number): Promise<ReviewRecord[]>;
}

export function gateStore(db: Kysely<Database>): GateStore {
  return {
    async createGate(modelId, rule, aliases, by) {
      const { kind, ...config } = rule;
      const row: Database['model_gates'] = {
        id: newId('gate'),
        model_id: modelId,
        kind,
        config: JSON.stringify(config),
        aliases: JSON.stringify(aliases),
        created_at: now(),
        created_by: by.actor,
      };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('model_gates').values(row).execute();
        await auditWrite(trx, { ...by, details: { ...by.details, gate: row.id, rule, aliases } }, 'model', modelId);
      });
      return gateFrom(row);
    },

    async listGates(modelId) {
      const rows = await db
        .selectFrom('model_gates')
        .selectAll()
        .where('model_id', '=', modelId)
        .orderBy('id')
        .execute();
      return rows.map(gateFrom);
    },

    async deleteGate(modelId, gateId, by) {
      return db.transaction().execute(async (trx) => {
        const r = await trx
          .deleteFrom('model_gates')
          .where('model_id', '=', modelId)
          .where('id', '=', gateId)
          .executeTakeFirst();
        if (Number(r.numDeletedRows) === 0) return false;
        await auditWrite(trx, { ...by, details: { ...by.details, gate: gateId } }, 'model', modelId);
        return true;
      });
    },

    async saveReview(review, by) {
      const record: ReviewRecord = { ...review, createdAt: now() };
      const values = {
        model_id: review.modelId,
        version: review.version,
        user_id: review.userId,
        decision: review.decision,
        role: review.role,
        comment: review.comment,
        created_at: record.createdAt,
      };
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('model_version_reviews')
          .values(values)
          .onConflict((oc) =>
            oc.columns(['model_id', 'version', 'user_id']).doUpdateSet({
              decision: values.decision,
              role: values.role,
              comment: values.comment,
              created_at: values.created_at,
            }),
          )
          .execute();
        await auditWrite(
          trx,
          { ...by, details: { ...by.details, version: review.version, decision: review.decision } },
          'model',
          review.modelId,
        );
      });
      return record;
    },

    async listReviews(modelId, version) {
      const rows = await db
        .selectFrom('model_version_reviews')
        .selectAll()
        .where('model_id', '=', modelId)
        .where('version', '=', version)
        .orderBy('created_at')
        .execute();
      return rows.map((r) => ({
        modelId: r.model_id,
        version: Number(r.version),
        userId: r.user_id,
        decision: r.decision === 'reject' ? 'reject' : 'approve',
        role: r.role as Role,
        comment: r.comment,
        createdAt: r.created_at,
      }));
    },
  };
}
