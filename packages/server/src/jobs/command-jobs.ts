// The local executor of command runs: any program (python3, Rscript, node…) as a child process without a shell, a few
// at a time, with the run's coordinates and a token that lives only as long as the job; its output becomes the run's
// logs and its exit code the run's status.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { RunStatus } from '@modelyard/client';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { runArtifactKey } from '../artifacts/run-artifacts.js';
import { generateToken, hashToken } from '../auth/tokens.js';
import type { AuditBy, MetadataStore, RunRecord, RunUpdate } from '../store/metadata-store.js';
import { jobEnvironment } from './job-environment.js';
import { LogSpool, readLogRange } from './log-spool.js';

export type LogStream = 'stdout' | 'stderr';
export const LOG_STREAMS: readonly LogStream[] = ['stdout', 'stderr'];

/** Where a command run's logs are kept once it has ended, as run artifacts. */
export const logArtifactKey = (runId: string, stream: LogStream): string =>
  runArtifactKey(runId, ['logs', `${stream}.txt`]);

/** What to run, checked by the route: the executable resolved, the working directory allowed. */
export interface CommandSpec {
  /** The program's absolute path. */
  executable: string;
  argv: string[];
  /** An allowed folder, or null for a fresh folder of the run's own (removed when the job ends). */
  cwd: string | null;
  env: Record<string, string>;
  timeoutSeconds: number | null;
}

export interface CommandJobsDeps {
  store: MetadataStore;
  artifacts: ArtifactStore;
  /** Spool and scratch folders of running jobs live under `<workDir>/<runId>/`. */
  workDir: string;
  /** Jobs running at once; the others wait, queued. */
  slots: number;
  /** Bytes of each output stream kept; the rest is dropped with a note. */
  maxLogBytes: number;
  log: FastifyBaseLogger;
  /** After SIGTERM, how long a job has to exit before SIGKILL. */
  killGraceMs?: number;
}

interface Job {
  run: RunRecord;
  projectName: string;
  userId: string;
  spec: CommandSpec;
  child?: ChildProcess;
  spools?: Record<LogStream, LogSpool>;
  /** Why we stop it, when we do. */
  stopping?: { status: 'killed'; error: RunRecord['error'] };
  done?: Promise<void>;
}

const STDERR_TAIL_LINES = 20;

export class CommandJobs {
  readonly #pending: Job[] = [];
  readonly #active = new Map<string, Job>();
  #serverUrl: string;
  #closed = false;

  constructor(
    private readonly deps: CommandJobsDeps,
    serverUrl = 'http://127.0.0.1:7420',
  ) {
    this.#serverUrl = serverUrl;
  }

  /** The server's own URL as a job reaches it; known once the server listens. */
  setServerUrl(url: string): void {
    this.#serverUrl = url.replace(/\/+$/, '');
  }

