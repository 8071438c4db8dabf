// The optional last step of a batch run: the registered output version's rows written to a table on one of the
// project's connections (replace or append), and where they went recorded on the run.

import type { BatchJob, BatchOutputTable } from '@modelyard/client';
import { canWriteTables, tableWriterFor } from '../catalog/connection-access.js';
import { copySnapshotToTable } from '../connectors/copy-snapshot-to-table.js';
import { parseTableName } from '../connectors/table-writer.js';
import { notFound, unprocessable } from '../errors.js';
import type { Services } from '../services.js';
import type { ConnectionRecord } from '../store/metadata-store.js';

/**
 * The job's output table as far as it can be checked without connecting: a valid name (400 invalid_table_name), a
 * connection of the job's project (404 connection_not_found, so no other project's connection is ever reachable)
 * of a kind that takes writes (422 output_table_unsupported).
 */
export async function checkOutputTable(
  services: Pick<Services, 'store'>,
  projectId: string,
  outputTable: BatchOutputTable,
): Promise<ConnectionRecord> {
  parseTableName(outputTable.table);
  const connection = await services.store.getConnectionByName(projectId, outputTable.connection);
  if (!connection) throw notFound('connection', outputTable.connection);
  if (!canWriteTables(connection)) {
    throw unprocessable(
      'output_table_unsupported',
      `Connection '${connection.name}' is a ${connection.kind} connection; output tables go to PostgreSQL, MySQL or MariaDB.`,
      { connection: connection.name, kind: connection.kind },
    );
  }
  return connection;
}

/**
 * Writes the output snapshot to the job's table (nothing without one) and records it on the run. Failures surface as
 * the writer's codes (output_table_failed, output_table_mismatch, connection_failed…); the version stays registered.
 */
export async function writeOutputTable(
  services: Services,
  job: BatchJob,
  runId: string,
  snapshotKey: string,
): Promise<void> {
  const target = job.outputTable;
  if (target === null) return;
  const connection = await checkOutputTable(services, job.projectId, target);
  const table = parseTableName(target.table);
  const writer = tableWriterFor(connection, services.secrets);
  let rows: number;
  try {
    rows = await services.artifacts.withLocalFile(snapshotKey, (path) =>
      copySnapshotToTable(services.duck, path, writer, table, target.mode),
    );
  } finally {
    await writer.close();
  }
  await services.store.updateBatchRun(runId, {
    outputTable: { connection: connection.name, table: target.table, rows },
  });
}
