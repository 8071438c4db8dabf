// Registering content as a dataset version, the same for files, uploads, SQL results and refreshes: same content,
// same version; the dataset is created on its first version.

import type { IngestResult } from '../data/index.js';
import type { DatasetRecord, DatasetVersionRecord, MetadataStore } from '../store/metadata-store.js';

export interface SavedVersion {
  dataset: DatasetRecord;
  /** The dataset's version for this content: new, or the one it already had. */
  version: DatasetVersionRecord;
  /** Whether this content made a new version. */
  created: boolean;
}

export async function saveDatasetVersion(
  store: MetadataStore,
  target: { projectId: string; name: string; description: string; userId: string },
  ingested: IngestResult,
  source: string,
): Promise<SavedVersion> {
  const by = { actor: target.userId, projectId: target.projectId };
  let dataset = await store.getDatasetByName(target.projectId, target.name);
  if (dataset) {
    const existing = await store.getDatasetVersion(dataset.id, ingested.version);
    if (existing) return { dataset, version: existing, created: false };
  } else {
    dataset = await store.createDataset(
      { projectId: target.projectId, name: target.name, description: target.description, createdBy: target.userId },
      { ...by, action: 'dataset.create' },
    );
  }
  const version = await store.addDatasetVersion(
    {
      datasetId: dataset.id,
      version: ingested.version,
      snapshotKey: ingested.snapshotKey,
      rows: ingested.rows,
      bytes: ingested.bytes,
      source,
      profile: ingested.profile,
      createdBy: target.userId,
    },
    { ...by, action: 'dataset.version.create' },
  );
  return { dataset, version, created: true };
}
