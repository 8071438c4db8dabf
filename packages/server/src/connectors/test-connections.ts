// Test support: the database servers the connector tests use (`.ci/run` makes sure both run), as connection specs.

import type { ConnectionSpec, ConnectorKind } from './connector.js';

export { TEST_POSTGRES_URL } from '../store/test-databases.js';
export const TEST_MYSQL_URL = process.env.MODELYARD_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

/** A postgres:// or mysql:// URL as a connection spec. */
export function specOf(kind: ConnectorKind, url: string): ConnectionSpec {
  const u = new URL(url);
  return {
    kind,
    host: u.hostname,
    port: Number(u.port || (kind === 'postgres' ? 5432 : 3306)),
    database: decodeURIComponent(u.pathname.slice(1)),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
  };
}
