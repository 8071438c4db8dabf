// Loaded model artifacts by run, kept in memory so predictions do not re-read and re-parse them.

import { parseArtifact, type ModelArtifact } from '@modelyard/engine';
import type { ArtifactStore } from '../artifacts/artifact-store.js';

export class ModelCache {
  private readonly entries = new Map<string, ModelArtifact>();

  constructor(
    private readonly artifacts: ArtifactStore,
    private readonly capacity = 64,
  ) {}

  async load(artifactKey: string): Promise<ModelArtifact> {
    const hit = this.entries.get(artifactKey);
    if (hit) {
      // Re-insert to mark as recently used.
      this.entries.delete(artifactKey);
      this.entries.set(artifactKey, hit);
      return hit;
    }
    const bytes = await this.artifacts.getBytes(artifactKey);
    const artifact = parseArtifact(JSON.parse(new TextDecoder().decode(bytes)));
    this.entries.set(artifactKey, artifact);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    return artifact;
  }
}
