// Metadata store, projects and members: Projects and their members with roles.

import type { Kysely } from 'kysely';
import type { Role } from '@modelyard/client';
import { newId } from './ids.js';
import type { AuditBy, MemberRecord, PageRequest, Paged, ProjectRecord } from './metadata-store.js';
import type { Database } from './schema.js';
import { auditWrite, now } from './store-support.js';

function projectFrom(r: {
  id: string;
  name: string;
  description: string;
  created_at: string;
  created_by: string;
}): ProjectRecord {
  return { id: r.id, name: r.name, description: r.description, createdAt: r.created_at, createdBy: r.created_by };
}

export function projectStore(db: Kysely<Database>) {
  return {
    async createProject(p: { name: string; description: string; owner: string }, by: AuditBy): Promise<ProjectRecord> {
      const record: ProjectRecord = {
        id: newId('prj'),
        name: p.name,
        description: p.description,
        createdAt: now(),
        createdBy: p.owner,
      };
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('projects')
          .values({
            id: record.id,
            name: record.name,
            description: record.description,
            created_at: record.createdAt,
            created_by: record.createdBy,
          })
          .execute();
        await trx.insertInto('members').values({ project_id: record.id, user_id: p.owner, role: 'admin' }).execute();
        await auditWrite(trx, { ...by, projectId: record.id }, 'project', record.id);
      });
      return record;
    },

    async getProject(id: string): Promise<ProjectRecord | undefined> {
      const r = await db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
      return r && projectFrom(r);
    },

    async getProjectByName(name: string): Promise<ProjectRecord | undefined> {
      const r = await db.selectFrom('projects').selectAll().where('name', '=', name).executeTakeFirst();
      return r && projectFrom(r);
    },

    async listProjects(userId: string | null, page: PageRequest): Promise<Paged<ProjectRecord>> {
      let q = db
        .selectFrom('projects')
        .selectAll('projects')
        .orderBy('projects.name')
        .limit(page.limit + 1);
      if (userId !== null) {
        q = q.where('projects.id', 'in', (eb) =>
          eb.selectFrom('members').select('members.project_id').where('members.user_id', '=', userId),
        );
      }
      // Projects page by name, so the cursor is the last name.
      if (page.after) q = q.where('projects.name', '>', page.after);
      const rows = (await q.execute()).map((r) => projectFrom(r));
      const items = rows.slice(0, page.limit);
      return { items, next: rows.length > page.limit ? (items[items.length - 1]?.name ?? null) : null };
    },

    async getRole(projectId: string, userId: string): Promise<Role | undefined> {
      const r = await db
        .selectFrom('members')
        .select('role')
        .where('project_id', '=', projectId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return r?.role as Role | undefined;
    },

    async rolesOf(userId: string): Promise<{ projectName: string; role: Role }[]> {
      const rows = await db
        .selectFrom('members')
        .innerJoin('projects', 'projects.id', 'members.project_id')
        .select(['projects.name', 'members.role'])
        .where('members.user_id', '=', userId)
        .orderBy('projects.name')
        .execute();
      return rows.map((r) => ({ projectName: r.name, role: r.role as Role }));
    },

    async listMembers(projectId: string): Promise<MemberRecord[]> {
      const rows = await db
        .selectFrom('members')
        .innerJoin('users', 'users.id', 'members.user_id')
        .select(['members.project_id', 'members.user_id', 'users.name', 'members.role'])
        .where('members.project_id', '=', projectId)
        .orderBy('users.name')
        .execute();
      return rows.map((r) => ({ projectId: r.project_id, userId: r.user_id, userName: r.name, role: r.role as Role }));
    },

    async setMember(projectId: string, userId: string, role: Role, by: AuditBy): Promise<void> {
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('members')
          .values({ project_id: projectId, user_id: userId, role })
          .onConflict((oc) => oc.columns(['project_id', 'user_id']).doUpdateSet({ role }))
          .execute();
        await auditWrite(trx, { ...by, projectId, details: { ...by.details, role } }, 'member', userId);
      });
    },

    async removeMember(projectId: string, userId: string, by: AuditBy): Promise<boolean> {
      return db.transaction().execute(async (trx) => {
        const r = await trx
          .deleteFrom('members')
          .where('project_id', '=', projectId)
          .where('user_id', '=', userId)
          .executeTakeFirst();
        if (Number(r.numDeletedRows) === 0) return false;
        await auditWrite(trx, { ...by, projectId }, 'member', userId);
        return true;
      });
    },
  };
}
