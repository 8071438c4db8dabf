// MLflow's page tokens: opaque to clients, here base64 of a small JSON object holding where the next page starts.

import { invalidParameter } from './mlflow-error.js';

export function encodePageToken(position: Record<string, number>): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64');
}

/** The number stored under `field` in a token, 0 without a token. */
export function decodePageToken(token: string | undefined, field: string): number {
  if (token === undefined || token === '') return 0;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token)) throw invalidParameter('Invalid page token, could not base64-decode');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
  } catch {
    throw invalidParameter('Invalid page token, could not base64-decode');
  }
  const value = (parsed as Record<string, unknown> | null)?.[field];
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalidParameter(`Invalid page token, it has no valid '${field}'.`);
  }
  return value;
}
