// Metadata store, audit: The append-only audit trail.

import type { Kysely } from 'kysely';
import type { AuditEvent } from '@modelyard/client';
import type { NewAuditEvent } from './metadata-store.js';
import type { Database } from './schema.js';
import { insertAudit } from './store-support.js';

export function auditStore(db: Kysely<Database>) {
  return {
    async appendAudit(event: NewAuditEvent): Promise<void> {
      await insertAudit(db, event);
    },

    async listAudit(
      filter: { projectId?: string | undefined },
      page: { limit: number; beforeId?: number | undefined },
    ): Promise<AuditEvent[]> {
      let q = db.selectFrom('audit_events').selectAll().orderBy('id', 'desc').limit(page.limit);
      if (filter.projectId) q = q.where('project_id', '=', filter.projectId);
      if (page.beforeId !== undefined) q = q.where('id', '<', page.beforeId);
      return (await q.execute()).map((r) => ({
        id: Number(r.id),
        actor: r.actor,
        action: r.action,
        objectType: r.object_type,
        objectId: r.object_id,
        projectId: r.project_id,
        details: JSON.parse(r.details) as Record<string, unknown>,
        at: r.at,
      }));
    },
  };
}
