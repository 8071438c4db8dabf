// The JavaScript export scores every model kind with the engine's exact bits, batch and record by record.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureRecord } from '../artifact/feature-record.js';
import type { FeatureSpec, ModelArtifact } from '../artifact/model-artifact.js';
import { predictFrame } from '../artifact/predict-frame.js';
import { predictRecords, type Prediction } from '../artifact/predict-records.js';
import type { Column } from '../frame/column.js';
import { Frame } from '../frame/frame.js';
import { frameRecords, parityCases, stackedCases, type ParityCase } from '../test-support/parity-cases.js';
import { JS_RUNTIME } from './code-js-runtime.js';
import { exportJavaScript } from './javascript-export.js';

interface ExportedModule {
  features: { name: string; type: string; categories?: string[] }[];
  classes?: string[];
  predict(record: unknown): Prediction;
  predictBatch(columns: Record<string, ArrayLike<unknown>>): Float64Array;
}

/**
 * A trained model whose first category feature is renamed, with renamed categories, to text that breaks naive Java
 * source generation: quotes, backslashes, a written-out \u000a escape, comment ends, newlines and non-ASCII text.
 */
function awkwardNames(c: ParityCase): ParityCase {
  const artifact = JSON.parse(JSON.stringify(c.artifact)) as ModelArtifact;
  const at = artifact.features.findIndex((f) => f.type === 'category');
  const spec = artifact.features[at]! as Extract<FeatureSpec, { type: 'category' }>;
  const from = spec.name;
  const to = 'na"me \\u000a */ é\n';
  const rename = (k: string, i: number) => [`${k} \\u000a "q"`, `x,y\r\n*/`, `ünï 💡 \\`][i] ?? `${k} \u2028`;
  const categories = spec.categories.map(rename);
  artifact.features[at] = { name: to, type: 'category', categories };
  const encoding = artifact.preprocessing.encodings.findIndex((e) => e.name === from);
  artifact.preprocessing.encodings[encoding] = { name: to, type: 'category', categories };
  const columns = c.frame.names.map((name): Column => {
    const column = c.frame.column(name);
    if (name !== from || column.kind !== 'category') return column;
    const dictionary = column.dictionary.map((d) => {
      const k = spec.categories.indexOf(d);
      return k >= 0 ? categories[k]! : d;
    });
    return { ...column, name: to, dictionary };
  });
  return { name: `${c.name}-awkward-names`, artifact, frame: Frame.fromColumns(columns) };
}

/** The frame's feature columns as predictBatch takes them: typed arrays of numbers, arrays of strings or null. */
function batchColumns(frame: Frame, artifact: ModelArtifact): Record<string, ArrayLike<unknown>> {
  const columns: Record<string, ArrayLike<unknown>> = {};
  for (const { name } of artifact.features) {
    const column = frame.column(name);
    columns[name] =
      column.kind === 'number'
        ? column.values
        : Array.from(column.codes, (code) => (code < 0 ? null : column.dictionary[code]!));
  }
  return columns;
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i]! - b[i]!);
    if (d > max || Number.isNaN(d)) max = Number.isNaN(d) ? Infinity : d;
  }
  return max;
}

/** Indices where the bits differ. */
function bitMismatches(a: ArrayLike<number>, b: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (!Object.is(a[i], b[i])) out.push(i);
  return out;
}

/** A prediction flattened: the value, or the probabilities in class order, then the label. */
function flatten(p: Prediction, classes: string[] | undefined): { numbers: number[]; label?: string } {
  if ('value' in p) return { numbers: [p.value] };
  return { numbers: (classes ?? []).map((c) => p.probabilities[c]!), label: p.label };
}

