// Exports a model as SQL that scores inside DuckDB or PostgreSQL with the engine's arithmetic: predictions equal
// predictFrame's to rounding (every literal an exact double, every step in the engine's order).
import { EngineError } from '../errors.js';
import type { ModelArtifact } from '../artifact/model-artifact.js';
import { planModel, type PlanInputs } from './sql-model.js';
import { planLabel, type ModelOutputs } from './sql-outputs.js';
import { SqlPlan } from './sql-plan.js';
import { commentText, NameAllocator, quoteIdentifier, type SqlDialect } from './sql-text.js';

export type { SqlDialect } from './sql-text.js';

export interface SqlScoreOptions {
  dialect: SqlDialect;
  /** The SQL expression that reads a feature; default: the feature name as a quoted identifier. */
  column?: (feature: string) => string;
}

export interface SqlScoreColumn {
  /** The output column's name: `prediction`; `probability` and `label`; or `p_<class>` per class and `label`. */
  name: string;
  sql: string;
}

interface ScorePlan {
  plan: SqlPlan;
  outputs: { name: string; column: string }[];
}

/**
 * One SQL expression per output column, over the input columns: a regression model gives `prediction`; a binary
 * classifier `probability` (of classes[1]) and `label`; more classes one `p_<class>` per class (lower-case letters,
 * digits and `_`) and `label`. Each expression is a self-contained scalar subquery that computes every tree once,
 * so select them side by side, or use `exportSql` to compute the model once for all of them.
 */
export function sqlScoreColumns(artifact: ModelArtifact, options: SqlScoreOptions): SqlScoreColumn[] {
  const column = options.column ?? quoteIdentifier;
  const { plan, outputs } = scorePlan(artifact, column);
  return outputs.map((output) => ({
    name: output.name,
    sql: plan.renderNested(options.dialect, output),
  }));
}

export interface SqlExportOptions {
  dialect: SqlDialect;
  /** The table (or view) to score: a plain name such as `customers` or `sales.customers` is kept as written, anything else quoted. */
  table: string;
}

/**
 * A complete statement: `SELECT <table's columns>, <score columns>` over `<table>`, with a header comment on the model
 * and how to use it. A chain of CTEs carries each row through the steps, so every tree runs once per row whatever the
 * number of outputs.
 */
export function exportSql(artifact: ModelArtifact, options: SqlExportOptions): string {
  const { plan, outputs } = scorePlan(artifact, (feature) => `src.${quoteIdentifier(feature)}`);
  const table = /^[A-Za-z_][A-Za-z0-9_$]*(\.[A-Za-z_][A-Za-z0-9_$]*)*$/.test(options.table)
    ? options.table
    : quoteIdentifier(options.table);
  return `${header(artifact, options.dialect, outputs)}\n${plan.renderChain(options.dialect, outputs, `${table} AS src`)};\n`;
}

function scorePlan(artifact: ModelArtifact, column: (feature: string) => string): ScorePlan {
  const classes = artifact.classes ?? [];
  if (artifact.task === 'classification' && classes.length < 2) {
    throw new EngineError('invalid_artifact', 'A classifier needs at least two classes');
  }
  const plan = new SqlPlan();
  const raw = new Map<string, string>();
  // DuckDB resolves a bare name to an alias of the same SELECT first, so no alias there may spell a feature's name.
  const features = new Set(artifact.features.map((spec) => spec.name.toLowerCase()));
  const names = artifact.features.map((spec) => plan.columns.fresh(`in_${spec.name}`, features));
  plan.step('inputs', 'the input columns as double precision (numbers) or text (categories)', () =>
    artifact.features.map((spec, i) => {
      raw.set(spec.name, names[i]!);
      const type = spec.type === 'number' ? 'DOUBLE PRECISION' : 'TEXT';
      return { name: names[i]!, sql: `CAST(${column(spec.name)} AS ${type})` };
    }),
  );
  const inputs: PlanInputs = { plan, raw, normalised: new Map() };
  const model = planModel(inputs, artifact, '');
  const label = planLabel(plan, model, classes);
  return { plan, outputs: outputNames(model, classes, label) };
}

function outputNames(model: ModelOutputs, classes: string[], label: string | undefined): ScorePlan['outputs'] {
  if (model.kind === 'value') return [{ name: 'prediction', column: model.column }];
  const labelled = [{ name: 'label', column: label! }];
  if (model.kind === 'binary') return [{ name: 'probability', column: model.column }, ...labelled];
  const names = new NameAllocator();
  names.fresh('label');
  return [...model.columns.map((column, k) => ({ name: names.fresh(`p_${classes[k]}`), column })), ...labelled];
}

function header(artifact: ModelArtifact, dialect: SqlDialect, outputs: ScorePlan['outputs']): string {
  const classes = artifact.classes ?? [];
  const kind =
    artifact.model.kind === 'stacked'
      ? `stacked ensemble of ${artifact.model.bases.length} models`
      : artifact.model.kind;
  const lines = [
    `Modelyard model, exported as ${dialect === 'duckdb' ? 'DuckDB' : 'PostgreSQL'} SQL.`,
    `Target: ${commentText(artifact.target)} (${artifact.task}); model: ${kind}.`,
  ];
  if (classes.length > 0) lines.push(`Classes: ${classes.map(commentText).join(', ')}.`);
  lines.push('Features (columns the table must have):');
  for (const spec of artifact.features) {
    const type = spec.type === 'number' ? 'number' : `category (text, ${spec.categories.length} known values)`;
    lines.push(`  ${commentText(spec.name)}: ${type}`);
  }
  lines.push("Outputs (added after the table's own columns):");
  for (const output of outputs) lines.push(`  ${output.name}: ${outputMeaning(output.name, outputs, classes)}`);
  lines.push(
    'Missing values: NULL, NaN and ±Infinity count as missing numbers; NULL and values the model never saw count as',
    'missing categories. Use: replace the table name below (or wrap the statement in CREATE TABLE ... AS / a view).',
  );
  if (dialect === 'postgres') {
    lines.push('PostgreSQL: run `SET jit = off` first; compiling this large expression costs more than it saves.');
  }
  return lines.map((line) => `-- ${line}`).join('\n');
}

function outputMeaning(name: string, outputs: ScorePlan['outputs'], classes: string[]): string {
  if (name === 'prediction') return 'the predicted value';
  if (name === 'probability') return `the probability of ${commentText(classes[1] ?? '')}`;
  if (name === 'label') return 'the predicted class (the most probable)';
  const k = outputs.findIndex((o) => o.name === name);
  return `the probability of ${commentText(classes[k] ?? '')}`;
}
