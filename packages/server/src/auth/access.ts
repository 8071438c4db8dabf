// Role checks: every read and write is decided here from the caller's role on the object's project.

import type { Role } from '@modelyard/client';
import { forbidden, notFound } from '../errors.js';
import type { MetadataStore, ProjectRecord, UserRecord } from '../store/metadata-store.js';

const RANK: Record<Role, number> = { viewer: 1, editor: 2, admin: 3 };

export function roleAtLeast(role: Role | undefined, min: Role): boolean {
  return role !== undefined && RANK[role] >= RANK[min];
}

/** The caller's role on a project; platform admins are admins everywhere. */
export async function roleOn(store: MetadataStore, user: UserRecord, projectId: string): Promise<Role | undefined> {
  if (user.isAdmin) return 'admin';
  return store.getRole(projectId, user.id);
}

/**
 * Throws unless the caller has `min` on the project. Non-members get the object's not-found error, so ids in other
 * projects reveal nothing; members below `min` get 403.
 */
export async function requireRole(
  store: MetadataStore,
  user: UserRecord,
  projectId: string,
  min: Role,
  hidden: { type: string; id: string },
): Promise<Role> {
  const role = await roleOn(store, user, projectId);
  if (role === undefined) throw notFound(hidden.type, hidden.id);
  if (!roleAtLeast(role, min)) {
    throw forbidden(`This needs the ${min} role on the project; you are ${role}.`, { required: min, role });
  }
  return role;
}

export async function projectByName(
  store: MetadataStore,
  user: UserRecord,
  name: string,
  min: Role,
): Promise<{ project: ProjectRecord; role: Role }> {
  const project = await store.getProjectByName(name);
  if (!project) throw notFound('project', name);
  const role = await requireRole(store, user, project.id, min, { type: 'project', id: name });
  return { project, role };
}
