// Adds a model's scoring steps to a SQL plan: missing values, categories, target encoding, then the GLM or the trees,
// then the engine's output (value, P(classes[1]) or class probabilities), with the same arithmetic in the same order.
import { booleanFallbacks } from '../preprocess/category-lookup.js';
import { EngineError } from '../errors.js';
import type { GlmArtifact, ModelArtifact, SingleModelArtifact } from '../artifact/model-artifact.js';
import type { TreeArtifact } from '../artifact/tree-scorer.js';
import { metaFeatureNames, outputsPerRow } from '../artifact/stacked-features.js';
import { planGlm } from './sql-glm.js';
import type { ModelColumn, ModelOutputs } from './sql-outputs.js';
import type { PlanColumn, SqlPlan, StepScope } from './sql-plan.js';
import { planTrees } from './sql-trees.js';
import { JS_WHITESPACE, quoteString, sqlDouble } from './sql-text.js';

/** The statement's inputs, shared by every model in it (a stacked ensemble's bases read the same columns). */
export interface PlanInputs {
  plan: SqlPlan;
  /** Feature name → the plan column holding its raw value (double, or text for a category). */
  raw: Map<string, string>;
  /** Normalised columns already made, by what they hold (so two bases share them). */
  normalised: Map<string, string>;
}

export function planModel(inputs: PlanInputs, artifact: ModelArtifact, prefix: string): ModelOutputs {
  if (artifact.model.kind !== 'stacked') return planSingleModel(inputs, artifact as SingleModelArtifact, prefix);
  const { bases, meta } = artifact.model;
  const outputs = bases.map((base, i) => planSingleModel(inputs, base, `${prefix}base${i}_`));
  const w = outputsPerRow(artifact.classes);
  const names = metaFeatureNames(bases.length, artifact.classes);
  const raw = new Map<string, string>();
  names.forEach((name, j) => {
    const out = outputs[Math.floor(j / w)]!;
    raw.set(name, out.kind === 'multiclass' ? out.columns[j % w]! : out.column);
  });
  return planSingleModel({ ...inputs, raw }, meta, `${prefix}meta_`);
}

function planSingleModel(inputs: PlanInputs, artifact: SingleModelArtifact, prefix: string): ModelOutputs {
  const { plan } = inputs;
  const { encodings, targetEncoding } = artifact.preprocessing;
  const encoded = new Map<string, { prior: number; values: number[]; categories: string[]; feature: string }>();
  for (const column of targetEncoding?.columns ?? []) {
    for (const output of column.outputs) encoded.set(output.name, { ...output, ...column });
  }
  const rawColumn = (feature: string): string => {
    const column = inputs.raw.get(feature);
    if (column === undefined) throw new EngineError('invalid_artifact', `No input for feature "${feature}"`);
    return column;
  };

  // Numbers: NULL unless finite (NaN and ±Infinity are missing, as in the engine). Categories: the category the
  // engine's lookup finds, or NULL for a missing or unseen value.
  const columns: (ModelColumn | undefined)[] = encodings.map(() => undefined);
  const categoryColumn = (feature: string, categories: string[], made: PlanColumn[], scope: StepScope): string => {
    const raw = rawColumn(feature);
    const key = `category:${raw}:${JSON.stringify(categories)}`;
    let column = inputs.normalised.get(key);
    if (column === undefined) {
      column = plan.columns.fresh(`${prefix}${feature}`);
      made.push({ name: column, sql: categorySql(scope.ref(raw), categories) });
      inputs.normalised.set(key, column);
    }
    return column;
  };
  plan.step(
    `${prefix}features`,
    'missing numbers (NULL, NaN, ±Infinity) become NULL; categories are matched',
    (scope) => {
      const made: PlanColumn[] = [];
      encodings.forEach((encoding, f) => {
        if (encoded.has(encoding.name)) return;
        if (encoding.type === 'category') {
          const column = categoryColumn(encoding.name, encoding.categories, made, scope);
          columns[f] = { kind: 'category', column, categories: encoding.categories };
          return;
        }
        const raw = rawColumn(encoding.name);
        const key = `number:${raw}`;
        let column = inputs.normalised.get(key);
        if (column === undefined) {
          column = plan.columns.fresh(`${prefix}${encoding.name}`);
          const x = scope.ref(raw);
          made.push({
            name: column,
            sql: `CASE WHEN ${x} > ${sqlDouble(-Infinity)} AND ${x} < ${sqlDouble(Infinity)} THEN ${x} END`,
          });
          inputs.normalised.set(key, column);
        }
        columns[f] = { kind: 'number', column };
      });
      for (const column of targetEncoding?.columns ?? [])
        categoryColumn(column.feature, column.categories, made, scope);
      return made;
    },
  );

  // Target encoding: each output is the category's value, the prior for a missing or unseen category.
  plan.step(`${prefix}target_encoding`, 'target-encoded categories become their numbers', (scope) =>
    encodings.flatMap((encoding, f) => {
      const output = encoded.get(encoding.name);
      if (output === undefined) return [];
      const category = inputs.normalised.get(
        `category:${rawColumn(output.feature)}:${JSON.stringify(output.categories)}`,
      )!;
      const column = plan.columns.fresh(`${prefix}${encoding.name}`);
      columns[f] = { kind: 'number', column };
      const x = scope.ref(category);
      const whens = output.categories.map((c, k) => `WHEN ${quoteString(c)} THEN ${finiteDouble(output.values[k]!)}`);
      return [
        {
          name: column,
          sql: `CASE ${x}
  ${[...whens, `ELSE ${finiteDouble(output.prior)}`].join('\n  ')} END`,
        },
      ];
    }),
  );

  const modelColumns = columns.map((c, f) => {
    if (c === undefined) throw new EngineError('invalid_artifact', `Model column ${f} has no input`);
    return c;
  });
  if (artifact.model.kind === 'glm') return planGlm(plan, artifact as GlmArtifact, modelColumns, prefix);
  return planTrees(plan, artifact as TreeArtifact, modelColumns, prefix);
}

/** A number the model reads as given: a non-finite one is missing, as the engine's scorers treat it. */
function finiteDouble(x: number): string {
  return Number.isFinite(x) ? sqlDouble(x) : 'CAST(NULL AS DOUBLE PRECISION)';
}

/** The CASE that maps a text value to the category the engine's CategoryLookup finds (exact, then boolean spellings). */
function categorySql(x: string, categories: string[]): string {
  if (categories.length === 0) return 'CAST(NULL AS TEXT)';
  const branches = [`WHEN ${x} IN (${categories.map(quoteString).join(', ')}) THEN ${x}`];
  const spelled = `lower(trim(${x}, ${JS_WHITESPACE}))`;
  for (const { spellings, category } of booleanFallbacks(categories)) {
    branches.push(
      `WHEN ${spelled} IN (${spellings.map(quoteString).join(', ')}) THEN ${quoteString(categories[category]!)}`,
    );
  }
  return `CASE ${branches.join('\n  ')} END`;
}
