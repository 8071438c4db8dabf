// Metrics of an endpoint's answers against feedback labels, computed by the engine's metric functions.

import { EngineError, mae, multiclassLogLoss, r2, rmse, rocAuc } from '@modelyard/engine';
import type { ClassPrediction, RegressionPrediction } from '@modelyard/client';

/** Labelled class answers: the classes fix the probability columns, so two versions are scored on the same ones. */
export interface ClassAnswers {
  task: 'classification';
  classes: string[];
  labels: string[];
  answers: ClassPrediction[];
}

export interface ValueAnswers {
  task: 'regression';
  labels: number[];
  answers: RegressionPrediction[];
}

/** A metric that is undefined on these records (one class present, one row) is left out rather than failing. */
function put(into: Record<string, number>, name: string, compute: () => number): void {
  try {
    into[name] = compute();
  } catch (error) {
    if (error instanceof EngineError && error.code === 'undefined_metric') return;
    throw error;
  }
}

/**
 * `accuracy` (the answered label equals the true one), `log_loss` (scikit-learn's `log_loss(y, P, labels=classes)`)
 * and, for two classes, `auc` (`roc_auc_score`, ties counted as half); `rmse`, `mae` and `r2` for regression.
 */
export function labelledMetrics(set: ClassAnswers | ValueAnswers): Record<string, number> {
  const metrics: Record<string, number> = {};
  const n = set.labels.length;
  if (n === 0) return metrics;
  if (set.task === 'regression') {
    const truth = Float64Array.from(set.labels);
    const values = Float64Array.from(set.answers, (a) => a.value);
    put(metrics, 'rmse', () => rmse(truth, values));
    put(metrics, 'mae', () => mae(truth, values));
    put(metrics, 'r2', () => r2(truth, values));
    return metrics;
  }
  const { labels, answers } = set;
  // A true class no answer gave a probability to still counts, with probability 0 (clipped) on both sides.
  const classes = [...new Set([...set.classes, ...labels])];
  let correct = 0;
  for (let i = 0; i < n; i++) if (answers[i]!.label === labels[i]) correct++;
  metrics.accuracy = correct / n;
  const k = classes.length;
  if (k < 2) return metrics;
  const code = new Map(classes.map((c, i) => [c, i]));
  const truth = Float64Array.from(labels, (label) => code.get(label)!);
  const probs = new Float64Array(n * k);
  answers.forEach((answer, i) => classes.forEach((c, j) => (probs[i * k + j] = answer.probabilities[c] ?? 0)));
  // The engine clips at 2^-52 (scikit-learn's eps='auto' since 1.2), not the 1e-15 of older releases.
  put(metrics, 'log_loss', () => multiclassLogLoss(truth, probs, k));
  if (k === 2) {
    // AUC of the second class's probability; swapping the classes gives the same value.
    put(metrics, 'auc', () =>
      rocAuc(
        truth,
        Float64Array.from({ length: n }, (_, i) => probs[i * k + 1]!),
      ),
    );
  }
  return metrics;
}
