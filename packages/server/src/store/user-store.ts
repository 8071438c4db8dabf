// Metadata store, users and tokens: Users and their personal access tokens (by hash).

import type { Kysely } from 'kysely';
import { newId } from './ids.js';
import type { AuditBy, PageRequest, Paged, TokenRecord, UserRecord } from './metadata-store.js';
import type { Database, UsersTable } from './schema.js';
import { auditWrite, now, paged } from './store-support.js';

const toUser = (r: UsersTable): UserRecord => ({
  id: r.id,
  name: r.name,
  isAdmin: Number(r.is_admin) === 1,
  createdAt: r.created_at,
});

/** How stale a token's `last_used_at` may be. */
const LAST_USE_PRECISION_MS = 60_000;

export function userStore(db: Kysely<Database>) {
  const lastUseWritten = new Map<string, number>();
  return {
    async createUser(user: { name: string; isAdmin: boolean }, by: AuditBy): Promise<UserRecord> {
      const row: UsersTable = { id: newId('usr'), name: user.name, is_admin: user.isAdmin ? 1 : 0, created_at: now() };
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('users').values(row).execute();
        await auditWrite(trx, by, 'user', row.id);
      });
      return toUser(row);
    },

    async getUser(id: string): Promise<UserRecord | undefined> {
      const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toUser(r);
    },

    async getUserByName(name: string): Promise<UserRecord | undefined> {
      const r = await db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
      return r && toUser(r);
    },

    async listUsers(page: PageRequest): Promise<Paged<UserRecord>> {
      let q = db
        .selectFrom('users')
        .selectAll()
        .orderBy('id')
        .limit(page.limit + 1);
      if (page.after) q = q.where('id', '>', page.after);
      return paged((await q.execute()).map(toUser), page.limit);
    },

    async countUsers(): Promise<number> {
      const r = await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },

    async createToken(t: { userId: string; name: string; tokenHash: string }, by: AuditBy): Promise<TokenRecord> {
      const record: TokenRecord = { id: newId('tok'), userId: t.userId, name: t.name, createdAt: now() };
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('tokens')
          .values({
            id: record.id,
            user_id: t.userId,
            name: t.name,
            token_hash: t.tokenHash,
            created_at: record.createdAt,
            last_used_at: null,
          })
          .execute();
        await auditWrite(trx, by, 'token', record.id);
      });
      return record;
    },

    async deleteToken(id: string, by: AuditBy): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const result = await trx.deleteFrom('tokens').where('id', '=', id).executeTakeFirst();
        const deleted = Number(result.numDeletedRows) > 0;
        if (deleted) await auditWrite(trx, by, 'token', id);
        return deleted;
      });
    },

    async findUserByTokenHash(tokenHash: string): Promise<UserRecord | undefined> {
      const r = await db
        .selectFrom('tokens')
        .innerJoin('users', 'users.id', 'tokens.user_id')
        .select(['users.id', 'users.name', 'users.is_admin', 'users.created_at', 'tokens.id as token_id'])
        .where('tokens.token_hash', '=', tokenHash)
        .executeTakeFirst();
      if (!r) return undefined;
      // A write per request would cost a commit (an fsync) per API call: last use is kept to the minute.
      const at = Date.now();
      if (at - (lastUseWritten.get(r.token_id) ?? 0) >= LAST_USE_PRECISION_MS) {
        lastUseWritten.set(r.token_id, at);
        await db.updateTable('tokens').set({ last_used_at: now() }).where('id', '=', r.token_id).execute();
      }
      return toUser(r);
    },
  };
}
