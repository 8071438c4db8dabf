// Exports a model as one dependency-free JavaScript ES module that scores the same bits as the engine.
import type { FeatureSpec, ModelArtifact } from '../artifact/model-artifact.js';
import { JS_RUNTIME } from './code-js-runtime.js';
import { modelPlan } from './code-model-plan.js';

/**
 * The module's source: `features`, `classes` (classifiers), `predict(record)` (as the engine's predictRecords scores
 * one record) and `predictBatch(columns)` (as predictFrame scores a frame), with the model's parameters embedded.
 */
export function exportJavaScript(artifact: ModelArtifact): string {
  const plan = modelPlan(artifact);
  const features = artifact.features.map((f) =>
    f.type === 'number' ? { name: f.name, type: f.type } : { name: f.name, type: f.type, categories: f.categories },
  );
  const classification = artifact.task === 'classification';
  return [
    header(artifact),
    `const PLAN = ${literal(plan)};`,
    JS_RUNTIME,
    '/** The input features: name, type and (categories) the categories seen at training. */',
    `export const features = ${literal(features)};`,
    classification ? `\n/** Class labels; a binary model's probability is that of classes[1]. */` : '',
    classification ? `export const classes = ${literal(artifact.classes ?? [])};` : '',
    '',
  ].join('\n');
}

function header(artifact: ModelArtifact): string {
  const kind = artifact.model.kind === 'stacked' ? 'stacked ensemble' : artifact.model.kind;
  const lines = [
    `Modelyard ${kind} model, exported as a dependency-free ES module (generated; do not edit).`,
    '',
    `Target: ${artifact.target} (${artifact.task})`,
  ];
  if (artifact.classes !== undefined) lines.push(`Classes: ${artifact.classes.map(quote).join(', ')}`);
  lines.push('Features:');
  for (const spec of artifact.features) lines.push(`  ${quote(spec.name)}: ${describe(spec)}`);
  lines.push(
    '',
    'Usage:',
    `  import { predict, predictBatch, features${artifact.task === 'classification' ? ', classes' : ''} } from './model.js';`,
    `  predict({ ${artifact.features
      .slice(0, 3)
      .map((f) => `${quote(f.name)}: ${f.type === 'number' ? '1.5' : quote(f.categories[0] ?? 'a')}`)
      .join(', ')}${artifact.features.length > 3 ? ', ...' : ''} })`,
    artifact.task === 'classification'
      ? '    // → { label, probabilities: { <class>: p, ... } }'
      : '    // → { value }',
    '  predictBatch({ <feature>: array or typed array, ... })',
    artifact.task === 'regression'
      ? '    // → Float64Array of values'
      : (artifact.classes?.length ?? 0) > 2
        ? '    // → Float64Array, n × k row-major class probabilities in `classes` order'
        : '    // → Float64Array of P(classes[1])',
    'Missing values: null/undefined (and NaN for numbers). As in the engine, a record must carry every feature key,',
    'and keys other than the features, the target and columns dropped at training are refused.',
  );
  return ['/*', ...lines.map((l) => ` * ${l}`.trimEnd()), ' */'].join('\n');
}

function describe(spec: FeatureSpec): string {
  if (spec.type === 'number') return 'number';
  const shown = spec.categories.slice(0, 12).map(quote).join(', ');
  const more = spec.categories.length > 12 ? `, ... (${spec.categories.length} in all)` : '';
  return `category [${shown}${more}]`;
}

/** A JSON string literal, safe inside a block comment. */
function quote(text: string): string {
  return JSON.stringify(text).replaceAll('*/', '*\\/');
}

/** A JavaScript literal of plain data: numbers keep their exact value (including -0, NaN and infinities). */
function literal(value: unknown): string {
  if (typeof value === 'number') {
    if (Object.is(value, -0)) return '-0';
    return String(value);
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${literal(v)}`).join(',')}}`;
}
