// Drives AutoML jobs through their stages, each decided from the store so a restart carries on:
//   baselines  GLM on an elastic-net lambda path and a default GBDT, each cross-validated (k folds, then a final
//              model on every row);
//   search     a TPE study over GBDT hyperparameters on a holdout, in the time left but a reserve;
//   refit      the study's best params, cross-validated like the baselines;
//   forests    random forest and extremely randomized trees, if time is left;
//   ensemble   a stacked ensemble (a GLM over out-of-fold predictions) of the best candidates;
//   done       the leader by cross-validated metric, registered when asked.
// Candidates are child runs of the job's run, named by their role, so a pass that finds one written already does not
// write it again.

import type { FastifyBaseLogger } from 'fastify';
import type { AutomlJob, AutomlLeaderboardRow, Study } from '@modelyard/client';
import type { TrainingQueue } from '../jobs/training-queue.js';
import { newId } from '../store/ids.js';
import type { AuditBy, MetadataStore, ModelRecord, RunRecord } from '../store/metadata-store.js';
import { startStudy } from './start-study.js';
import type { StudyRunner } from './study-runner.js';

/** Share of the budget kept back from the search for the refit, the forests and the ensemble. */
const RESERVE = 0.3;
/** A search shorter than this is not worth starting. */
const MIN_SEARCH_SECONDS = 10;
/** Candidates the ensemble stacks at most. */
const ENSEMBLE_SIZE = 5;

interface Candidate {
  name: string;
  model: string;
  algorithm: 'glm' | 'gbdt' | 'forest';
  params: Record<string, number | string | boolean>;
}

/** The quick baselines, first: a GLM on an elastic-net path and a default GBDT. */
function baselines(job: AutomlJob): Candidate[] {
  const common = { cvFolds: job.folds, seed: job.seed };
  return [
    // The lambda path picks its lambda on an inner holdout of each fold's training rows.
    {
      name: 'glm-elastic-net',
      model: 'glm',
      algorithm: 'glm',
      params: { ...common, lambdaSearch: true, alpha: 0.5, testFraction: 0.2 },
    },
    {
      name: 'gbdt-default',
      model: 'gbdt',
      algorithm: 'gbdt',
      params: { ...common, nTrees: 300, learningRate: 0.05, maxDepth: 6, subsample: 0.8, colsampleByTree: 0.8 },
    },
  ];
}

/** Forests, after the search: they rarely lead, but they add variety to the ensemble. */
function forests(job: AutomlJob): Candidate[] {
  const common = { cvFolds: job.folds, seed: job.seed };
  return [
    { name: 'random-forest', model: 'forest', algorithm: 'forest', params: { ...common, nTrees: 100 } },
    {
      name: 'extra-trees',
      model: 'extra_trees',
      algorithm: 'forest',
      params: { ...common, nTrees: 100, extraTrees: true },
    },
  ];
}

/** The GBDT space the search explores (as wide as the usual XGBoost tuning ranges). */
export const GBDT_SPACE: Study['space'] = {
  nTrees: { kind: 'int', low: 50, high: 800, log: true },
  maxDepth: { kind: 'int', low: 2, high: 10 },
  learningRate: { kind: 'loguniform', low: 0.005, high: 0.3 },
  minChildWeight: { kind: 'loguniform', low: 0.1, high: 50 },
  subsample: { kind: 'uniform', low: 0.5, high: 1 },
  colsampleByTree: { kind: 'uniform', low: 0.3, high: 1 },
  lambda: { kind: 'loguniform', low: 0.001, high: 30 },
};

const ROLE = 'modelyard.automl.role';
const ENDED = new Set(['succeeded', 'failed', 'killed']);

export class AutomlRunner {
  private readonly passes = new Map<string, Promise<void>>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private closed = false;

  /** How aliases move; the server sets it to the gate-checking registry path (registry/move-alias.ts). */
  moveAlias: (model: ModelRecord, alias: string, version: number, by: AuditBy) => Promise<unknown> = (
    model,
    alias,
    version,
    by,
  ) => this.store.setAlias(model.id, alias, version, by);

  constructor(
    private readonly store: MetadataStore,
    private readonly training: TrainingQueue,
    private readonly studies: StudyRunner,
    private readonly log: FastifyBaseLogger,
  ) {
    training.onFinished((runId) => void this.onRunFinished(runId));
    studies.onFinished((study) => void this.onStudyFinished(study.id));
  }

  private async onStudyFinished(studyId: string): Promise<void> {
    const owner = await this.store.getAutomlJobOfStudy(studyId);
    if (owner) await this.advance(owner.id);
  }

  async recover(): Promise<void> {
    for (const job of await this.store.runningAutomlJobs()) void this.advance(job.id);
  }

