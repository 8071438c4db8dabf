// Drives hyperparameter search studies: keeps `parallelism` trials training, asks the study's sampler for each new
// trial's params from the history so far, and finishes the study when its trial or time budget is spent.
//
// Everything it decides from is in the store, so a restart resumes where a crash left off: trial numbers are claimed
// in `study_trials` with the run id chosen before the run exists (a claim without its run is completed on the next
// pass, never claimed twice), and the training queue's own recovery re-runs trials that were queued or training.

import type { FastifyBaseLogger } from 'fastify';
import {
  bestTrial,
  createPruner,
  createSampler,
  type PrunerConfig,
  type SearchSpace,
  type TrialRecord,
} from '@modelyard/engine';
import { INTERMEDIATE_METRIC, type TrainingQueue, type TrainingWatcher } from '../jobs/training-queue.js';
import { newId } from '../store/ids.js';
import type { MetadataStore, RunRecord, StudyRecord } from '../store/metadata-store.js';

export interface StudyProgress {
  history: TrialRecord[];
  runs: Map<number, RunRecord>;
}

/** Trials as the engine's samplers see them: the study metric of finished ones, running and failed states. */
export async function studyHistory(store: MetadataStore, study: StudyRecord): Promise<StudyProgress> {
  const trials = await store.listTrials(study.id);
  const runs = new Map<number, RunRecord>();
  const history: TrialRecord[] = [];
  const spaceKeys = Object.keys(study.space);
  for (const trial of trials) {
    const run = await store.getRun(trial.runId);
    if (!run) {
      history.push({ number: trial.number, params: {}, state: 'running' });
      continue;
    }
    runs.set(trial.number, run);
    const params = Object.fromEntries(spaceKeys.filter((k) => k in run.params).map((k) => [k, run.params[k]!]));
    const metric = run.metrics[study.metric];
    const value = typeof metric === 'number' ? metric : undefined;
    if (run.status === 'succeeded' && value !== undefined) {
      history.push({ number: trial.number, params, state: 'complete', value });
    } else if (run.status === 'killed' && run.error?.code === 'pruned') {
      history.push({ number: trial.number, params, state: 'pruned' });
    } else if (run.status === 'failed' || run.status === 'killed' || run.status === 'succeeded') {
      history.push({ number: trial.number, params, state: 'failed' });
    } else {
      history.push({ number: trial.number, params, state: 'running' });
    }
  }
  return { history, runs };
}

/** What a pruner judges by: each trial's state and its holdout loss after every round so far. */
interface PruningState {
  study: StudyRecord;
  trials: Map<number, TrialRecord>;
}

export class StudyRunner implements TrainingWatcher {
  /** Per study with a pruner, loaded on the first intermediate value and kept up to date in memory. */
  private readonly pruning = new Map<string, Promise<PruningState>>();
  /** One pass at a time per study: passes queue behind each other. */
  private readonly passes = new Map<string, Promise<void>>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly finishedListeners: ((study: StudyRecord) => void)[] = [];
  private closed = false;

  constructor(
    private readonly store: MetadataStore,
    private readonly training: TrainingQueue,
    private readonly log: FastifyBaseLogger,
  ) {
    training.onFinished((runId) => void this.onRunFinished(runId));
    training.watchWith(this);
  }

  async watches(run: RunRecord): Promise<boolean> {
    if (!run.parentRunId) return false;
    const study = await this.store.getStudyOfRun(run.parentRunId);
    return study !== undefined && study.pruner.kind !== 'none';
  }

  /** Studies by their parent run, for the many intermediate values a trial reports. */
  private readonly studyOfParent = new Map<string, Promise<StudyRecord | undefined>>();

  private cachedStudyOf(parentRunId: string): Promise<StudyRecord | undefined> {
    let study = this.studyOfParent.get(parentRunId);
    if (!study) {
      study = this.store.getStudyOfRun(parentRunId);
      this.studyOfParent.set(parentRunId, study);
    }
    return study;
  }

