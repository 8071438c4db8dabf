// Training profiles of runs: built on first need from the run's own dataset version (the very snapshot it trained
// on) and kept next to its model as runs/<id>/training-profile.json. Lazily, because a study's hundreds of trials
// never need one; registered versions get theirs when an endpoint first serves them or drift asks for them.

import { buildTrainingProfile, type ModelArtifact, type TrainingProfile } from '@modelyard/engine';
import type { Logger } from 'pino';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { DuckDb } from '../data/duckdb.js';
import { loadFrame } from '../data/load-frame.js';
import type { MetadataStore } from '../store/metadata-store.js';
import type { ModelCache } from '../serving/model-cache.js';

export const trainingProfileKey = (runId: string): string => `runs/${runId}/training-profile.json`;

const CAPACITY = 32;

export interface ProfileDeps {
  store: MetadataStore;
  artifacts: ArtifactStore;
  duck: DuckDb;
  models: ModelCache;
  log: Logger;
}

export class TrainingProfiles {
  private readonly entries = new Map<string, Promise<TrainingProfile | null>>();

  constructor(private readonly deps: ProfileDeps) {}

  /**
   * The run's training profile, or null when it cannot have one: not a native model trained here (imported ONNX),
   * or its dataset version is gone. Failures are logged and give null: monitoring must not stop serving.
   */
  get(runId: string): Promise<TrainingProfile | null> {
    const hit = this.entries.get(runId);
    if (hit) {
      this.entries.delete(runId);
      this.entries.set(runId, hit);
      return hit;
    }
    const pending = this.load(runId).catch((error: unknown) => {
      this.deps.log.warn({ err: error, runId }, 'training profile unavailable');
      this.entries.delete(runId);
      return null;
    });
    this.entries.set(runId, pending);
    if (this.entries.size > CAPACITY) this.entries.delete(this.entries.keys().next().value!);
    return pending;
  }

  private async load(runId: string): Promise<TrainingProfile | null> {
    const { store, artifacts, duck, models } = this.deps;
    const key = trainingProfileKey(runId);
    if (await artifacts.exists(key)) {
      return JSON.parse(new TextDecoder().decode(await artifacts.getBytes(key))) as TrainingProfile;
    }
    const run = await store.getRun(runId);
    if (!run?.artifactKey?.endsWith('.json') || !run.datasetId || !run.datasetVersion) return null;
    const version = await store.getDatasetVersion(run.datasetId, run.datasetVersion);
    if (!version) return null;
    const artifact: ModelArtifact = await models.load(run.artifactKey);
    const names = artifact.features.map((f) => f.name);
    const frame = await artifacts.withLocalFile(version.snapshotKey, (path) => loadFrame(duck, path, names));
    const profile = buildTrainingProfile(artifact, frame);
    await artifacts.putBytes(key, new TextEncoder().encode(JSON.stringify(profile)));
    return profile;
  }
}
