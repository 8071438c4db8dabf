// The endpoint a request names, once the caller's role in its project is at least `min`.

import { requireRole } from '../../auth/access.js';
import { notFound } from '../../errors.js';
import type { Services } from '../../services.js';
import type { EndpointRecord, UserRecord } from '../../store/metadata-store.js';

export async function endpointFor(
  services: Services,
  user: UserRecord,
  id: string,
  min: 'viewer' | 'editor',
): Promise<EndpointRecord> {
  const endpoint = await services.store.getEndpoint(id);
  if (!endpoint) throw notFound('endpoint', id);
  await requireRole(services.store, user, endpoint.projectId, min, { type: 'endpoint', id });
  return endpoint;
}
