// Live probes call the real predict path of their own server with an internal token that never leaves the process
// (random per start): it authenticates only predict calls that carry `x-modelyard-probe: 1`, and such calls answer
// from the primary route without touching the inference log or the shadow, so probes never reach drift or accuracy.

import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { UserRecord } from '../store/metadata-store.js';

export const PROBE_HEADER = 'x-modelyard-probe';

/** The caller of live probes: a platform admin that exists only in memory, for predict calls only. */
export const PROBE_USER: UserRecord = {
  id: 'system_probes',
  name: 'modelyard-probes',
  isAdmin: true,
  createdAt: '1970-01-01T00:00:00.000Z',
};

/** The probe user when the bearer token is this server's internal probe token on a probe predict call. */
export function probeUserFor(
  token: string,
  internalToken: string | undefined,
  request: Pick<FastifyRequest, 'headers'>,
  predictPath: boolean,
): UserRecord | undefined {
  if (internalToken === undefined || !predictPath || request.headers[PROBE_HEADER] !== '1') return undefined;
  const given = Buffer.from(token);
  const expected = Buffer.from(internalToken);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  return PROBE_USER;
}

/** True for a live probe's predict call (authenticated by the internal token, so no caller can pretend to be one). */
export function isProbeRequest(request: Pick<FastifyRequest, 'headers' | 'user'>): boolean {
  return request.user.id === PROBE_USER.id && request.headers[PROBE_HEADER] === '1';
}
