// Opening a stored connection: its password unsealed only here, for the connector, never anywhere else.

import type { SecretBox } from '../auth/secret-box.js';
import { openConnector, type Connector, type ConnectorLimits } from '../connectors/connector.js';
import { openTrinoConnector } from '../connectors/trino-connector.js';
import type { ConnectionRecord } from '../store/metadata-store.js';

/** How long a connection may take to open and a query to run, for every SQL dataset and connection test. */
export const CONNECTOR_LIMITS: ConnectorLimits = { connectTimeoutMs: 10_000, queryTimeoutMs: 10 * 60_000 };

export function connectorFor(
  connection: ConnectionRecord,
  secrets: SecretBox,
  limits: ConnectorLimits = CONNECTOR_LIMITS,
): Connector {
  const spec = {
    host: connection.host,
    port: connection.port,
    database: connection.database,
    user: connection.user,
    password: secrets.open(connection.sealedSecret, connection.id),
    ...(connection.options.ssl === undefined ? {} : { ssl: connection.options.ssl }),
  };
  return connection.kind === 'trino'
    ? openTrinoConnector(spec, limits)
    : openConnector({ ...spec, kind: connection.kind }, limits);
}