  /** Queues a created (queued) command run; it starts when a slot is free. */
  submit(run: RunRecord, projectName: string, userId: string, spec: CommandSpec): void {
    if (this.#closed) throw new Error('The command executor is closed.');
    this.#pending.push({ run, projectName, userId, spec });
    this.#pump();
  }

  /** Whether this process still runs (or has queued) the run's job. */
  isLive(runId: string): boolean {
    return this.#active.has(runId) || this.#pending.some((job) => job.run.id === runId);
  }

  /** Stops a queued or running job (SIGTERM, then SIGKILL); false when this executor does not hold it. */
  async kill(runId: string): Promise<boolean> {
    const queued = this.#pending.findIndex((job) => job.run.id === runId);
    if (queued >= 0) {
      this.#pending.splice(queued, 1);
      const now = new Date().toISOString();
      await this.deps.store.updateRun(runId, { status: 'killed', finishedAt: now, durationMs: 0 });
      return true;
    }
    const job = this.#active.get(runId);
    if (!job) return false;
    this.#stop(job, { status: 'killed', error: null });
    await job.done;
    return true;
  }

  /** Text of a run's log from byte `offset`: from the spool while the job runs, from its artifact afterwards. */
  async readLog(
    runId: string,
    stream: LogStream,
    offset: number,
    limit: number,
  ): Promise<{ text: string; nextOffset: number; size: number }> {
    const job = this.#active.get(runId);
    if (job?.spools) {
      try {
        return await readLogRange(job.spools[stream].path, offset, limit, false);
      } catch (error) {
        // The job ended between the lookup and the read: its log is an artifact now.
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    if (job || this.#pending.some((j) => j.run.id === runId)) return { text: '', nextOffset: offset, size: 0 };
    try {
      return await this.deps.artifacts.withLocalFile(logArtifactKey(runId, stream), (path) =>
        readLogRange(path, offset, limit, true),
      );
    } catch (error) {
      if (await this.deps.artifacts.exists(logArtifactKey(runId, stream))) throw error;
      return { text: '', nextOffset: offset, size: 0 };
    }
  }

  /**
   * After a restart, command runs left queued or running have lost their process: they fail with `worker_lost`,
   * keeping whatever output was spooled. Answers how many.
   */
  async recover(runs: RunRecord[]): Promise<number> {
    let lost = 0;
    for (const run of runs) {
      if (run.kind !== 'command' || (run.status !== 'queued' && run.status !== 'running')) continue;
      if (this.isLive(run.id)) continue;
      await this.#storeLogs(run.id, this.#spoolDir(run.id)).catch((error: unknown) =>
        this.deps.log.warn({ err: error, runId: run.id }, 'spooled logs of a lost job could not be kept'),
      );
      await rm(join(this.deps.workDir, run.id), { recursive: true, force: true });
      const now = new Date().toISOString();
      await this.deps.store.updateRun(run.id, {
        status: 'failed',
        error: { code: 'worker_lost', message: 'The server stopped while the job was queued or running.' },
        finishedAt: now,
        durationMs: Math.max(0, Date.parse(now) - Date.parse(run.startedAt ?? run.createdAt)),
      });
      lost++;
    }
    return lost;
  }

  /** Stops taking jobs, and stops the running ones: their runs fail with `worker_lost`, as after a crash. */
  async close(): Promise<void> {
    this.#closed = true;
    const queued = this.#pending.splice(0);
    for (const job of this.#active.values()) {
      this.#stop(job, {
        status: 'killed',
        error: { code: 'worker_lost', message: 'The server stopped while the job was running.' },
      });
    }
    await Promise.all([...this.#active.values()].map((job) => job.done));
    await this.recover(queued.map((job) => job.run));
  }

  #pump(): void {
    while (!this.#closed && this.#pending.length > 0 && this.#active.size < Math.max(1, this.deps.slots)) {
      const job = this.#pending.shift()!;
      this.#active.set(job.run.id, job);
      job.done = this.#execute(job)
        .catch((error: unknown) => this.deps.log.error({ err: error, runId: job.run.id }, 'command job crashed'))
        .finally(() => {
          this.#active.delete(job.run.id);
          this.#pump();
        });
    }
  }

  #spoolDir(runId: string): string {
    return join(this.deps.workDir, runId, 'logs');
  }

  async #execute(job: Job): Promise<void> {
    const { store, log } = this.deps;
    const runId = job.run.id;
    const started = Date.now();
    const spoolDir = this.#spoolDir(runId);
    await mkdir(spoolDir, { recursive: true, mode: 0o700 });
    const scratch = job.spec.cwd === null ? join(this.deps.workDir, runId, 'work') : null;
    if (scratch !== null) await mkdir(scratch, { recursive: true, mode: 0o700 });
    job.spools = {
      stdout: new LogSpool(join(spoolDir, 'stdout.txt'), this.deps.maxLogBytes),
      stderr: new LogSpool(join(spoolDir, 'stderr.txt'), this.deps.maxLogBytes),
    };
    await store.updateRun(runId, { status: 'running', startedAt: new Date(started).toISOString(), progress: 0 });

    // A token of the requesting user for this job alone: never logged, deleted when the job ends.
    const secret = generateToken();
    const token = await store.createToken(
      { userId: job.userId, name: `job ${runId}`, tokenHash: hashToken(secret) },
      { actor: job.userId, action: 'token.create', details: { run: runId, job: true } },
    );
    let outcome: RunUpdate & { status: RunStatus };
    let exitCode: number | null = null;
    try {
      const env = jobEnvironment(process.env, job.spec.env, {
        serverUrl: this.#serverUrl,
        projectName: job.projectName,
        experimentId: job.run.experimentId,
        runId,
        token: secret,
      });
      const result = await this.#runChild(job, env, job.spec.cwd ?? scratch!);
      exitCode = result.code;
      outcome = this.#outcomeOf(job, result);
    } finally {
      await revokeToken(store, token.id, { actor: job.userId, action: 'token.delete', details: { run: runId } }).catch(
        (error: unknown) => log.error({ err: error, runId }, 'job token could not be revoked'),
      );
    }
    await this.#storeLogs(runId, spoolDir);
    if (exitCode !== null)
      await store.logRunData(runId, { tags: [{ key: 'modelyard.exit_code', value: `${exitCode}` }] });
    const finished = Date.now();
    await store.updateRun(runId, {
      ...outcome,
      progress: 1,
      finishedAt: new Date(finished).toISOString(),
      durationMs: finished - started,
    });
    await rm(join(this.deps.workDir, runId), { recursive: true, force: true });
    log.info({ runId, status: outcome.status, exitCode }, 'command job ended');
  }

