// The server's own base URL as a child process on the same machine reaches it: a wildcard address is not one to
// connect to, so it becomes the loopback of its family.

import type { AddressInfo } from 'node:net';

export function localUrlOf(address: AddressInfo | string | null, fallback: string): string {
  if (address === null || typeof address === 'string') return fallback;
  const host = address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '::1' : address.address;
  return `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
}
