// The input side of a batch run: which dataset version it reads (a SQL source is first registered as a dataset of its
// own, so every run reads an immutable snapshot that a resumed run finds again), and how each model feature is read.

import type { BatchJob, BatchSource, ColumnType } from '@modelyard/client';
import type { ModelArtifact } from '@modelyard/engine';
import { connectorFor } from '../catalog/connection-access.js';
import { snapshotDerived } from '../catalog/derived-dataset.js';
import { saveDatasetVersion } from '../catalog/save-dataset-version.js';
import { snapshotQuery } from '../connectors/query-snapshot.js';
import { checkSingleSelect } from '../connectors/read-only-sql.js';
import { badRequest, notFound, unprocessable } from '../errors.js';
import type { Services } from '../services.js';
import type { DatasetVersionRecord, DatasetVersionRef } from '../store/metadata-store.js';
import type { BatchFeatureRead } from './batch-messages.js';

export type BatchInputServices = Services;

/** The dataset a SQL source's results are registered as: the output's name with `_input`. */
export const inputDatasetName = (job: Pick<BatchJob, 'outputDataset'>): string => `${job.outputDataset}_input`;

/** Checks what can be checked of a source without reading data: the dataset exists, the SQL is one SELECT. */
export async function checkSource(services: BatchInputServices, projectId: string, source: BatchSource): Promise<void> {
  const { store } = services;
  switch (source.kind) {
    case 'dataset': {
      const dataset = await store.getDatasetByName(projectId, source.dataset);
      if (!dataset) throw notFound('dataset', source.dataset);
      await pickDatasetVersion(services, dataset.id, source.version);
      return;
    }
    case 'connection': {
      const connection = await store.getConnectionByName(projectId, source.connection);
      if (!connection) throw notFound('connection', source.connection);
      checkSingleSelect(source.sql, connection.kind === 'mysql' ? 'mysql' : 'postgres');
      return;
    }
    case 'datasets_sql':
      // The workbench runs DuckDB, whose quoting is PostgreSQL's.
      checkSingleSelect(source.sql, 'postgres');
      return;
  }
}

async function pickDatasetVersion(
  services: BatchInputServices,
  datasetId: string,
  wanted: string | null,
): Promise<DatasetVersionRecord> {
  if (wanted === null) {
    const latest = await services.store.latestDatasetVersion(datasetId);
    if (!latest) throw notFound('dataset_version', 'latest');
    return latest;
  }
  const matches = await services.store.findDatasetVersions(datasetId, wanted);
  if (matches.length === 0) throw notFound('dataset_version', wanted);
  if (matches.length > 1) throw badRequest('ambiguous_version', `Version prefix '${wanted}' matches several versions.`);
  return matches[0]!;
}

/** A dataset source's version as of now (the latest unless the job names one). */
export async function datasetInput(
  services: BatchInputServices,
  projectId: string,
  source: Extract<BatchSource, { kind: 'dataset' }>,
): Promise<DatasetVersionRecord> {
  const dataset = await services.store.getDatasetByName(projectId, source.dataset);
  if (!dataset) throw notFound('dataset', source.dataset);
  return pickDatasetVersion(services, dataset.id, source.version);
}

/**
 * Runs a SQL source and registers its result as a version of `<output>_input` (with the query as the dataset's
 * source, and for a query over datasets the versions it read as parents).
 */
export async function materializeSqlInput(
  services: BatchInputServices,
  job: BatchJob,
  userId: string,
): Promise<{ version: DatasetVersionRecord; parents: DatasetVersionRef[] }> {
  const { store } = services;
  const source = job.source;
  const target = { projectId: job.projectId, name: inputDatasetName(job), description: '', userId };
  if (source.kind === 'connection') {
    const connection = await store.getConnectionByName(job.projectId, source.connection);
    if (!connection) throw notFound('connection', source.connection);
    checkSingleSelect(source.sql, connection.kind === 'mysql' ? 'mysql' : 'postgres');
    const connector = connectorFor(connection, services.secrets);
    let ingested;
    try {
      ingested = await snapshotQuery(services.duck, services.artifacts, connector, source.sql);
    } finally {
      await connector.close();
    }
    const saved = await saveDatasetVersion(services, target, ingested, `sql:${connection.name}`);
    await store.setDatasetSource(saved.dataset.id, { kind: 'sql', connectionId: connection.id, query: source.sql });
    return { version: saved.version, parents: [] };
  }
  if (source.kind !== 'datasets_sql') throw new Error('not a SQL source');
  checkSingleSelect(source.sql, 'postgres');
  const { ingested, parents } = await snapshotDerived(services, job.projectId, target.name, source.sql);
  const saved = await saveDatasetVersion(services, target, ingested, 'query');
  await store.setDatasetSource(saved.dataset.id, { kind: 'query', query: source.sql });
  await store.addDatasetVersionParents({ datasetId: saved.dataset.id, version: saved.version.version }, parents);
  return { version: saved.version, parents };
}

/**
 * How each model feature is read from the input's columns; 422 `missing_features` lists every feature the input
 * lacks, 422 `feature_type_mismatch` every one whose column cannot feed it.
 */
export function featureReads(
  artifact: ModelArtifact,
  columns: { name: string; type: ColumnType }[],
): BatchFeatureRead[] {
  const byName = new Map(columns.map((c) => [c.name, c.type]));
  const missing = artifact.features.filter((f) => !byName.has(f.name)).map((f) => f.name);
  if (missing.length > 0) {
    throw unprocessable(
      'missing_features',
      `The input lacks ${missing.length} of the model's features: ${missing.join(', ')}.`,
      { missing, available: columns.map((c) => c.name) },
    );
  }
  const mismatched: { feature: string; expected: string; column: ColumnType }[] = [];
  const reads = artifact.features.map((f): BatchFeatureRead => {
    const type = byName.get(f.name)!;
    const numeric = type === 'integer' || type === 'float' || type === 'date' || type === 'timestamp';
    if (f.type === 'number') {
      if (!numeric) mismatched.push({ feature: f.name, expected: 'number', column: type });
      return { name: f.name, read: type === 'date' || type === 'timestamp' ? type : 'number' };
    }
    if (numeric) mismatched.push({ feature: f.name, expected: 'category', column: type });
    return { name: f.name, read: 'category', categories: f.categories };
  });
  if (mismatched.length > 0) {
    throw unprocessable(
      'feature_type_mismatch',
      `Input columns of the wrong type for the model: ${mismatched.map((m) => `${m.feature} (${m.column}, model wants ${m.expected})`).join(', ')}.`,
      { mismatched },
    );
  }
  return reads;
}