let dir: string;
let cases: ParityCase[] = [];
const modules = new Map<string, ExportedModule>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'modelyard-js-export-'));
  const trained = [...parityCases(), ...stackedCases()];
  cases = [...trained, awkwardNames(trained.find((c) => c.name === 'glm-binomial')!)];
  for (const c of cases) {
    const file = join(dir, `${c.name}.mjs`);
    writeFileSync(file, exportJavaScript(c.artifact));
    modules.set(c.name, (await import(pathToFileURL(file).href)) as ExportedModule);
  }
}, 300_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('exportJavaScript', () => {
  it('covers every model kind, target encoding and stacked ensembles', () => {
    const names = cases.map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(['glm-multinomial', 'gbdt-target-encoded', 'stacked-binary']));
    const kinds = new Set(cases.map((c) => c.artifact.model.kind));
    expect([...kinds].sort()).toEqual(['forest', 'gbdt', 'glm', 'stacked']);
    expect(cases.some((c) => c.artifact.preprocessing.targetEncoding !== undefined)).toBe(true);
  });

  it('predictBatch gives predictFrame’s bits on 10,000 rows of every model', () => {
    for (const c of cases) {
      const expected = predictFrame(c.artifact, c.frame);
      const actual = modules.get(c.name)!.predictBatch(batchColumns(c.frame, c.artifact));
      expect(actual).toBeInstanceOf(Float64Array);
      expect(actual.length, c.name).toBe(expected.length);
      const bad = bitMismatches(actual, expected);
      const detail = `${c.name}: ${bad.length} values differ, max abs difference ${maxAbsDifference(actual, expected)}`;
      expect(bad.length, `${detail} (first at rows ${bad.slice(0, 5).join(', ')})`).toBe(0);
    }
  });

  it('predict gives predictRecords’ labels and bits record by record', () => {
    for (const c of cases) {
      const records = frameRecords(
        c.frame,
        c.artifact.features.map((f) => f.name),
      );
      // frameRecords leaves missing values out; the engine (and the export) want every feature key present.
      for (const record of records) for (const f of c.artifact.features) record[f.name] ??= null;
      const expected = predictRecords(c.artifact, records).map((p) => flatten(p, c.artifact.classes));
      const module = modules.get(c.name)!;
      const actual = records.map((r) => flatten(module.predict(r), c.artifact.classes));
      const a = actual.flatMap((p) => p.numbers);
      const e = expected.flatMap((p) => p.numbers);
      const bad = bitMismatches(a, e);
      const detail = `${c.name}: ${bad.length} values differ, max abs difference ${maxAbsDifference(a, e)}`;
      expect(bad.length, `${detail} (first at ${bad.slice(0, 5).join(', ')})`).toBe(0);
      expect(
        actual.map((p) => p.label),
        c.name,
      ).toEqual(expected.map((p) => p.label));
    }
  });

  it('reads record values as the engine does: numeric strings, booleans, yes/no spellings, unseen categories', () => {
    const c = cases.find((x) => x.name === 'gbdt-binary')!;
    const module = modules.get(c.name)!;
    const base = frameRecords(
      c.frame,
      c.artifact.features.map((f) => f.name),
    )[3]!;
    const variants: FeatureRecord[] = [
      { ...base, tenure: '12', monthly_charges: ' 70.5 ', total_charges: '' },
      { ...base, tenure: 12, monthly_charges: null, internet_service: 'never-seen', multiple_lines: 42 },
      { ...base, total_charges: '0x20', contract: 'One year', senior_citizen: '1e0' },
    ];
    for (const record of variants) {
      for (const f of c.artifact.features) record[f.name] ??= null;
      expect(flatten(module.predict(record), c.artifact.classes)).toEqual(
        flatten(predictRecords(c.artifact, [record])[0]!, c.artifact.classes),
      );
    }
  });

  it('refuses records the engine refuses, listing the same issues', () => {
    const c = cases.find((x) => x.name === 'glm-binomial')!;
    const module = modules.get(c.name)!;
    const names = c.artifact.features.map((f) => f.name);
    const record: Record<string, unknown> = Object.fromEntries(names.map((n) => [n, null]));
    delete record[names[0]!];
    record.tenure = 'many';
    record.surprise = 1;
    let caught: unknown;
    try {
      module.predict(record);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(Error);
    const error = caught as Error & { code: string; details: { issues: unknown[] } };
    expect(error.code).toBe('invalid_records');
    expect(error.details.issues).toEqual([
      { row: 0, field: names[0], problem: 'missing' },
      { row: 0, field: 'tenure', problem: 'wrong_type', expected: 'number' },
      { row: 0, field: 'surprise', problem: 'unexpected' },
    ]);
    expect(() => predictRecords(c.artifact, [record as FeatureRecord])).toThrow(/problem/);
  });

  it('carries its own exp, bit-identical to the engine’s on the frozen Node 20 inputs, and never Math.exp', () => {
    const fixture = JSON.parse(
      readFileSync(new URL('../artifact/__fixtures__/exp-node20.json', import.meta.url), 'utf8'),
    ) as { cases: [string, string][] };
    const start = JS_RUNTIME.indexOf('const expScratch');
    const end = JS_RUNTIME.indexOf('function portableSigmoid');
    const exp = new Function(`${JS_RUNTIME.slice(start, end)}; return portableExp;`)() as (x: number) => number;
    const view = new DataView(new ArrayBuffer(8));
    const bits = (x: number) => {
      view.setFloat64(0, x);
      return view.getBigUint64(0).toString(16).padStart(16, '0');
    };
    const wrong = fixture.cases.filter(([input, expected]) => {
      view.setBigUint64(0, BigInt(`0x${input}`));
      return bits(exp(view.getFloat64(0))) !== expected;
    });
    expect(fixture.cases.length).toBe(3023);
    expect(wrong).toEqual([]);
    expect(exportJavaScript(cases[0]!.artifact)).not.toContain('Math.exp');
  });

  it('exports features, classes and a readable header', () => {
    const c = cases.find((x) => x.name === 'glm-multinomial')!;
    const module = modules.get(c.name)!;
    expect(module.features).toEqual(c.artifact.features);
    expect(module.classes).toEqual(c.artifact.classes);
    const source = exportJavaScript(c.artifact);
    expect(source).toMatch(/^\/\*\n \* Modelyard glm model/);
    expect(source).toContain('Target: cut (classification)');
    expect(source).not.toMatch(/^import /m);
    expect(modules.get('gbdt-regression')!.classes).toBeUndefined();
  });
});
