// The retraining action of an alert rule: when the rule fires, a training run is started through the usual path
// (checks, store, training queue); when it succeeds its model is registered and the alias moved through moveAlias,
// which enforces the readiness gates. A gate failure is recorded on the alert, never forced.

import type { Logger } from 'pino';
import type { Alert, AlertActionState, CreateRun, RetrainAction } from '@modelyard/client';
import { badRequest, ModelyardError, notFound } from '../errors.js';
import { checkTarget, pickVersion } from '../http/routes/run-routes.js';
import { moveAlias } from '../registry/move-alias.js';
import type { Services } from '../services.js';
import type { AlertRuleRecord } from '../store/alert-store.js';
import { newId } from '../store/ids.js';
import type { NewRun } from '../store/metadata-store.js';
import { checkParams, type AlgorithmName } from '../tracking/algorithms.js';

/** The run tag that ties a retraining run to the alert that started it. */
export const ALERT_TAG = 'modelyard.alert';

type Deps = Pick<Services, 'store' | 'artifacts' | 'serving' | 'training'>;

/** The training fields of the run a template asks for, checked as POST /runs checks them. */
async function trainingOf(
  services: Deps,
  projectId: string,
  template: RetrainAction['runTemplate'],
): Promise<Pick<NewRun, 'task' | 'algorithm' | 'target' | 'datasetId' | 'datasetVersion' | 'params'>> {
  const { store } = services;
  let body: CreateRun;
  if ('run' in template) {
    const run = await store.getRun(template.run);
    if (!run || run.projectId !== projectId) throw notFound('run', template.run);
    if (run.kind !== 'training' || run.datasetId === null || run.task === null || run.target === null) {
      throw badRequest('invalid_retrain_action', `Run '${run.id}' is not a training run that can be repeated.`);
    }
    // The newest version of the run's dataset: retraining is about fresher data.
    body = {
      dataset: run.datasetId,
      target: run.target,
      task: run.task,
      algorithm: run.algorithm as CreateRun['algorithm'],
      params: run.params,
    };
  } else {
    body = template;
  }
  const params = body.params ?? {};
  checkParams(body.algorithm as AlgorithmName, params);
  const dataset = body.dataset.startsWith('ds_')
    ? await store.getDataset(body.dataset)
    : await store.getDatasetByName(projectId, body.dataset);
  if (!dataset || dataset.projectId !== projectId) throw notFound('dataset', body.dataset);
  const version = await pickVersion(services as Services, dataset.id, body.version);
  checkTarget({ target: body.target, task: body.task, algorithm: body.algorithm as AlgorithmName }, version);
  return {
    task: body.task,
    algorithm: body.algorithm,
    target: body.target,
    datasetId: dataset.id,
    datasetVersion: version.version,
    params,
  };
}

/** Refuses an action whose run could not start (checked when the rule is written, and again when it fires). */
export async function checkRetrainAction(services: Deps, projectId: string, action: RetrainAction): Promise<void> {
  await trainingOf(services, projectId, action.runTemplate);
  if (action.promoteAlias !== undefined && action.registerAs === undefined) {
    throw badRequest('invalid_retrain_action', 'promoteAlias needs registerAs: the model whose alias moves.');
  }
}

/** What registering a retrained model (and moving its alias through the gates) came to. */
export interface RetrainOutcome {
  status: 'registered' | 'promoted' | 'gates_failed' | 'failed';
  modelVersion: number | null;
  /** Why the alias did not move (a gate failure's message), else null. */
  message: string | null;
  /** The failing gates of a `gates_failed` outcome (the error's details), else null. */
  failing: unknown[] | null;
}

/**
 * Creates a retraining run from a template and queues it: the one path alert actions and retraining schedules take.
 * `beforeEnqueue` records the run id wherever the caller tracks it before the queue can finish the run.
 */
export async function startRetrainingRun(
  services: Deps,
  request: {
    projectId: string;
    actor: string;
    name: string;
    template: RetrainAction['runTemplate'];
    tags: Record<string, string>;
    details: Record<string, unknown>;
    beforeEnqueue?: (runId: string) => Promise<void>;
  },
): Promise<string> {
  const { store, training } = services;
  const fields = await trainingOf(services, request.projectId, request.template);
  const experiment = await store.defaultExperiment(request.projectId, request.actor);
  const id = newId('run');
  await store.createRun(
    {
      id,
      projectId: request.projectId,
      experimentId: experiment.id,
      parentRunId: null,
      kind: 'training',
      name: `${request.name}-${id.slice(-6)}`,
      tags: request.tags,
      ...fields,
      createdBy: request.actor,
    },
    {
      actor: request.actor,
      action: 'run.create',
      details: { ...request.details, dataset: fields.datasetId, version: fields.datasetVersion },
    },
  );
  await request.beforeEnqueue?.(id);
  training.enqueue(id);
  return id;
}

/**
 * Registers a succeeded retraining run as a new version of `registerAs` (created when missing) and, when asked,
 * moves `promoteAlias` to it through moveAlias: gates decide, a refusal leaves the version registered. Registration
 * failures throw.
 */
