// The bearer-token hook: resolves the caller or answers 401 before any route runs.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hashToken, parseBearer } from '../auth/tokens.js';
import { unauthenticated } from '../errors.js';
import { probeUserFor } from '../monitoring/probe-auth.js';
import type { MetadataStore, UserRecord } from '../store/metadata-store.js';

declare module 'fastify' {
  interface FastifyRequest {
    user: UserRecord;
  }
}

/** Predict calls may reuse a token's user for this long: a revoked token stops working within a second there. */
const PREDICT_AUTH_TTL_MS = 1000;
const PREDICT_PATH = /^\/api\/v1\/endpoints\/[^/?]+\/predict(\?|$)/;

/** @param probeToken the server's internal token for live probes (monitoring/probe-auth.ts). */
export function installAuthentication(app: FastifyInstance, store: MetadataStore, probeToken?: string): void {
  app.decorateRequest('user', undefined as unknown as UserRecord);
  const recent = new Map<string, { user: UserRecord; at: number }>();
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const header = request.headers.authorization;
    const token = parseBearer(header);
    if (!token) {
      throw unauthenticated(
        header
          ? 'The Authorization header must be "Bearer <token>".'
          : 'Send a personal access token as "Authorization: Bearer <token>".',
      );
    }
    // Keyed by the token itself (in memory only, never logged), so a hit costs no hash.
    const predict = PREDICT_PATH.test(request.url);
    const prober = probeUserFor(token, probeToken, request, predict);
    if (prober) {
      request.user = prober;
      return;
    }
    const hit = predict ? recent.get(token) : undefined;
    if (hit && Date.now() - hit.at <= PREDICT_AUTH_TTL_MS) {
      request.user = hit.user;
      return;
    }
    const user = await store.findUserByTokenHash(hashToken(token));
    if (!user) throw unauthenticated('The token is not valid.');
    if (predict) {
      if (recent.size > 10_000) recent.clear();
      recent.set(token, { user, at: Date.now() });
    }
    request.user = user;
  });
}