  async onIntermediate(
    run: RunRecord,
    step: number,
    _value: number,
    curve: readonly { step: number; value: number }[],
  ): Promise<boolean> {
    const study = await this.cachedStudyOf(run.parentRunId!);
    if (!study || study.pruner.kind === 'none') return false;
    const state = await this.pruningState(study);
    const number = Number(run.tags['modelyard.trial']);
    const trial: TrialRecord = {
      number,
      params: state.trials.get(number)?.params ?? {},
      state: 'running',
      intermediate: [...curve],
    };
    state.trials.set(number, trial);
    // Intermediate values are losses, so lower is better whatever the study's own metric.
    return createPruner(study.pruner as PrunerConfig).shouldPrune(trial, step, [...state.trials.values()], 'minimize');
  }

  private pruningState(study: StudyRecord): Promise<PruningState> {
    let state = this.pruning.get(study.id);
    if (!state) {
      state = (async () => {
        const { history, runs } = await studyHistory(this.store, study);
        const trials = new Map<number, TrialRecord>();
        for (const trial of history) {
          const run = runs.get(trial.number);
          trials.set(trial.number, { ...trial, intermediate: run ? await this.curveOf(run.id) : [] });
        }
        return { study, trials };
      })();
      this.pruning.set(study.id, state);
    }
    return state;
  }

  private async curveOf(runId: string): Promise<{ step: number; value: number }[]> {
    const { points } = await this.store.metricHistory(runId, INTERMEDIATE_METRIC, { limit: 100_000 });
    return points.map((p) => ({ step: p.step, value: p.value }));
  }

  /** Called after a study has finished or stopped (a job that owns it moves on). */
  onFinished(listener: (study: StudyRecord) => void): void {
    this.finishedListeners.push(listener);
  }

  /** Resumes every study that was running when the server stopped. */
  async recover(): Promise<void> {
    for (const study of await this.store.studiesWithStatus('running')) this.advance(study.id);
  }

  /** Starts or continues a study: tops up its trials or finishes it. */
  advance(studyId: string): Promise<void> {
    const previous = this.passes.get(studyId) ?? Promise.resolve();
    const next = previous
      .then(() => this.pass(studyId))
      .catch((error: unknown) => this.log.error({ err: error, studyId }, 'study pass failed'));
    this.passes.set(studyId, next);
    void next.finally(() => {
      if (this.passes.get(studyId) === next) this.passes.delete(studyId);
    });
    return next;
  }

