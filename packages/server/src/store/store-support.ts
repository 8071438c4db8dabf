// Helpers shared by the metadata store's rooms: timestamps, paging, and the audit append inside a transaction.

import type { Kysely, Transaction } from 'kysely';
import type { AuditBy, NewAuditEvent, Paged } from './metadata-store.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database> | Transaction<Database>;

export const now = (): string => new Date().toISOString();

/** Rows fetched with `limit + 1`: the extra row only tells that another page exists. */
export function paged<T extends { id: string }>(rows: T[], limit: number): Paged<T> {
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null };
}

export async function insertAudit(db: Db, e: NewAuditEvent): Promise<void> {
  await db
    .insertInto('audit_events')
    .values({
      actor: e.actor,
      action: e.action,
      object_type: e.objectType,
      object_id: e.objectId,
      project_id: e.projectId,
      details: JSON.stringify(e.details ?? {}),
      at: now(),
    })
    .execute();
}

/** The audit event of a write, appended in the write's own transaction. */
export async function auditWrite(db: Db, by: AuditBy, objectType: string, objectId: string): Promise<void> {
  await insertAudit(db, {
    actor: by.actor,
    action: by.action,
    objectType,
    objectId,
    projectId: by.projectId ?? null,
    details: by.details ?? {},
  });
}

/** True for a unique or primary-key violation on either dialect (better-sqlite3 codes, PostgreSQL SQLSTATE 23505). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Runs a numbering write again when a concurrent writer took the same number first. */
export async function retryOnUniqueViolation<T>(write: () => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= attempts) throw error;
    }
  }
}
