// Registering content as a dataset version, the same for files, uploads, SQL results and refreshes: same content,
// same version; the dataset is created on its first version.

import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { IngestResult } from '../data/index.js';
import { ModelyardError } from '../errors.js';
import type { DatasetRecord, DatasetVersionRecord, MetadataStore } from '../store/metadata-store.js';
import { collectDatasetGarbage } from './dataset-gc.js';

export interface SavedVersion {
  dataset: DatasetRecord;
  /** The dataset's version for this content: new, or the one it already had. */
  version: DatasetVersionRecord;
  /** Whether this content made a new version. */
  created: boolean;
}

export async function saveDatasetVersion(
  services: { store: MetadataStore; artifacts: ArtifactStore; config: { snapshotGraceSeconds: number } },
  target: { projectId: string; name: string; description: string; userId: string },
  ingested: IngestResult,
  source: string,
): Promise<SavedVersion> {
  const { store, artifacts } = services;
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
  // The snapshot may have been swept from the trash between being found and the row going in (see dataset-gc.ts).
  if (!(await artifacts.exists(ingested.snapshotKey))) {
    await store.deleteDatasetVersion(
      { datasetId: dataset.id, version: version.version },
      { ...by, action: 'dataset.version.delete', details: { reason: 'snapshot_collected' } },
    );
    throw new ModelyardError(
      503,
      'snapshot_collected',
      'The snapshot for this content was being deleted at the same moment; send the request again.',
    );
  }
  if (dataset.retention) {
    await collectDatasetGarbage(services, dataset, dataset.retention, { dryRun: false, actor: target.userId });
  }
  return { dataset, version, created: true };
}
