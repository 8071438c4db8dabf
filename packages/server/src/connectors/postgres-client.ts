// One lazily opened PostgreSQL connection per connector or table writer: opened on first use, forgotten when the
// server drops it (an idle connection's 'error' would otherwise crash the process) or a query breaks it.

import pg from 'pg';
import type { ModelyardError } from '../errors.js';
import { unprocessable } from '../errors.js';
import { driverMessage, type ConnectionSpec, type ConnectorLimits } from './connector.js';

export interface LazyPostgresClient {
  /** The open connection, connecting (and running `setup`) first when there is none; connection errors mapped. */
  get(): Promise<pg.Client>;
  /** Ends a connection that failed mid-use, so the next `get` opens a fresh one. */
  discard(broken: pg.Client): Promise<void>;
  close(): Promise<void>;
}

export function lazyPostgresClient(
  spec: ConnectionSpec,
  limits: ConnectorLimits,
  setup?: (client: pg.Client) => Promise<void>,
): LazyPostgresClient {
  let client: pg.Client | undefined;
  const where = { host: spec.host, port: spec.port, database: spec.database, user: spec.user };
  return {
    async get() {
      if (client !== undefined) return client;
      const next = new pg.Client({
        host: spec.host,
        port: spec.port,
        database: spec.database,
        user: spec.user,
        password: spec.password,
        ssl: spec.ssl ?? false,
        connectionTimeoutMillis: limits.connectTimeoutMs,
        application_name: 'modelyard',
      });
      next.on('error', () => {
        if (client === next) client = undefined;
      });
      try {
        await next.connect();
        await setup?.(next);
      } catch (error) {
        await next.end().catch(() => undefined);
        throw connectError(error, spec, limits, where);
      }
      client = next;
      return next;
    },
    async discard(broken) {
      if (client === broken) client = undefined;
      await broken.end().catch(() => undefined);
    },
    async close() {
      const c = client;
      client = undefined;
      if (c !== undefined) await c.end().catch(() => undefined);
    },
  };
}

/** A connection failure as the connectors' error contract names it (connector.ts); the password never included. */
export function connectError(
  error: unknown,
  spec: ConnectionSpec,
  limits: ConnectorLimits,
  where: Record<string, unknown>,
): ModelyardError {
  const reason = driverMessage(error, spec.password);
  const code = (error as { code?: unknown }).code;
  const target = `${spec.host}:${spec.port}`;
  // 28P01 wrong password, 28000 unknown role or no pg_hba entry; pg raises SASL errors for a missing password.
  if (code === '28P01' || code === '28000' || /^SASL:|password/i.test(reason)) {
    return unprocessable('authentication_failed', `PostgreSQL at ${target} rejected user '${spec.user}'.`, {
      ...where,
      reason,
    });
  }
  if (/timeout/i.test(reason) || code === 'ETIMEDOUT') {
    return unprocessable(
      'connection_timeout',
      `No connection to PostgreSQL at ${target} within ${limits.connectTimeoutMs} ms.`,
      { ...where, timeoutMs: limits.connectTimeoutMs, reason },
    );
  }
  return unprocessable('connection_failed', `Could not connect to PostgreSQL at ${target}: ${reason}`, {
    ...where,
    reason,
  });
}
