// The last steps of a scoring plan: the engine's sigmoid, softmax and forest means, and the predicted label.
import type { SqlPlan } from './sql-plan.js';
import { quoteString, sqlDouble, sqlExp } from './sql-text.js';

/** A model column as a plan column: a number (NULL = missing) or a matched category (NULL = missing or unseen). */
export type ModelColumn =
  { kind: 'number'; column: string } | { kind: 'category'; column: string; categories: string[] };

/** What a model leaves in the plan: its value, its P(classes[1]), or one probability per class. */
export type ModelOutputs =
  { kind: 'value'; column: string } | { kind: 'binary'; column: string } | { kind: 'multiclass'; columns: string[] };

/** P(classes[1]) = portableSigmoid(margin): the same two branches, so both tails keep their precision. */
export function planSigmoid(plan: SqlPlan, margin: string, prefix: string): ModelOutputs {
  const column = plan.columns.fresh(`${prefix}probability`);
  plan.step(`${prefix}probability`, 'P(classes[1]) = sigmoid(margin)', (scope) => {
    const m = scope.ref(margin);
    const sql =
      `CASE WHEN ${m} >= 0 THEN 1 / (1 + ${sqlExp(`(-${m})`, { nonPositive: true })})\n` +
      `  ELSE ${sqlExp(m, { nonPositive: true })} / (1 + ${sqlExp(m, { nonPositive: true })}) END`;
    return [{ name: column, sql }];
  });
  return { kind: 'binary', column };
}

/** Class probabilities = softmaxRows(margins): shifted by the row maximum, exp, divided by their sum in class order. */
export function planSoftmax(plan: SqlPlan, margins: string[], classes: string[], prefix: string): ModelOutputs {
  const top = plan.columns.fresh(`${prefix}max_margin`);
  plan.step(`${prefix}softmax_max`, 'the largest margin of the row', (scope) => [
    { name: top, sql: `GREATEST(${margins.map((m) => scope.ref(m)).join(', ')})` },
  ]);
  const exps = classes.map((c) => plan.columns.fresh(`${prefix}exp_${c}`));
  plan.step(`${prefix}softmax_exp`, 'exp(margin - largest margin), per class', (scope) =>
    exps.map((name, k) => ({
      name,
      sql: sqlExp(`(${scope.ref(margins[k]!)} - ${scope.ref(top)})`, { nonPositive: true }),
    })),
  );
  const total = plan.columns.fresh(`${prefix}exp_sum`);
  plan.step(`${prefix}softmax_sum`, 'their sum, in class order', (scope) => [
    { name: total, sql: exps.map((e) => scope.ref(e)).join(' + ') },
  ]);
  const columns = classes.map((c) => plan.columns.fresh(`${prefix}p_${c}`));
  plan.step(`${prefix}probabilities`, 'class probabilities', (scope) =>
    columns.map((name, k) => ({ name, sql: `${scope.ref(exps[k]!)} / ${scope.ref(total)}` })),
  );
  return { kind: 'multiclass', columns };
}

/**
 * A forest's means: values, P(classes[1]) clamped to [0, 1], or class shares normalised to sum to 1 (uniform when
 * all are 0), as `forestOutputs` computes them.
 */
export function planForestOutputs(
  plan: SqlPlan,
  sums: string[],
  nTrees: number,
  task: 'classification' | 'regression',
  classes: string[],
  prefix: string,
): ModelOutputs {
  const rounds = sqlDouble(nTrees / sums.length);
  if (sums.length === 1) {
    const column = plan.columns.fresh(`${prefix}${task === 'regression' ? 'prediction' : 'probability'}`);
    plan.step(`${prefix}forest_mean`, 'the mean of the trees', (scope) => {
      const mean = `${scope.ref(sums[0]!)} / ${rounds}`;
      return [{ name: column, sql: task === 'regression' ? mean : `LEAST(1, GREATEST(0, ${mean}))` }];
    });
    return { kind: task === 'regression' ? 'value' : 'binary', column };
  }
  const shares = classes.map((c) => plan.columns.fresh(`${prefix}share_${c}`));
  plan.step(`${prefix}forest_shares`, "each class's mean over its trees", (scope) =>
    shares.map((name, k) => ({ name, sql: `${scope.ref(sums[k]!)} / ${rounds}` })),
  );
  const total = plan.columns.fresh(`${prefix}share_sum`);
  plan.step(`${prefix}forest_share_sum`, 'their sum, in class order', (scope) => [
    { name: total, sql: shares.map((s) => scope.ref(s)).join(' + ') },
  ]);
  const columns = classes.map((c) => plan.columns.fresh(`${prefix}p_${c}`));
  const uniform = sqlDouble(1 / classes.length);
  plan.step(`${prefix}probabilities`, 'class probabilities (uniform when every share is 0)', (scope) =>
    columns.map((name, k) => ({
      name,
      sql: `CASE WHEN ${scope.ref(total)} > 0 THEN ${scope.ref(shares[k]!)} / ${scope.ref(total)} ELSE ${uniform} END`,
    })),
  );
  return { kind: 'multiclass', columns };
}

/** The predicted class as `pickLabel` picks it: the largest probability, ties to the first class. */
export function planLabel(plan: SqlPlan, outputs: ModelOutputs, classes: string[]): string | undefined {
  if (outputs.kind === 'value') return undefined;
  const column = plan.columns.fresh('label');
  plan.step('label', 'the predicted class: the most probable, ties to the first', (scope) => {
    if (outputs.kind === 'binary') {
      const p = scope.ref(outputs.column);
      const sql = `CASE WHEN ${p} > 1 - ${p} THEN ${quoteString(classes[1]!)} ELSE ${quoteString(classes[0]!)} END`;
      return [{ name: column, sql }];
    }
    const p = outputs.columns.map((c) => scope.ref(c));
    // Class k wins when no later class is more probable; the earlier branches have already lost to a later one.
    const whens = classes.slice(0, -1).map((c, k) => {
      const tests = p.slice(k + 1).map((other) => `${p[k]} >= ${other}`);
      return `WHEN ${tests.join(' AND ')} THEN ${quoteString(c)}`;
    });
    return [{ name: column, sql: `CASE ${whens.join('\n  ')}\n  ELSE ${quoteString(classes.at(-1)!)} END` }];
  });
  return column;
}
