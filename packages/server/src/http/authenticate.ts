// The bearer-token hook: resolves the caller or answers 401 before any route runs.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hashToken, parseBearer } from '../auth/tokens.js';
import { unauthenticated } from '../errors.js';
import type { MetadataStore, UserRecord } from '../store/metadata-store.js';

declare module 'fastify' {
  interface FastifyRequest {
    user: UserRecord;
  }
}

export function installAuthentication(app: FastifyInstance, store: MetadataStore): void {
  app.decorateRequest('user', undefined as unknown as UserRecord);
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
    const user = await store.findUserByTokenHash(hashToken(token));
    if (!user) throw unauthenticated('The token is not valid.');
    request.user = user;
  });
}