export async function registerRetrained(
  services: Deps,
  request: {
    projectId: string;
    actor: string;
    runId: string;
    registerAs: string;
    promoteAlias: string | null;
    details: Record<string, unknown>;
  },
): Promise<RetrainOutcome> {
  const { store } = services;
  const { actor, projectId, details } = request;
  const by = { actor, projectId };
  const model =
    (await store.getModelByName(projectId, request.registerAs)) ??
    (await store.createModel(
      { projectId, name: request.registerAs, description: '', createdBy: actor },
      { ...by, action: 'model.create', details },
    ));
  const version = await store.addModelVersion(model.id, request.runId, actor, {
    ...by,
    action: 'model.version.create',
    details,
  });
  const outcome: RetrainOutcome = { status: 'registered', modelVersion: version.version, message: null, failing: null };
  if (!request.promoteAlias) return outcome;
  try {
    await moveAlias(services, model, request.promoteAlias, version.version, {
      ...by,
      action: 'model.alias.set',
      details,
    });
    outcome.status = 'promoted';
  } catch (error) {
    // Gates decide; the version stays registered and the alias where it was.
    const gates = error instanceof ModelyardError && error.code === 'gates_failed';
    outcome.status = gates ? 'gates_failed' : 'failed';
    outcome.message = error instanceof Error ? error.message : String(error);
    if (gates) outcome.failing = (error.details?.failing as unknown[] | undefined) ?? [];
  }
  return outcome;
}

export class AlertRetrainer {
  constructor(
    private readonly services: () => Deps,
    private readonly log: Logger,
  ) {}

  /** Starts the rule's retraining run for this alert and records it on the alert. */
  async start(alert: Alert, rule: AlertRuleRecord): Promise<void> {
    const action = rule.action;
    if (action === null) return;
    const { store } = this.services();
    const state: AlertActionState = {
      status: 'training',
      runId: null,
      model: action.registerAs ?? null,
      modelVersion: null,
      message: null,
    };
    try {
      state.runId = await startRetrainingRun(this.services(), {
        projectId: rule.projectId,
        actor: rule.createdBy,
        name: `retrain-${rule.name}`,
        template: action.runTemplate,
        tags: { [ALERT_TAG]: alert.id, 'modelyard.alert.rule': rule.id },
        details: { alert: alert.id, rule: rule.id },
        // Recorded on the alert before the queue can finish it.
        beforeEnqueue: (id) => store.setAlertAction(alert.id, { ...state, runId: id }),
      });
    } catch (error) {
      state.status = 'failed';
      state.message = error instanceof Error ? error.message : String(error);
      await store.setAlertAction(alert.id, state);
    }
  }

  /** Called for every finished run; acts on those an alert started. */
  async onRunFinished(runId: string): Promise<void> {
    const { store } = this.services();
    const run = await store.getRun(runId);
    const alertId = run?.tags[ALERT_TAG];
    if (!run || alertId === undefined) return;
    const alert = await store.getAlert(alertId);
    if (!alert?.action || alert.action.status !== 'training' || alert.action.runId !== runId) return;
    await this.finish(alert, alert.action);
  }

  /** Alerts whose run finished while the server was down. */
  async recover(): Promise<void> {
    const { store } = this.services();
    for (const alert of await store.alertsWithActionStatus('training')) {
      const runId = alert.action?.runId;
      if (!runId) continue;
      const run = await store.getRun(runId);
      if (run && run.status !== 'queued' && run.status !== 'running') await this.finish(alert, alert.action!);
    }
  }

  private async finish(alert: Alert, action: AlertActionState): Promise<void> {
    const services = this.services();
    const { store } = services;
    const run = await store.getRun(action.runId!);
    const rule = alert.ruleId === null ? undefined : await store.getAlertRule(alert.ruleId);
    const next: AlertActionState = { ...action };
    if (!run || run.status !== 'succeeded') {
      next.status = 'failed';
      next.message = `The retraining run ended ${run?.status ?? 'missing'}${run?.error ? `: ${run.error.message}` : ''}.`;
      await store.setAlertAction(alert.id, next);
      return;
    }
    const retrain = rule?.action;
    if (!retrain?.registerAs) {
      next.status = 'registered';
      next.message = 'The run succeeded; the rule registers no model.';
      await store.setAlertAction(alert.id, next);
      return;
    }
    try {
      const outcome = await registerRetrained(services, {
        projectId: alert.projectId,
        actor: rule!.createdBy,
        runId: run.id,
        registerAs: retrain.registerAs,
        promoteAlias: retrain.promoteAlias ?? null,
        details: { alert: alert.id },
      });
      next.modelVersion = outcome.modelVersion;
      next.status = outcome.status;
      next.message = outcome.message;
    } catch (error) {
      next.status = 'failed';
      next.message = error instanceof Error ? error.message : String(error);
      this.log.error({ err: error, alert: alert.id }, 'registering a retrained model failed');
    }
    await store.setAlertAction(alert.id, next);
  }
}