  /** Runs the child to its end with its output spooled; the timeout stops it. */
  async #runChild(
    job: Job,
    env: Record<string, string>,
    cwd: string,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null; spawnError?: Error }> {
    const spools = job.spools!;
    if (job.stopping) {
      // Killed while it was being set up: it never starts.
      await Promise.all(LOG_STREAMS.map((s) => spools[s].close()));
      return { code: null, signal: null };
    }
    let child: ChildProcess;
    try {
      // Its own process group, so stopping it also stops what it started (a shell script's children).
      child = spawn(job.spec.executable, job.spec.argv.slice(1), {
        cwd,
        env,
        argv0: job.spec.argv[0],
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
    } catch (error) {
      await Promise.all(LOG_STREAMS.map((s) => spools[s].close()));
      return { code: null, signal: null, spawnError: error as Error };
    }
    job.child = child;
    const timer =
      job.spec.timeoutSeconds === null
        ? undefined
        : setTimeout(() => {
            this.#stop(job, {
              status: 'killed',
              error: { code: 'command_timeout', message: `The job ran longer than ${job.spec.timeoutSeconds} s.` },
            });
          }, job.spec.timeoutSeconds * 1000);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; spawnError?: Error }>(
      (resolve) => {
        child.once('error', (error) => resolve({ code: null, signal: null, spawnError: error }));
        child.once('exit', (code, signal) => resolve({ code, signal }));
      },
    );
    const drained = Promise.all([spools.stdout.consume(child.stdout!), spools.stderr.consume(child.stderr!)]);
    const result = await exited;
    // Output still buffered in the pipes is read to the end; a grandchild holding them open is stopped with the group.
    await Promise.race([drained, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    signalGroup(child, 'SIGKILL');
    await drained.catch(() => undefined);
    clearTimeout(timer);
    await Promise.all(LOG_STREAMS.map((s) => spools[s].close()));
    return result;
  }

  #outcomeOf(
    job: Job,
    result: { code: number | null; signal: NodeJS.Signals | null; spawnError?: Error },
  ): RunUpdate & { status: RunStatus } {
    if (job.stopping) return { status: job.stopping.status, error: job.stopping.error };
    if (result.spawnError) {
      return { status: 'failed', error: { code: 'command_failed', message: result.spawnError.message } };
    }
    if (result.code === 0) return { status: 'succeeded', error: null };
    const tail = job.spools!.stderr.tail(STDERR_TAIL_LINES);
    const why = result.code !== null ? `exit code ${result.code}` : `stopped by signal ${result.signal ?? 'unknown'}`;
    return {
      status: 'failed',
      // The first line is the reason; the end of stderr follows, as the job's own words on what went wrong.
      error: { code: 'command_failed', message: tail === '' ? why : `${why}\n${tail}` },
    };
  }

  #stop(job: Job, why: NonNullable<Job['stopping']>): void {
    if (job.stopping) return;
    job.stopping = why;
    const child = job.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    signalGroup(child, 'SIGTERM');
    const grace = setTimeout(() => signalGroup(child, 'SIGKILL'), this.deps.killGraceMs ?? 5000);
    grace.unref();
    child.once('exit', () => clearTimeout(grace));
  }

  /** Moves the spooled logs into the artifact store as `logs/stdout.txt` and `logs/stderr.txt`. */
  async #storeLogs(runId: string, spoolDir: string): Promise<void> {
    for (const stream of LOG_STREAMS) {
      const path = join(spoolDir, `${stream}.txt`);
      try {
        await this.deps.artifacts.putFile(logArtifactKey(runId, stream), path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
  }
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is gone already.
  }
}

/** Deletes the job's token; a token that is already gone is fine. */
async function revokeToken(store: MetadataStore, tokenId: string, audit: AuditBy): Promise<void> {
  await store.deleteToken(tokenId, audit);
}
