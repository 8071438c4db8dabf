// What the tuning code knows about a trial: the plain record the server persists, so a restart loses nothing.
import type { Params } from './space.js';

export type Direction = 'minimize' | 'maximize';

export type TrialState = 'running' | 'complete' | 'pruned' | 'failed';

export interface IntermediateValue {
  step: number;
  value: number;
}

export interface TrialRecord {
  /** 0-based, unique within a study, in the order trials were started. */
  number: number;
  params: Params;
  state: TrialState;
  /** The objective of a complete trial. */
  value?: number;
  /** Values reported while the trial ran (e.g. a validation loss per boosting round or epoch). */
  intermediate?: IntermediateValue[];
}

/** True when `a` is strictly better than `b` in the study's direction. */
export function isBetter(a: number, b: number, direction: Direction): boolean {
  return direction === 'minimize' ? a < b : a > b;
}

/** Whether the record is a complete trial with a finite objective (the only kind that can be best). */
export function hasValue(trial: TrialRecord): trial is TrialRecord & { value: number } {
  return trial.state === 'complete' && typeof trial.value === 'number' && Number.isFinite(trial.value);
}

/** The intermediate values in step order (the record may list them in any order). */
export function sortedIntermediate(trial: TrialRecord): IntermediateValue[] {
  return [...(trial.intermediate ?? [])].sort((a, b) => a.step - b.step);
}
