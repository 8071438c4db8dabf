// Starting a study: its own run (a child of another run when a job such as AutoML owns it), the study row, and the
// first trials. The request is checked by the caller.

import type { Study } from '@modelyard/client';
import type { Services } from '../services.js';
import { newId } from '../store/ids.js';
import { NOT_TRAINED, type NewStudy, type StudyRecord } from '../store/metadata-store.js';

/** Metrics where more is better; any other is minimised unless asked otherwise. */
export const MAXIMIZED = new Set(['auc', 'pr_auc', 'accuracy', 'balanced_accuracy', 'f1', 'precision', 'recall', 'r2']);
export const DEFAULT_METRIC = { classification: 'auc', regression: 'rmse' } as const;

export const directionOf = (metric: string): Study['direction'] => (MAXIMIZED.has(metric) ? 'maximize' : 'minimize');

export async function startStudy(
  services: Pick<Services, 'store' | 'studies'>,
  spec: Omit<NewStudy, 'runId'> & { parentRunId: string | null },
): Promise<StudyRecord> {
  const { store } = services;
  const { parentRunId, ...rest } = spec;
  const runId = newId('run');
  await store.createRun(
    {
      id: runId,
      projectId: spec.projectId,
      experimentId: spec.experimentId,
      parentRunId,
      name: spec.name,
      kind: 'tracked',
      status: 'running',
      startedAt: new Date().toISOString(),
      ...NOT_TRAINED,
      tags: { 'modelyard.study.sampler': spec.sampler.kind, 'modelyard.study.metric': spec.metric },
      createdBy: spec.createdBy,
    },
    { actor: spec.createdBy, action: 'run.create', details: { study: true } },
  );
  const study = await store.createStudy({ ...rest, runId }, { actor: spec.createdBy, action: 'study.create' });
  await store.logRunData(runId, { tags: [{ key: 'modelyard.study', value: study.id }] });
  await services.studies.advance(study.id);
  return (await store.getStudy(study.id))!;
}
