// Who calls the MLflow routes: `Authorization: Bearer <token>` (MLFLOW_TRACKING_TOKEN) or Basic `user:token`
// (MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD, where the password is one of the user's tokens).

import type { FastifyRequest } from 'fastify';
import { hashToken, parseBearer } from '../auth/tokens.js';
import type { MetadataStore, UserRecord } from '../store/metadata-store.js';
import { MlflowError } from './mlflow-error.js';

const unauthenticated = (message: string) => new MlflowError(401, 'UNAUTHENTICATED', message);

function parseBasic(header: string): { user: string; token: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), token: decoded.slice(colon + 1) };
}

export async function mlflowUser(store: MetadataStore, request: FastifyRequest): Promise<UserRecord> {
  const header = request.headers.authorization;
  if (!header) {
    throw unauthenticated(
      'You are not authenticated. Set MLFLOW_TRACKING_TOKEN to a Modelyard token, or MLFLOW_TRACKING_USERNAME ' +
        'and MLFLOW_TRACKING_PASSWORD to your user name and a token.',
    );
  }
  const bearer = parseBearer(header);
  const basic = bearer === undefined ? parseBasic(header) : undefined;
  const token = bearer ?? basic?.token;
  if (token === undefined || token === '') {
    throw unauthenticated('The Authorization header must be "Bearer <token>" or Basic with user and token.');
  }
  const user = await store.findUserByTokenHash(hashToken(token));
  if (!user) throw unauthenticated('The token is not valid.');
  // Basic auth names the user too: a token of someone else is refused, not silently used as theirs.
  if (basic !== undefined && basic.user !== user.name) throw unauthenticated('The token does not belong to this user.');
  return user;
}
