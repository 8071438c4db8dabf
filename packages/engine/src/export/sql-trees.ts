// Tree ensembles in SQL: every tree a nested CASE computed once per row, then summed per class in tree order.
import { EngineError } from '../errors.js';
import type { GbdtTree } from '../artifact/model-artifact.js';
import { marginsPerRow, type TreeArtifact } from '../artifact/tree-scorer.js';
import { planForestOutputs, planSigmoid, planSoftmax, type ModelColumn, type ModelOutputs } from './sql-outputs.js';
import type { SqlPlan } from './sql-plan.js';
import { quoteString, sqlDouble, sqlExp } from './sql-text.js';

/** Trees per step: keeps each sum under DuckDB's expression depth (1000) and each step under PostgreSQL's 1664 columns. */
const TREES_PER_STEP = 200;
/** Deeper trees nest CASE past what the parsers accept (DuckDB allows 1000 levels of expression). */
const MAX_TREE_DEPTH = 300;

export function planTrees(plan: SqlPlan, artifact: TreeArtifact, columns: ModelColumn[], prefix: string): ModelOutputs {
  const trees = artifact.model.trees;
  const k = marginsPerRow(artifact);
  const classes = artifact.classes ?? [];
  const forest = artifact.model.kind === 'forest';
  // A forest sums from 0 (its outputs are means); boosting from its base score(s).
  const start = (c: number): number =>
    artifact.model.kind === 'forest'
      ? 0
      : k === 1
        ? artifact.model.baseScore
        : (artifact.model.classBaseScores?.[c] ?? 0);
  const label = (c: number): string => (k === 1 ? '' : `_${classes[c] ?? c}`);
  let sums: string[] | undefined;
  const chunk = Math.max(k, Math.floor(TREES_PER_STEP / k) * k);
  const steps = Math.max(1, Math.ceil(trees.length / chunk));
  for (let s = 0; s < steps; s++) {
    const part = trees.slice(s * chunk, (s + 1) * chunk);
    const suffix = steps > 1 ? `_${s + 1}` : '';
    const names = part.map((_, i) => plan.columns.fresh(`${prefix}tree_${s * chunk + i}`));
    plan.step(
      `${prefix}trees${suffix}`,
      `trees ${s * chunk} to ${s * chunk + part.length - 1}: the leaf value of each`,
      (scope) => part.map((tree, i) => ({ name: names[i]!, sql: treeSql(tree, columns, (c) => scope.ref(c)) })),
    );
    const previous = sums;
    const next = Array.from({ length: k }, (_, c) =>
      plan.columns.fresh(`${prefix}${forest ? 'sum' : 'margin'}${label(c)}`),
    );
    plan.step(
      `${prefix}${forest ? 'sums' : 'margins'}${suffix}`,
      'tree values added in tree order, per class',
      (scope) =>
        next.map((name, c) => {
          const terms = [previous === undefined ? sqlDouble(start(c)) : scope.ref(previous[c]!)];
          names.forEach((tree, i) => {
            if ((s * chunk + i) % k === c) terms.push(scope.ref(tree));
          });
          return { name, sql: terms.join(' + ') };
        }),
    );
    sums = next;
  }
  if (sums === undefined) throw new Error('unreachable: at least one tree step');
  if (artifact.model.kind === 'forest') {
    return planForestOutputs(plan, sums, trees.length, artifact.task, classes, prefix);
  }
  const objective = artifact.model.objective;
  if (objective === 'softmax') return planSoftmax(plan, sums, classes, prefix);
  if (objective === 'logistic') return planSigmoid(plan, sums[0]!, prefix);
  if (objective !== 'poisson') return { kind: 'value', column: sums[0]! };
  const column = plan.columns.fresh(`${prefix}prediction`);
  plan.step(`${prefix}poisson_mean`, 'the Poisson mean exp(margin)', (scope) => [
    { name: column, sql: sqlExp(scope.ref(sums[0]!)) },
  ]);
  return { kind: 'value', column };
}

/**
 * One tree as nested CASE. Missing values are NULL, and a comparison with NULL is not true, so each split is written
 * with the condition that sends a row away from its default side: numeric `x < t` goes left, so a default-left node
 * asks `x >= t` for the right; a category node lists the categories on the non-default side.
 */
export function treeSql(tree: GbdtTree, columns: ModelColumn[], ref: (column: string) => string): string {
  const render = (node: number, depth: number): string => {
    const f = tree.feature[node]!;
    if (f < 0) return sqlDouble(tree.value[node]!);
    if (depth >= MAX_TREE_DEPTH) {
      throw new EngineError('invalid_artifact', `A tree deeper than ${MAX_TREE_DEPTH} levels cannot be written as SQL`);
    }
    const column = columns[f];
    if (column === undefined) throw new EngineError('invalid_artifact', `Tree split on unknown column ${f}`);
    const x = ref(column.column);
    const left = render(tree.left[node]!, depth + 1);
    const right = render(tree.right[node]!, depth + 1);
    const defaultLeft = tree.defaultLeft[node] === true;
    let condition: string;
    if (column.kind === 'number') {
      const threshold = sqlDouble(tree.threshold[node]!);
      condition = defaultLeft ? `${x} >= ${threshold}` : `${x} < ${threshold}`;
    } else {
      const goLeft = new Set(tree.leftCategories[node] ?? []);
      const listed = column.categories.filter((_, k) => goLeft.has(k) !== defaultLeft);
      if (listed.length === 0) return defaultLeft ? left : right;
      // Equalities joined by OR, not IN: DuckDB's optimizer turns every IN list into a join, which for hundreds of
      // splits takes it seconds to minutes to plan.
      condition = listed.map((c) => `${x} = ${quoteString(c)}`).join(' OR ');
    }
    const [then, otherwise] = defaultLeft ? [right, left] : [left, right];
    const pad = '  '.repeat(depth + 1);
    return `CASE WHEN ${condition}\n${pad}THEN ${then}\n${pad}ELSE ${otherwise} END`;
  };
  return render(0, 0);
}
