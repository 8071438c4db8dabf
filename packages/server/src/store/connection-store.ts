// Metadata store, connections: Database connections of the data catalog, their password kept only sealed.

import type { Kysely } from 'kysely';
import type { AuditBy, ConnectionRecord, PageRequest, Paged } from './metadata-store.js';
import type { ConnectionsTable, Database } from './schema.js';
import { auditWrite, now, paged } from './store-support.js';

function connectionFrom(r: ConnectionsTable): ConnectionRecord {
  return {
    id: r.id,
    projectId: r.project_id,
    name: r.name,
    kind: r.kind as ConnectionRecord['kind'],
    host: r.host,
    port: Number(r.port),
    database: r.database,
    user: r.user_name,
    options: JSON.parse(r.options) as ConnectionRecord['options'],
    sealedSecret: r.sealed_secret,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

export function connectionStore(db: Kysely<Database>) {
  return {
    async createConnection(c: Omit<ConnectionRecord, 'createdAt'>, by: AuditBy): Promise<ConnectionRecord> {
      const record: ConnectionRecord = { ...c, createdAt: now() };
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('connections')
          .values({
            id: c.id,
            project_id: c.projectId,
            name: c.name,
            kind: c.kind,
            host: c.host,
            port: c.port,
            database: c.database,
            user_name: c.user,
            options: JSON.stringify(c.options),
            sealed_secret: c.sealedSecret,
            created_at: record.createdAt,
            created_by: c.createdBy,
          })
          .execute();
        // The audit details never carry the secret, sealed or not.
        await auditWrite(trx, { ...by, projectId: c.projectId }, 'connection', c.id);
      });
      return record;
    },

    async getConnection(id: string): Promise<ConnectionRecord | undefined> {
      const r = await db.selectFrom('connections').selectAll().where('id', '=', id).executeTakeFirst();
      return r && connectionFrom(r);
    },

    async getConnectionByName(projectId: string, name: string): Promise<ConnectionRecord | undefined> {
      const r = await db
        .selectFrom('connections')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('name', '=', name)
        .executeTakeFirst();
      return r && connectionFrom(r);
    },

    async listConnections(projectId: string, page: PageRequest): Promise<Paged<ConnectionRecord>> {
      let q = db
        .selectFrom('connections')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('id')
        .limit(page.limit + 1);
      if (page.after) q = q.where('id', '>', page.after);
      return paged(
        (await q.execute()).map((r) => connectionFrom(r)),
        page.limit,
      );
    },

    async deleteConnection(id: string, by: AuditBy): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const row = await trx.selectFrom('connections').select('project_id').where('id', '=', id).executeTakeFirst();
        if (!row) return false;
        await trx.deleteFrom('connections').where('id', '=', id).execute();
        await auditWrite(trx, { ...by, projectId: row.project_id }, 'connection', id);
        return true;
      });
    },
  };
}
