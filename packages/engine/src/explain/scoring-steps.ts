// Explanations written once for sync and async scorers: a generator yields each frame it needs scored and receives
// the predictions back, and a driver feeds it from a predict function of either kind.
import type { Frame } from '../frame/frame.js';
import type { AsyncPredictFunction, PredictFunction } from './predict-function.js';

/**
 * A computation that needs frames scored: each `yield` hands out a frame and resumes with its predictions (as a
 * `PredictFunction` returns them); the return value is the result. Deterministic for its options, so the sync and
 * async drivers give identical numbers.
 */
export type ScoringSteps<T> = Generator<Frame, T, Float64Array>;

/** Runs the steps with a synchronous scorer (engine artifacts). */
export function runScoringSteps<T>(steps: ScoringSteps<T>, predict: PredictFunction): T {
  let step = steps.next();
  while (!step.done) step = steps.next(predict(step.value));
  return step.value;
}

/** Runs the steps with an asynchronous scorer (an ONNX session), one frame at a time. */
export async function runScoringStepsAsync<T>(steps: ScoringSteps<T>, predict: AsyncPredictFunction): Promise<T> {
  let step = steps.next();
  while (!step.done) step = steps.next(await predict(step.value));
  return step.value;
}
