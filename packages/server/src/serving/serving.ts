// The serving side of one server: what each endpoint serves, and the durable logs of what it answered.

import type { MetadataStore, NewInference, ShadowEntry } from '../store/metadata-store.js';
import { notFound } from '../errors.js';
import { GroupCommit } from './group-commit.js';
import { nativeModel, onnxModel, type LoadedModel } from './loaded-model.js';
import { OnnxScorer } from './onnx-model.js';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import type { ModelCache } from './model-cache.js';
import type { TrainingProfiles } from '../monitoring/training-profiles.js';
import { ServingRuntime } from './serving-runtime.js';
import { ThreadedSqliteLog } from './threaded-sqlite-log.js';

/** Imported ONNX models are stored under this name in their run. */
export const ONNX_ARTIFACT_NAME = 'model.onnx';
export const isOnnxKey = (key: string): boolean => key.endsWith(`/${ONNX_ARTIFACT_NAME}`);

export interface Serving {
  runtime: ServingRuntime;
  /** Every answered request, committed before the answer is sent. */
  inferences: GroupCommit<NewInference>;
  /** What shadow versions answered to mirrored requests. */
  shadows: GroupCommit<ShadowEntry>;
  /** Commits what is pending. */
  close(): Promise<void>;
}

/**
 * @param sqlitePath the embedded store's file: its serving logs are then written from a worker thread
 *   (threaded-sqlite-log.ts); PostgreSQL writes do not block the event loop and go through the store.
 * @param profiles training profiles, for the out-of-profile flags on every answer.
 */
export function createServing(
  store: MetadataStore,
  models: ModelCache,
  artifacts: ArtifactStore,
  sqlitePath?: string,
  profiles?: TrainingProfiles,
): Serving {
  const loaded = new WeakMap<object, LoadedModel>();
  // ONNX sessions by artifact key: the files are immutable, and a session is costly to create.
  const onnx = new Map<string, Promise<LoadedModel>>();
  const runtime = new ServingRuntime(store, async (runId) => {
    const run = await store.getRun(runId);
    if (!run?.artifactKey) throw notFound('model_artifact', runId);
    if (isOnnxKey(run.artifactKey)) {
      const key = run.artifactKey;
      let session = onnx.get(key);
      if (session === undefined) {
        session = artifacts.getBytes(key).then(async (bytes) => onnxModel(await OnnxScorer.load(bytes)));
        onnx.set(key, session);
        session.catch(() => onnx.delete(key));
      }
      return session;
    }
    const artifact = await models.load(run.artifactKey);
    let model = loaded.get(artifact);
    if (model === undefined) {
      // Flags records outside what the version saw in training, when its training data can be profiled.
      model = nativeModel(artifact, await profiles?.get(runId));
      loaded.set(artifact, model);
    }
    return model;
  });
  const threaded =
    store.dialect === 'sqlite' && sqlitePath !== undefined ? new ThreadedSqliteLog(sqlitePath) : undefined;
  const writer = threaded ?? store;
  const inferences = new GroupCommit<NewInference>((entries) => writer.logInferences(entries));
  const shadows = new GroupCommit<ShadowEntry>((entries) => writer.logShadows(entries));
  return {
    runtime,
    inferences,
    shadows,
    async close() {
      await inferences.flush();
      await shadows.flush();
      await threaded?.close();
    },
  };
}
