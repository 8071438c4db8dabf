// Server settings from flags and environment variables, resolved once at start-up.

import { fileURLToPath } from 'node:url';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  /** postgres://… switches the metadata store to PostgreSQL; otherwise SQLite under dataDir. */
  databaseUrl: string | undefined;
  /** Fixed admin token for automation (MODELYARD_ADMIN_TOKEN); generated on first start when absent. */
  adminToken: string | undefined;
  /** Server-side folders a dataset path may point into. */
  allowedRoots: string[];
  /** Seed the demo project (dataset, run, model, endpoint) on first start. */
  seedDemo: boolean;
  /** Training threads of the in-process worker pool. */
  workers: number;
  /** Threads one tree-model training uses (its own plus histogram helpers); never changes a model. */
  trainThreads: number;
  logLevel: string;
  /** Largest accepted upload. */
  maxUploadBytes: number;
  /** How long a snapshot no version refers to stays before it is deleted (re-registering it in time keeps it). */
  snapshotGraceSeconds: number;
  /** The project the MLflow-compatible API at the server root works on (MODELYARD_MLFLOW_PROJECT). */
  mlflowProject: string;
  /** Command jobs running at once (MODELYARD_COMMAND_SLOTS); the others wait, queued. */
  commandSlots: number;
  /** Bytes of each output stream of a command job kept as its log (MODELYARD_COMMAND_LOG_BYTES). */
  commandLogBytes: number;
  /**
   * MODELYARD_INFERENCE_LOG=sync: a prediction is answered only once its log entry is committed (costs an fsync of
   * latency); `batched` (the default): answered at once, committed with the next batch a few ms later.
   */
  inferenceLogSync: boolean;
}

/** The repository's examples/data folder: the demo data and a default allowed root. */
export const EXAMPLES_DATA_DIR = fileURLToPath(new URL('../../../../examples/data/', import.meta.url));

export interface ConfigInput {
  host?: string | undefined;
  port?: number | string | undefined;
  dataDir?: string | undefined;
  databaseUrl?: string | undefined;
  adminToken?: string | undefined;
  allowedRoots?: string[] | undefined;
  seedDemo?: boolean | undefined;
  workers?: number | undefined;
  trainThreads?: number | undefined;
  logLevel?: string | undefined;
  snapshotGraceSeconds?: number | undefined;
  mlflowProject?: string | undefined;
  commandSlots?: number | undefined;
  commandLogBytes?: number | undefined;
  inferenceLogSync?: boolean | undefined;
}

export function resolveConfig(input: ConfigInput, env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const dataDir = resolve(input.dataDir ?? env.MODELYARD_DATA_DIR ?? '.modelyard');
  const port = Number(input.port ?? env.MODELYARD_PORT ?? 7420);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`Invalid port '${String(input.port)}'`);
  const roots = input.allowedRoots ??
    (env.MODELYARD_ALLOWED_ROOTS ? env.MODELYARD_ALLOWED_ROOTS.split(':').filter(Boolean) : undefined) ?? [
      resolve(dataDir, 'imports'),
      EXAMPLES_DATA_DIR,
    ];
  return {
    host: input.host ?? env.MODELYARD_HOST ?? '127.0.0.1',
    port,
    dataDir,
    databaseUrl: input.databaseUrl ?? env.MODELYARD_DATABASE_URL ?? undefined,
    adminToken: input.adminToken ?? env.MODELYARD_ADMIN_TOKEN ?? undefined,
    allowedRoots: roots.map((r) => resolve(r)),
    seedDemo: input.seedDemo ?? env.MODELYARD_SEED_DEMO !== 'false',
    workers: input.workers ?? Number(env.MODELYARD_WORKERS ?? 2),
    trainThreads: positiveInteger(
      'train threads',
      input.trainThreads ?? env.MODELYARD_TRAIN_THREADS ?? Math.min(availableParallelism(), 8),
    ),
    logLevel: input.logLevel ?? env.MODELYARD_LOG_LEVEL ?? 'info',
    maxUploadBytes: Number(env.MODELYARD_MAX_UPLOAD_BYTES ?? 2 * 1024 ** 3),
    snapshotGraceSeconds: nonNegative(
      'snapshot grace seconds',
      input.snapshotGraceSeconds ?? env.MODELYARD_SNAPSHOT_GRACE_SECONDS ?? 3600,
    ),
    mlflowProject: input.mlflowProject ?? env.MODELYARD_MLFLOW_PROJECT ?? 'default',
    commandSlots: positiveInteger('command slots', input.commandSlots ?? env.MODELYARD_COMMAND_SLOTS ?? 2),
    commandLogBytes: positiveInteger(
      'command log bytes',
      input.commandLogBytes ?? env.MODELYARD_COMMAND_LOG_BYTES ?? 64 * 1024 ** 2,
    ),
    inferenceLogSync: input.inferenceLogSync ?? inferenceLogMode(env.MODELYARD_INFERENCE_LOG),
  };
}

function inferenceLogMode(value: string | undefined): boolean {
  if (value === undefined || value === '' || value === 'batched') return false;
  if (value === 'sync') return true;
  throw new Error(`Invalid MODELYARD_INFERENCE_LOG '${value}': expected sync or batched`);
}

function positiveInteger(name: string, value: number | string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`Invalid ${name} '${String(value)}': expected a whole number >= 1`);
  return n;
}

function nonNegative(name: string, value: number | string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new Error(`Invalid ${name} '${String(value)}': expected a number >= 0`);
  return n;
}
