// The best complete trial of a study, the one a study reports and AutoML promotes.
import { hasValue, isBetter, type Direction, type TrialRecord } from './trial-record.js';

/** The complete trial with the best finite value (the lowest number on a tie), or undefined when there is none. */
export function bestTrial(history: readonly TrialRecord[], direction: Direction): TrialRecord | undefined {
  let best: (TrialRecord & { value: number }) | undefined;
  for (const trial of history) {
    if (!hasValue(trial)) continue;
    if (
      best === undefined ||
      isBetter(trial.value, best.value, direction) ||
      (trial.value === best.value && trial.number < best.number)
    ) {
      best = trial;
    }
  }
  return best;
}
