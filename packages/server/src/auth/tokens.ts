// Personal access tokens: random secrets shown once; only their SHA-256 is stored.

import { createHash, randomBytes } from 'node:crypto';

const PREFIX = 'myd_';

export function generateToken(): string {
  return PREFIX + randomBytes(32).toString('base64url');
}

/** Tokens carry 256 random bits, so a fast hash is enough: there is nothing to brute-force. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function parseBearer(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
