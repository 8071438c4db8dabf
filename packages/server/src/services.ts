// The parts one running server is made of, handed to every route and job.

import type { ArtifactStore } from './artifacts/artifact-store.js';
import type { SecretBox } from './auth/secret-box.js';
import type { ServerConfig } from './config/server-config.js';
import type { DuckDb } from './data/index.js';
import type { TrainingQueue } from './jobs/training-queue.js';
import type { CommandJobs } from './jobs/command-jobs.js';
import type { BatchRunner } from './jobs/batch-scoring.js';
import type { ModelCache } from './serving/model-cache.js';
import type { Serving } from './serving/serving.js';
import type { AutomlRunner } from './tuning/automl-runner.js';
import type { StudyRunner } from './tuning/study-runner.js';
import type { MetadataStore } from './store/metadata-store.js';
import type { ProbeRunner } from './monitoring/probe-runner.js';
import type { Alerts } from './monitoring/alert-service.js';
import type { TrainingProfiles } from './monitoring/training-profiles.js';
import type { DriftMonitors } from './monitoring/drift-monitors.js';
import type { RetrainSchedules } from './monitoring/retrain-schedules.js';

export interface Services {
  config: ServerConfig;
  store: MetadataStore;
  artifacts: ArtifactStore;
  duck: DuckDb;
  training: TrainingQueue;
  models: ModelCache;
  /** What endpoints serve, and the logs of what they answered (serving/serving.ts). */
  serving: Serving;
  /** Drives hyperparameter search studies (tuning/study-runner.ts). */
  studies: StudyRunner;
  /** Drives AutoML jobs (tuning/automl-runner.ts). */
  automl: AutomlRunner;
  /** Seals connection passwords under the server key (MODELYARD_SECRET_KEY or <data dir>/secret.key). */
  secrets: SecretBox;
  /** Runs command jobs (any-language runs) as child processes, a few at a time (jobs/command-jobs.ts). */
  commands: CommandJobs;
  /** Batch scoring jobs: runs, partitions over scoring threads, schedules (jobs/batch-scoring.ts). */
  batch: BatchRunner;
  /** Ground-truth probes: runs on versions, the `probes` gate, live probes of endpoints (monitoring/probe-runner.ts). */
  probes: ProbeRunner;
  /**
   * Alert rules, evaluation, history and signed webhooks (monitoring/alert-service.ts); other rooms plug metric
   * sources in (`registerSource`) and report events (`raise`, which probes use as their ProbeAlertSink).
   */
  alerts: Alerts;
  /** What each run's model saw in training, built on first need (monitoring/training-profiles.ts). */
  profiles: TrainingProfiles;
  /** Scheduled drift reports of endpoints (monitoring/drift-monitors.ts). */
  driftMonitors: DriftMonitors;
  /** Cron-scheduled retraining of models, promoted through the gates (monitoring/retrain-schedules.ts). */
  retrainSchedules: RetrainSchedules;
}