  advance(jobId: string): Promise<void> {
    const previous = this.passes.get(jobId) ?? Promise.resolve();
    const next = previous
      .then(() => this.pass(jobId))
      .catch(async (error: unknown) => {
        this.log.error({ err: error, jobId }, 'automl pass failed');
        await this.fail(jobId, error instanceof Error ? error.message : String(error));
      });
    this.passes.set(jobId, next);
    void next.finally(() => {
      if (this.passes.get(jobId) === next) this.passes.delete(jobId);
    });
    return next;
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  /** The job's candidates with their cross-validated scores, best first. */
  async leaderboard(job: AutomlJob): Promise<AutomlLeaderboardRow[]> {
    const runs = await this.candidates(job);
    const rows = runs
      .filter((run) => run.tags[ROLE] !== undefined)
      .map((run) => {
        const metric = run.metrics[job.metric];
        const std = run.metrics[`${job.metric}_std`];
        const scoring = run.metrics.scoring_ms_per_1k;
        return {
          runId: run.id,
          name: run.name,
          model: run.tags['modelyard.automl.model'] ?? run.algorithm ?? '',
          status: run.status,
          metric: typeof metric === 'number' ? metric : null,
          std: typeof std === 'number' ? std : null,
          trainingMs: run.durationMs,
          scoringMsPer1k: typeof scoring === 'number' ? scoring : null,
        };
      });
    const sign = job.direction === 'maximize' ? -1 : 1;
    rows.sort((a, b) =>
      a.metric === null ? 1 : b.metric === null ? -1 : sign * (a.metric - b.metric) || a.name.localeCompare(b.name),
    );
    return rows.map((row, i) => ({ rank: i + 1, ...row }));
  }

  private async candidates(job: AutomlJob): Promise<RunRecord[]> {
    const runs: RunRecord[] = [];
    for (const id of await this.store.childRuns(job.runId)) {
      const run = await this.store.getRun(id);
      if (run) runs.push(run);
    }
    return runs;
  }

  private async onRunFinished(runId: string): Promise<void> {
    const run = await this.store.getRun(runId);
    if (!run?.parentRunId) return;
    // The search's trials are its study's concern; the job hears when the study finishes.
    const job = await this.store.getAutomlJobOfRun(run.parentRunId);
    if (job) await this.advance(job.id);
  }

  private deadline(job: AutomlJob): number {
    return Date.parse(job.createdAt) + job.timeBudgetSeconds * 1000;
  }

  private async pass(jobId: string): Promise<void> {
    if (this.closed) return;
    const job = await this.store.getAutomlJob(jobId);
    if (!job || job.status !== 'running') return;
    const runs = await this.candidates(job);
    const byRole = new Map(runs.filter((r) => r.tags[ROLE]).map((r) => [r.tags[ROLE]!, r]));
    const pending = (roles: string[]) => roles.some((role) => !ENDED.has(byRole.get(role)?.status ?? 'queued'));

    if (job.stage === 'baselines') {
      const wanted = baselines(job);
      for (const candidate of wanted) {
        if (!byRole.has(candidate.name)) await this.createCandidate(job, candidate);
      }
      if (pending(wanted.map((c) => c.name))) return;
      await this.store.updateAutomlJob(job.id, { stage: 'search' });
      return this.pass(job.id);
    }

    if (job.stage === 'search') {
      if (job.studyId === null) {
        const seconds = (this.deadline(job) - Date.now()) / 1000 - job.timeBudgetSeconds * RESERVE;
        if (seconds < MIN_SEARCH_SECONDS) {
          await this.store.updateAutomlJob(job.id, { stage: 'forests' });
          return this.pass(job.id);
        }
        const study = await startStudy(
          { store: this.store, studies: this.studies },
          {
            parentRunId: job.runId,
            projectId: job.projectId,
            experimentId: job.experimentId,
            name: `${job.name}-gbdt-search`,
            datasetId: job.datasetId,
            datasetVersion: job.datasetVersion,
            target: job.target,
            task: job.task,
            algorithm: 'gbdt',
            space: GBDT_SPACE,
            params: { seed: job.seed },
            sampler: { kind: 'tpe', seed: job.seed },
            pruner: { kind: 'none' },
            metric: job.metric,
            direction: job.direction,
            parallelism: 2,
            maxTrials: 10_000,
            timeBudgetSeconds: seconds,
            createdBy: job.createdBy,
          },
        );
        await this.store.updateAutomlJob(job.id, { studyId: study.id });
        return;
      }
      const study = await this.store.getStudy(job.studyId);
      if (!study || study.finishedAt === null) return;
      await this.store.updateAutomlJob(job.id, { stage: 'refit' });
      return this.pass(job.id);
    }

    if (job.stage === 'refit') {
      const study = job.studyId === null ? undefined : await this.store.getStudy(job.studyId);
      const best = study?.bestRunId ? await this.store.getRun(study.bestRunId) : undefined;
      if (best && !byRole.has('gbdt-tuned')) {
        const tuned = Object.fromEntries(
          Object.keys(GBDT_SPACE)
            .filter((k) => k in best.params)
            .map((k) => [k, best.params[k]!]),
        );
        await this.createCandidate(job, {
          name: 'gbdt-tuned',
          model: 'gbdt',
          algorithm: 'gbdt',
          params: { ...tuned, cvFolds: job.folds, seed: job.seed },
        });
        return;
      }
      if (best && pending(['gbdt-tuned'])) return;
      await this.store.updateAutomlJob(job.id, { stage: 'forests' });
      return this.pass(job.id);
    }

    if (job.stage === 'forests') {
      const wanted = forests(job);
      // Only with time left for them, judged by how long the default GBDT took: the budget is a promise.
      const estimate = byRole.get('gbdt-default')?.durationMs ?? 0;
      const fits = Date.now() + estimate < this.deadline(job);
      let created = false;
      for (const candidate of wanted) {
        if (fits && !byRole.has(candidate.name)) {
          await this.createCandidate(job, candidate);
          created = true;
        }
      }
      if (created || pending(wanted.map((c) => c.name).filter((name) => byRole.has(name)))) return;
      await this.store.updateAutomlJob(job.id, { stage: 'ensemble' });
      return this.pass(job.id);
    }

    if (job.stage === 'ensemble') {
      const board = await this.leaderboard(job);
      const bases = board.filter((row) => row.status === 'succeeded' && row.metric !== null && row.model !== 'stacked');
      if (bases.length >= 2 && !byRole.has('stacked-ensemble')) {
        await this.createCandidate(job, {
          name: 'stacked-ensemble',
          model: 'stacked',
          algorithm: 'glm',
          params: {
            cvFolds: job.folds,
            seed: job.seed,
            stackedRuns: bases
              .slice(0, ENSEMBLE_SIZE)
              .map((row) => row.runId)
              .join(','),
          },
        });
        return;
      }
      if (byRole.has('stacked-ensemble') && pending(['stacked-ensemble'])) return;
      await this.finish(job);
    }
  }

  private async createCandidate(job: AutomlJob, candidate: Candidate): Promise<void> {
    const id = newId('run');
    await this.store.createRun(
      {
        id,
        projectId: job.projectId,
        experimentId: job.experimentId,
        parentRunId: job.runId,
        name: `${job.name}-${candidate.name}`,
        kind: 'training',
        task: job.task,
        algorithm: candidate.algorithm,
        target: job.target,
        datasetId: job.datasetId,
        datasetVersion: job.datasetVersion,
        params: candidate.params,
        tags: { [ROLE]: candidate.name, 'modelyard.automl': job.id, 'modelyard.automl.model': candidate.model },
        createdBy: job.createdBy,
      },
      { actor: job.createdBy, action: 'run.create', details: { automl: job.id, candidate: candidate.name } },
    );
    this.training.enqueue(id);
  }

  private async finish(job: AutomlJob): Promise<void> {
    const board = await this.leaderboard(job);
    const leader = board.find((row) => row.status === 'succeeded' && row.metric !== null);
    let modelVersion: number | null = null;
    if (leader && job.register) {
      const by = { actor: job.createdBy, projectId: job.projectId };
      const model =
        (await this.store.getModelByName(job.projectId, job.register.model)) ??
        (await this.store.createModel(
          {
            projectId: job.projectId,
            name: job.register.model,
            description: `AutoML ${job.name}`,
            createdBy: job.createdBy,
          },
          { ...by, action: 'model.create' },
        ));
      const version = await this.store.addModelVersion(model.id, leader.runId, job.createdBy, {
        ...by,
        action: 'model.version.create',
      });
      modelVersion = version.version;
      if (job.register.alias) {
        try {
          await this.moveAlias(model, job.register.alias, version.version, { ...by, action: 'model.alias.set' });
        } catch (error) {
          // The leader is registered either way; an alias guarded by gates waits for them (e.g. approvals).
          this.log.warn({ err: error, job: job.id }, 'AutoML leader registered but its alias did not move');
        }
      }
    }
    const finishedAt = new Date().toISOString();
    await this.store.updateAutomlJob(job.id, {
      status: 'finished',
      stage: 'done',
      leaderRunId: leader?.runId ?? null,
      modelVersion,
      finishedAt,
    });
    if (leader?.metric != null) {
      await this.store.logRunData(job.runId, {
        metrics: [{ key: `best_${job.metric}`, value: leader.metric, step: 0, timestamp: Date.now() }],
        tags: [{ key: 'modelyard.automl.leader', value: leader.runId }],
      });
    }
    await this.store.updateRun(job.runId, {
      status: 'succeeded',
      finishedAt,
      durationMs: Date.parse(finishedAt) - Date.parse(job.createdAt),
    });
    this.log.info({ jobId: job.id, leader: leader?.runId }, 'automl finished');
  }

  private async fail(jobId: string, message: string): Promise<void> {
    const job = await this.store.getAutomlJob(jobId);
    if (!job || job.status !== 'running') return;
    const finishedAt = new Date().toISOString();
    await this.store.updateAutomlJob(jobId, { status: 'failed', error: message, finishedAt });
    await this.store.updateRun(job.runId, { status: 'failed', error: { code: 'automl_failed', message }, finishedAt });
  }
}
