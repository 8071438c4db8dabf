// A GLM's linear predictors in SQL: the terms of `frameLinearPredictor` added to the intercept in the same order.
import type { GlmArtifact } from '../artifact/model-artifact.js';
import { planSigmoid, planSoftmax, type ModelColumn, type ModelOutputs } from './sql-outputs.js';
import type { SqlPlan, StepScope } from './sql-plan.js';
import { quoteString, sqlDouble } from './sql-text.js';

export function planGlm(plan: SqlPlan, artifact: GlmArtifact, columns: ModelColumn[], prefix: string): ModelOutputs {
  const model = artifact.model;
  const classes = artifact.classes ?? [];
  const outputs =
    model.family === 'multinomial'
      ? model.intercepts.map((intercept, k) => ({ intercept, coefficients: model.coefficientMatrix[k]! }))
      : [{ intercept: model.intercept, coefficients: model.coefficients }];
  const names = outputs.map((_, k) => plan.columns.fresh(`${prefix}eta${outputs.length > 1 ? `_${classes[k]}` : ''}`));
  plan.step(`${prefix}linear`, 'linear predictor: intercept + coefficient × standardised value, per column', (scope) =>
    outputs.map(({ intercept, coefficients }, k) => ({
      name: names[k]!,
      sql: linearSql(artifact, columns, intercept, coefficients, scope),
    })),
  );
  if (model.family === 'gaussian') return { kind: 'value', column: names[0]! };
  if (model.family === 'binomial') return planSigmoid(plan, names[0]!, prefix);
  return planSoftmax(plan, names, classes, prefix);
}

/**
 * eta = intercept, then + b × ((x or impute) − center) / scale per number and + b[category] per matched category, in
 * encoding order; a zero coefficient adds exactly nothing and is left out.
 */
function linearSql(
  artifact: GlmArtifact,
  columns: ModelColumn[],
  intercept: number,
  coefficients: number[],
  scope: StepScope,
): string {
  const terms = [sqlDouble(intercept)];
  let offset = 0;
  artifact.preprocessing.encodings.forEach((encoding, f) => {
    const column = columns[f]!;
    if (encoding.type === 'number') {
      const b = coefficients[offset]!;
      offset += 1;
      if (b === 0) return;
      const x = `COALESCE(${scope.ref(column.column)}, ${sqlDouble(encoding.impute)})`;
      terms.push(`${sqlDouble(b)} * ((${x} - ${sqlDouble(encoding.center)}) / ${sqlDouble(encoding.scale)})`);
      return;
    }
    const whens = encoding.categories
      .map((c, k) => ({ c, b: coefficients[offset + k]! }))
      .filter(({ b }) => b !== 0)
      .map(({ c, b }) => `WHEN ${quoteString(c)} THEN ${sqlDouble(b)}`);
    offset += encoding.categories.length;
    if (whens.length > 0) terms.push(`CASE ${scope.ref(column.column)} ${whens.join(' ')} ELSE 0 END`);
  });
  return terms.join('\n  + ');
}
