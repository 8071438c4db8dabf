// Starts one Modelyard server: stores, DuckDB, worker pool, HTTP app; and stops it cleanly.

import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { FsArtifactStore } from './artifacts/fs-artifact-store.js';
import { resolveConfig, type ConfigInput, type ServerConfig } from './config/server-config.js';
import { sweepSnapshotTrash } from './catalog/dataset-gc.js';
import { openDuckDb } from './data/index.js';
import { buildApp } from './http/app.js';
import { TrainingQueue } from './jobs/training-queue.js';
import { CommandJobs } from './jobs/command-jobs.js';
import { BatchRunner } from './jobs/batch-scoring.js';
import { localUrlOf } from './jobs/server-url.js';
import { unfinishedCommandRuns } from './jobs/unfinished-command-runs.js';
import { AutomlRunner } from './tuning/automl-runner.js';
import { StudyRunner } from './tuning/study-runner.js';
import { bootstrapAdmin, ensureMlflowProject, seedDemo, TOKEN_FILE } from './seed-demo.js';
import { ModelCache } from './serving/model-cache.js';
import { createServing } from './serving/serving.js';
import { TrainingProfiles } from './monitoring/training-profiles.js';
import { DriftMonitors } from './monitoring/drift-monitors.js';
import { RetrainSchedules } from './monitoring/retrain-schedules.js';
import { driftSource, outOfProfileSource } from './monitoring/drift-alert-sources.js';
import { fairnessSource } from './monitoring/fairness-alert-source.js';
import { moveAlias } from './registry/move-alias.js';
import { ProbeRunner } from './monitoring/probe-runner.js';
import { Alerts } from './monitoring/alert-service.js';
import { alertSettings, type AlertSettingsInput } from './monitoring/alert-settings.js';
import type { Services } from './services.js';
import { loadSecretKey, secretBox } from './auth/secret-box.js';
import { openMetadataStore } from './store/open-metadata-store.js';
import { captureEnvironment } from './tracking/run-environment.js';

const SWEEP_INTERVAL_MS = 3_600_000;

export interface StartOptions extends ConfigInput {
  /** Log destination; JSON lines on stdout by default, nothing when false. */
  logger?: boolean;
  /** Alert evaluation and webhook delivery timing (defaults and MODELYARD_ALERT_* / MODELYARD_WEBHOOK_* otherwise). */
  alerts?: AlertSettingsInput;
}

export interface RunningServer {
  url: string;
  config: ServerConfig;
  /** The admin token generated on this (first) start, or null. */
  generatedAdminToken: string | null;
  tokenFile: string | null;
  firstStart: boolean;
  services: Services;
  close(): Promise<void>;
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const config = resolveConfig(options);
  await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
  await mkdir(join(config.dataDir, 'imports'), { recursive: true });
  const logger = options.logger === false ? false : { level: config.logLevel, redact: ['req.headers.authorization'] };
  const log = logger === false ? pino({ level: 'silent' }) : pino(logger);

  const store = await openMetadataStore({
    databaseUrl: config.databaseUrl,
    sqlitePath: join(config.dataDir, 'metadata.sqlite'),
  });
  const artifacts = new FsArtifactStore(join(config.dataDir, 'artifacts'));
  const duck = await openDuckDb();
  const environment = await captureEnvironment();
  const training = new TrainingQueue({
    store,
    artifacts,
    duck,
    environment,
    threads: config.workers,
    trainThreads: config.trainThreads,
    log,
  });
  // The key stays out of `config`, which routes may read: only the secret box holds it.
  const secrets = secretBox(await loadSecretKey(config.dataDir, process.env.MODELYARD_SECRET_KEY));
  const models = new ModelCache(artifacts);
  const profiles = new TrainingProfiles({ store, artifacts, duck, models, log });
  const studies = new StudyRunner(store, training, log);
  const automl = new AutomlRunner(store, training, studies, log);
  const services: Services = {
    config,
    store,
    artifacts,
    duck,
    training,
    studies,
    automl,
    models,
    serving: createServing(store, models, artifacts, join(config.dataDir, 'metadata.sqlite'), profiles),
    profiles,
    driftMonitors: new DriftMonitors(() => services, log),
    retrainSchedules: new RetrainSchedules(() => services, log),
    secrets,
    commands: new CommandJobs({
      store,
      artifacts,
      workDir: join(config.dataDir, 'tmp', 'jobs'),
      slots: config.commandSlots,
      maxLogBytes: config.commandLogBytes,
      log,
    }),
    batch: new BatchRunner(() => services, availableParallelism(), log),
    probes: new ProbeRunner(() => services, log),
    alerts: new Alerts(() => services, store, alertSettings(options.alerts), log),
  };
  const { commands } = services;
  services.alerts.registerSource(driftSource(store));
  services.alerts.registerSource(outOfProfileSource(store, () => services.serving.inferences.flush()));
  services.alerts.registerSource(fairnessSource(services));
  automl.moveAlias = (model, alias, version, by) => moveAlias(services, model, alias, version, by);

  const app = await buildApp(services, { logger });
  const boot = await bootstrapAdmin(services);
  await ensureMlflowProject(services, boot.admin);
  await training.recover();
  await studies.recover();
  await automl.recover();
  // Command jobs do not outlive their server: the runs they left unfinished fail with worker_lost.
  await commands.recover(await unfinishedCommandRuns(store));
  await services.batch.recover();
  await services.driftMonitors.start();
  await services.retrainSchedules.start();
  if (boot.firstStart && config.seedDemo) await seedDemo(services, boot.admin, app.log);
  const address = await app.listen({ host: config.host, port: config.port });
  commands.setServerUrl(localUrlOf(app.server.address(), address));
  services.probes.setServerUrl(localUrlOf(app.server.address(), address));
  services.probes.start();
  await services.alerts.start();
  // Snapshots of deleted versions are deleted once their grace period is over: at start, then every hour.
  const sweep = () =>
    sweepSnapshotTrash(services).catch((error: unknown) => app.log.error({ err: error }, 'snapshot sweep failed'));
  await sweep();
  const sweeper = setInterval(() => void sweep(), SWEEP_INTERVAL_MS).unref();

  let closed = false;
  return {
    url: address.replace('[::1]', 'localhost'),
    config,
    generatedAdminToken: boot.generatedToken,
    tokenFile: boot.generatedToken ? join(config.dataDir, TOKEN_FILE) : null,
    firstStart: boot.firstStart,
    services,
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sweeper);
      studies.close();
      automl.close();
      await commands.close();
      await services.batch.close();
      services.driftMonitors.close();
      services.retrainSchedules.close();
      await services.probes.close();
      await services.alerts.close();
      await app.close();
      await services.serving.close();
      await training.close();
      await duck.close();
      await store.close();
    },
  };
}