  /** Stops creating trials; trials already training finish, then the study ends as stopped. */
  async stop(studyId: string): Promise<void> {
    await this.store.updateStudy(studyId, { status: 'stopped' });
    await this.advance(studyId);
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private async onRunFinished(runId: string): Promise<void> {
    const run = await this.store.getRun(runId);
    if (!run?.parentRunId) return;
    const study = await this.store.getStudyOfRun(run.parentRunId);
    if (!study) return;
    const pruning = this.pruning.get(study.id);
    if (pruning) {
      // The finished trial's final state and its whole curve, as the next pruning decisions should see them.
      const state = await pruning;
      const { history } = await studyHistory(this.store, study);
      const number = Number(run.tags['modelyard.trial']);
      const record = history.find((t) => t.number === number);
      if (record) state.trials.set(number, { ...record, intermediate: await this.curveOf(run.id) });
    }
    await this.advance(study.id);
  }

  private async pass(studyId: string): Promise<void> {
    if (this.closed) return;
    const study = await this.store.getStudy(studyId);
    if (!study || study.finishedAt !== null) return;
    const { history, runs } = await studyHistory(this.store, study);
    // A claim whose run was never written (a crash in between): write it now, with the params it gets again.
    for (const trial of history) {
      if (!runs.has(trial.number)) await this.createTrialRun(study, history, trial.number, false);
    }
    const inFlight = history.filter((t) => t.state === 'running').length;
    const started = Date.parse(study.createdAt);
    const timeUp = study.timeBudgetSeconds !== null && Date.now() - started >= study.timeBudgetSeconds * 1000;
    const open = study.status === 'running' && !timeUp;
    let next = history.length;
    let running = inFlight;
    while (open && running < study.parallelism && next < study.maxTrials) {
      if (await this.createTrialRun(study, history, next, true)) running++;
      next++;
    }
    if (running === 0 && (!open || next >= study.maxTrials)) {
      await this.finish(study, history);
      return;
    }
    if (open && study.timeBudgetSeconds !== null) this.wakeAtBudget(study, started);
  }

  /** Claims trial `number` (unless it is a claim being completed) and writes and queues its run. */
  private async createTrialRun(
    study: StudyRecord,
    history: TrialRecord[],
    number: number,
    claim: boolean,
  ): Promise<boolean> {
    const sampler = createSampler({ kind: study.sampler.kind } as Parameters<typeof createSampler>[0]);
    const done = history.filter((t) => t.number !== number);
    const params = sampler.suggest(study.space as SearchSpace, done, {
      seed: study.sampler.seed,
      trialNumber: number,
      direction: study.direction,
    });
    let runId: string;
    if (claim) {
      runId = newId('run');
      if (!(await this.store.claimTrial(study.id, number, runId))) return false;
      history.push({ number, params, state: 'running' });
    } else {
      runId = (await this.store.listTrials(study.id)).find((t) => t.number === number)!.runId;
    }
    await this.store.createRun(
      {
        id: runId,
        projectId: study.projectId,
        experimentId: study.experimentId,
        parentRunId: study.runId,
        name: `${study.name}-trial-${number}`,
        kind: 'training',
        task: study.task,
        algorithm: study.algorithm,
        target: study.target,
        datasetId: study.datasetId,
        datasetVersion: study.datasetVersion,
        params: { ...study.params, ...params },
        tags: { 'modelyard.study': study.id, 'modelyard.trial': String(number) },
        createdBy: study.createdBy,
      },
      { actor: study.createdBy, action: 'run.create', details: { study: study.id, trial: number } },
    );
    this.training.enqueue(runId);
    return true;
  }

  private wakeAtBudget(study: StudyRecord, started: number): void {
    if (this.timers.has(study.id) || study.timeBudgetSeconds === null) return;
    const wait = Math.max(0, started + study.timeBudgetSeconds * 1000 - Date.now()) + 10;
    const timer = setTimeout(() => {
      this.timers.delete(study.id);
      void this.advance(study.id);
    }, wait);
    timer.unref();
    this.timers.set(study.id, timer);
  }

  private async finish(study: StudyRecord, history: TrialRecord[]): Promise<void> {
    const best = bestTrial(history, study.direction);
    const trials = await this.store.listTrials(study.id);
    const bestRun = best === undefined ? null : (trials.find((t) => t.number === best.number)?.runId ?? null);
    const finishedAt = new Date().toISOString();
    await this.store.updateStudy(study.id, {
      status: study.status === 'stopped' ? 'stopped' : 'finished',
      bestRunId: bestRun,
      finishedAt,
    });
    if (best?.value !== undefined) {
      await this.store.logRunData(study.runId, {
        metrics: [{ key: `best_${study.metric}`, value: best.value, step: 0, timestamp: Date.now() }],
        tags: [{ key: 'modelyard.best_run', value: bestRun ?? '' }],
      });
    }
    const parent = await this.store.getRun(study.runId);
    await this.store.updateRun(study.runId, {
      status: 'succeeded',
      finishedAt,
      durationMs: Math.max(0, Date.parse(finishedAt) - Date.parse(parent?.startedAt ?? study.createdAt)),
    });
    const timer = this.timers.get(study.id);
    if (timer) clearTimeout(timer);
    this.timers.delete(study.id);
    this.pruning.delete(study.id);
    this.studyOfParent.delete(study.runId);
    this.log.info({ studyId: study.id, best: best?.value }, 'study finished');
    for (const listener of this.finishedListeners) listener(study);
  }
}
