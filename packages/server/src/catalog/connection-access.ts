// Opening a stored connection: its password unsealed only here, for the connector, never anywhere else.

import type { SecretBox } from '../auth/secret-box.js';
import { openConnector, type ConnectionSpec, type Connector, type ConnectorLimits } from '../connectors/connector.js';
import { openTableWriter, type TableWriter } from '../connectors/table-writer.js';
import { openTrinoConnector } from '../connectors/trino-connector.js';
import type { ConnectionRecord } from '../store/metadata-store.js';

/** How long a connection may take to open and a query to run, for every SQL dataset and connection test. */
export const CONNECTOR_LIMITS: ConnectorLimits = { connectTimeoutMs: 10_000, queryTimeoutMs: 10 * 60_000 };

function specOf(connection: ConnectionRecord, secrets: SecretBox): Omit<ConnectionSpec, 'kind'> {
  return {
    host: connection.host,
    port: connection.port,
    database: connection.database,
    user: connection.user,
    password: secrets.open(connection.sealedSecret, connection.id),
    ...(connection.options.ssl === undefined ? {} : { ssl: connection.options.ssl }),
  };
}

export function connectorFor(
  connection: ConnectionRecord,
  secrets: SecretBox,
  limits: ConnectorLimits = CONNECTOR_LIMITS,
): Connector {
  const spec = specOf(connection, secrets);
  return connection.kind === 'trino'
    ? openTrinoConnector(spec, limits)
    : openConnector({ ...spec, kind: connection.kind }, limits);
}

/** Whether rows can be written to tables on this kind of connection (PostgreSQL, MySQL and MariaDB; not Trino). */
export const canWriteTables = (connection: Pick<ConnectionRecord, 'kind'>): boolean => connection.kind !== 'trino';

/**
 * A writer for tables on the connection, with the database user's own grants: a connection whose user may only read
 * stays read-only. Callers check `canWriteTables` first.
 */
export function tableWriterFor(
  connection: ConnectionRecord,
  secrets: SecretBox,
  limits: ConnectorLimits = CONNECTOR_LIMITS,
): TableWriter {
  if (connection.kind === 'trino') throw new Error('Trino connections take no table writes.');
  return openTableWriter({ ...specOf(connection, secrets), kind: connection.kind }, limits);
}
