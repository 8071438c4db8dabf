// Derived datasets: a workbench query over the project's datasets, snapshotted like any other content, with the
// dataset versions it read recorded as its lineage parents.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeSnapshot, type IngestResult } from '../data/ingest-file.js';
import { unprocessable } from '../errors.js';
import type { Services } from '../services.js';
import type { DatasetVersionRef, MetadataStore } from '../store/metadata-store.js';
import { copyWorkbenchQuery, type WorkbenchView } from './sql-workbench.js';

/** How long the query of a derived dataset may run. */
export const DERIVED_QUERY_TIMEOUT_MS = 10 * 60_000;

/** Every dataset of the project with a version, as a view of its latest snapshot (`except` left out). */
export async function projectViews(store: MetadataStore, projectId: string, except?: string): Promise<WorkbenchView[]> {
  return (await store.latestSnapshots(projectId)).filter((view) => view.name !== except);
}

/** The query's whole result as a stored snapshot, and the versions it was computed from. */
export async function snapshotDerived(
  services: Services,
  projectId: string,
  datasetName: string,
  sql: string,
): Promise<{ ingested: IngestResult; parents: DatasetVersionRef[] }> {
  // A derived dataset never reads itself: its own earlier version is not among the views.
  const views = await projectViews(services.store, projectId, datasetName);
  const dir = await mkdtemp(join(tmpdir(), 'modelyard-derived-'));
  try {
    const out = join(dir, 'snapshot.parquet');
    const { parents } = await copyWorkbenchQuery(services.artifacts, views, sql, DERIVED_QUERY_TIMEOUT_MS, out);
    const ingested = await storeSnapshot(services.duck, services.artifacts, out, () =>
      unprocessable('empty_dataset', 'The query returned no rows: there is nothing to register.'),
    );
    return { ingested, parents: parents.map((p) => ({ datasetId: p.datasetId, version: p.version })) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
