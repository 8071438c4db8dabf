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

export class AlertRetrainer {
  constructor(
    private readonly services: () => Deps,
    private readonly log: Logger,
  ) {}

  /** Starts the rule's retraining run for this alert and records it on the alert. */
  async start(alert: Alert, rule: AlertRuleRecord): Promise<void> {
    const action = rule.action;
    if (action === null) return;
    const { store, training } = this.services();
    const state: AlertActionState = {
      status: 'training',
      runId: null,
      model: action.registerAs ?? null,
      modelVersion: null,
      message: null,
    };
    try {
      const fields = await trainingOf(this.services(), rule.projectId, action.runTemplate);
      const experiment = await store.defaultExperiment(rule.projectId, rule.createdBy);
      const id = newId('run');
      await store.createRun(
        {
          id,
          projectId: rule.projectId,
          experimentId: experiment.id,
          parentRunId: null,
          kind: 'training',
          name: `retrain-${rule.name}-${id.slice(-6)}`,
          tags: { [ALERT_TAG]: alert.id, 'modelyard.alert.rule': rule.id },
          ...fields,
          createdBy: rule.createdBy,
        },
        {
          actor: rule.createdBy,
          action: 'run.create',
          details: { alert: alert.id, rule: rule.id, dataset: fields.datasetId, version: fields.datasetVersion },
        },
      );
      state.runId = id;
      await store.setAlertAction(alert.id, state);
      training.enqueue(id);
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
    const actor = rule!.createdBy;
    const by = { actor, projectId: alert.projectId };
    try {
      const model =
        (await store.getModelByName(alert.projectId, retrain.registerAs)) ??
        (await store.createModel(
          { projectId: alert.projectId, name: retrain.registerAs, description: '', createdBy: actor },
          { ...by, action: 'model.create', details: { alert: alert.id } },
        ));
      const version = await store.addModelVersion(model.id, run.id, actor, {
        ...by,
        action: 'model.version.create',
        details: { alert: alert.id },
      });
      next.modelVersion = version.version;
      next.status = 'registered';
      if (retrain.promoteAlias) {
        try {
          await moveAlias(services, model, retrain.promoteAlias, version.version, {
            ...by,
            action: 'model.alias.set',
            details: { alert: alert.id },
          });
          next.status = 'promoted';
        } catch (error) {
          // Gates decide; the version stays registered and the alias where it was.
          next.status = error instanceof ModelyardError && error.code === 'gates_failed' ? 'gates_failed' : 'failed';
          next.message = error instanceof Error ? error.message : String(error);
        }
      }
    } catch (error) {
      next.status = 'failed';
      next.message = error instanceof Error ? error.message : String(error);
      this.log.error({ err: error, alert: alert.id }, 'registering a retrained model failed');
    }
    await store.setAlertAction(alert.id, next);
  }
}
