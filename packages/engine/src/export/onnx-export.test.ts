// ONNX export parity: every model kind exported, run by onnxruntime-node on 10,000 rows, and held to predictFrame.
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import type { GbdtArtifact, GbdtTree, ModelArtifact } from '../artifact/model-artifact.js';
import { predictFrame } from '../artifact/predict-frame.js';
import { predictRecords } from '../artifact/predict-records.js';
import { outputsPerRow } from '../artifact/stacked-features.js';
import { crossValidate } from '../automl/cross-validate.js';
import { crossValidateMeta } from '../automl/cross-validate-meta.js';
import { trainForestModel } from '../forest/train-forest-model.js';
import type { Column } from '../frame/column.js';
import { Frame } from '../frame/frame.js';
import { trainGbdtModel } from '../gbdt/train-gbdt-model.js';
import { trainGlmModel } from '../glm/train-glm-model.js';
import {
  PARITY_ROWS,
  frameRecords,
  parityCases,
  scoringRows,
  sharedFrame,
  type ParityCase,
} from '../test-support/parity-cases.js';
import { exportOnnx, ONNX_ML_OPSET, ONNX_OPSET } from './onnx-export.js';

/** Stacked ensembles (binary and multiclass) of cross-validated bases, one base target-encoded. */
function stackedCases(): ParityCase[] {
  const first = (frame: Frame) => frame.take(Int32Array.from({ length: 1500 }, (_, i) => i));
  const churn = first(sharedFrame('wa_churn.csv'));
  const diamonds = first(sharedFrame('diamonds.csv'));
  const cv = { k: 3, seed: 1 };
  const binary = { target: 'churn', task: 'classification' } as const;
  const multiclass = { target: 'cut', task: 'classification' } as const;
  const churnBases = [
    crossValidate(churn, trainGlmModel, binary, cv),
    crossValidate(
      churn,
      trainGbdtModel,
      { ...binary, params: { nTrees: 30, maxDepth: 4, categoricalEncoding: 'target' } },
      cv,
    ),
    crossValidate(churn, trainForestModel, { ...binary, params: { nTrees: 20, maxDepth: 6 } }, cv),
  ];
  const diamondBases = [
    crossValidate(diamonds, trainGlmModel, multiclass, cv),
    crossValidate(diamonds, trainGbdtModel, { ...multiclass, params: { nTrees: 15, maxDepth: 4 } }, cv),
    crossValidate(diamonds, trainForestModel, { ...multiclass, params: { nTrees: 9, maxDepth: 6 } }, cv),
  ];
  const stack = (frame: Frame, bases: typeof churnBases, options: typeof binary | typeof multiclass) =>
    crossValidateMeta(
      frame,
      bases.map((b) => ({ artifact: b.artifact, oof: b })),
      options,
    ).artifact;
  return [
    {
      name: 'stacked-binary',
      artifact: stack(churn, churnBases, binary),
      frame: scoringRows(sharedFrame('wa_churn.csv')),
    },
    {
      name: 'stacked-multiclass',
      artifact: stack(diamonds, diamondBases, multiclass),
      frame: scoringRows(sharedFrame('diamonds.csv')),
    },
  ];
}

/** One [N, 1] tensor per feature: doubles (NaN = missing) or strings ("" = missing). */
function feeds(artifact: ModelArtifact, frame: Frame): Record<string, ort.Tensor> {
  const out: Record<string, ort.Tensor> = {};
  for (const spec of artifact.features) {
    const column = frame.column(spec.name);
    const n = frame.nRows;
    if (spec.type === 'number') {
      if (column.kind !== 'number') throw new Error(`${spec.name} is not a number column`);
      out[spec.name] = new ort.Tensor('float64', Float64Array.from(column.values), [n, 1]);
    } else {
      const values =
        column.kind === 'category'
          ? Array.from(column.codes, (code) => (code < 0 ? '' : column.dictionary[code]!))
          : Array.from(column.values, (v) => (Number.isNaN(v) ? '' : String(v)));
      out[spec.name] = new ort.Tensor('string', values, [n, 1]);
    }
  }
  return out;
}

/** Largest |a - e| (absolute) or |a - e| / |e| (relative); Infinity when a NaN appears where e is not NaN. */
function maxDifference(actual: ArrayLike<number>, expected: ArrayLike<number>, relative: boolean): number {
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const d = Math.abs(actual[i]! - e) / (relative ? Math.max(Math.abs(e), Number.MIN_VALUE) : 1);
    if (Number.isNaN(d)) return Infinity;
    worst = Math.max(worst, d);
  }
  return worst;
}

const cases = [...parityCases(), ...stackedCases()];
const byName = (name: string): ParityCase => cases.find((c) => c.name === name)!;

/** Runs the exported model on a frame: the probabilities (n × k) or values. */
async function scoreOnnx(artifact: ModelArtifact, frame: Frame): Promise<{ values: Float64Array; labels?: string[] }> {
  const session = await ort.InferenceSession.create(exportOnnx(artifact));
  const result = await session.run(feeds(artifact, frame));
  if (artifact.task === 'regression') return { values: result.variable!.data as Float64Array };
  return { values: result.probabilities!.data as Float64Array, labels: result.label!.data as string[] };
}

/** predictFrame's output in the ONNX layout: binary models get both class columns. */
function engineOutputs(artifact: ModelArtifact, frame: Frame): Float64Array {
  const p = predictFrame(artifact, frame);
  if (artifact.task === 'regression' || outputsPerRow(artifact.classes) > 1) return p;
  const out = new Float64Array(p.length * 2);
  p.forEach((v, i) => {
    out[2 * i] = 1 - v;
    out[2 * i + 1] = v;
  });
  return out;
}

/** The double just below x. */
function below(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  view.setBigInt64(0, view.getBigInt64(0) + (x > 0 ? -1n : 1n));
  return view.getFloat64(0);
}

/** Rows of `frame` (cycled) with one numeric column overwritten per row. */
function withValues(frame: Frame, edits: { column: string; value: number }[]): Frame {
  const rows = frame.take(Int32Array.from(edits, (_, i) => i % frame.nRows));
  const columns = rows.names.map((name): Column => {
    const column = rows.column(name);
    if (column.kind !== 'number') return column;
    const values = Float64Array.from(column.values);
    edits.forEach((edit, i) => {
      if (edit.column === name) values[i] = edit.value;
    });
    return { kind: 'number', name, values };
  });
  return Frame.fromColumns(columns);
}

function numericSplits(
  trees: GbdtTree[],
  names: string[],
  categorical: Set<string>,
): { column: string; value: number }[] {
  const splits: { column: string; value: number }[] = [];
  for (const tree of trees) {
    tree.feature.forEach((f, node) => {
      const column = names[f];
      if (f >= 0 && column !== undefined && !categorical.has(column))
        splits.push({ column, value: tree.threshold[node]! });
    });
  }
  return splits;
}

const summary: string[] = [];
afterAll(() => console.info(`ONNX parity, max differences:\n${summary.join('\n')}`));

describe(`ONNX export (ai.onnx ${ONNX_OPSET}, ai.onnx.ml ${ONNX_ML_OPSET}) run by onnxruntime-node`, () => {
  it('covers every model kind', () => {
    const kinds = new Set(cases.map((c) => c.artifact.model.kind));
    expect([...kinds].sort()).toEqual(['forest', 'gbdt', 'glm', 'stacked']);
    expect(cases.some((c) => c.artifact.preprocessing.targetEncoding !== undefined)).toBe(true);
  });

  it('scores rows that reach the edge paths: category splits, missing numbers, missing and unseen categories', () => {
    const { artifact, frame } = byName('gbdt-binary');
    if (artifact.model.kind !== 'gbdt') throw new Error('not a GBDT');
    const categorySplits = artifact.model.trees.flatMap((t) => t.leftCategories.filter((l) => l.length > 0));
    expect(categorySplits.length).toBeGreaterThan(10);
    let missingNumbers = 0;
    let missingCategories = 0;
    let unseen = 0;
    for (const spec of artifact.features) {
      const column = frame.column(spec.name);
      if (column.kind === 'number') missingNumbers += column.values.filter((v) => Number.isNaN(v)).length;
      else if (spec.type === 'category') {
        missingCategories += column.codes.filter((c) => c < 0).length;
        unseen += column.codes.filter((c) => c >= 0 && !spec.categories.includes(column.dictionary[c]!)).length;
      }
    }
    expect(missingNumbers).toBeGreaterThan(100);
    expect(missingCategories).toBeGreaterThan(100);
    expect(unseen).toBeGreaterThan(100);
  });

  it.each(cases)('$name: matches predictFrame on 10,000 rows to 1e-5', async ({ name, artifact, frame }) => {
    expect(frame.nRows).toBe(PARITY_ROWS);
    const session = await ort.InferenceSession.create(exportOnnx(artifact));
    const result = await session.run(feeds(artifact, frame));
    if (artifact.task === 'regression') {
      const variable = result.variable!;
      expect(variable.dims).toEqual([PARITY_ROWS, 1]);
      const worst = maxDifference(variable.data as Float64Array, predictFrame(artifact, frame), true);
      summary.push(`  ${name}: relative ${worst.toExponential(2)}`);
      expect(worst, `max relative difference ${worst}`).toBeLessThanOrEqual(1e-5);
      return;
    }
    const classes = artifact.classes!;
    const probabilities = result.probabilities!;
    expect(probabilities.dims).toEqual([PARITY_ROWS, classes.length]);
    const worst = maxDifference(probabilities.data as Float64Array, engineOutputs(artifact, frame), false);
    summary.push(`  ${name}: absolute ${worst.toExponential(2)}`);
    expect(worst, `max absolute difference ${worst}`).toBeLessThanOrEqual(1e-5);

    const labels = result.label!.data as string[];
    // frameRecords leaves missing values out, but predictRecords wants every feature present (null = missing).
    const names = artifact.features.map((f) => f.name);
    const records = frameRecords(frame, names).map((r) => ({
      ...Object.fromEntries(names.map((n) => [n, null])),
      ...r,
    }));
    const engineLabels = predictRecords(artifact, records).map((p) => ('label' in p ? p.label : ''));
    let mismatches = 0;
    for (let i = 0; i < PARITY_ROWS; i++) if (labels[i] !== engineLabels[i]) mismatches++;
    expect(mismatches, `label mismatches (first at ${labels.findIndex((l, i) => l !== engineLabels[i])})`).toBe(0);
    // Not every row the same class: the label output really varies.
    expect(new Set(labels).size).toBeGreaterThan(1);
  });
});

describe('ONNX export edge paths', () => {
  it.each(['gbdt-binary', 'gbdt-regression', 'forest-binary'])(
    '%s: rows at and just below every numeric threshold take the engine path (double splits)',
    async (name) => {
      const { artifact, frame } = byName(name);
      if (artifact.model.kind === 'stacked' || artifact.model.kind === 'glm') throw new Error('not a tree model');
      const names = artifact.preprocessing.encodings.map((e) => e.name);
      const categorical = new Set(
        artifact.preprocessing.encodings.filter((e) => e.type === 'category').map((e) => e.name),
      );
      const splits = numericSplits(artifact.model.trees, names, categorical);
      const edits = splits.flatMap((s) => [s, { column: s.column, value: below(s.value) }]);
      const rows = withValues(frame, edits);
      const expected = engineOutputs(artifact, rows);
      // The pairs really straddle the splits: many rows change prediction by one ulp of input.
      const w = expected.length / rows.nRows;
      let moved = 0;
      for (let i = 0; i < rows.nRows; i += 2) if (expected[i * w] !== expected[(i + 1) * w]) moved++;
      expect(moved).toBeGreaterThan(splits.length / 4);
      const { values } = await scoreOnnx(artifact, rows);
      const worst = maxDifference(values, expected, artifact.task === 'regression');
      expect(worst, `max difference ${worst}`).toBeLessThanOrEqual(1e-9);
    },
  );

  it.each(['glm-binomial', 'gbdt-binary', 'forest-regression'])('%s: ±Infinity counts as missing', async (name) => {
    const { artifact, frame } = byName(name);
    const numeric = artifact.features.filter((f) => f.type === 'number').map((f) => f.name);
    expect(numeric.length).toBeGreaterThan(0);
    const edits = Array.from({ length: 600 }, (_, i) => ({
      column: numeric[i % numeric.length]!,
      value: [Infinity, -Infinity, NaN][i % 3]!,
    }));
    const rows = withValues(frame, edits);
    const { values } = await scoreOnnx(artifact, rows);
    const worst = maxDifference(values, engineOutputs(artifact, rows), artifact.task === 'regression');
    expect(worst, `max difference ${worst}`).toBeLessThanOrEqual(1e-9);
  });

  it.each(['glm-binomial', 'gbdt-binary', 'gbdt-target-encoded'])(
    '%s: boolean spellings in another case find their category, as in the engine',
    async (name) => {
      const { artifact, frame } = byName(name);
      const respell: Record<string, string> = { Yes: 'yES', No: 'no', '1': '1', '0': '0' };
      let changed = 0;
      const columns = frame.names.map((n): Column => {
        const column = frame.column(n);
        if (column.kind === 'number') return column;
        const dictionary = column.dictionary.map((d) => respell[d] ?? d);
        changed += dictionary.filter((d, i) => d !== column.dictionary[i]).length;
        return { ...column, dictionary };
      });
      expect(changed).toBeGreaterThan(0);
      const rows = Frame.fromColumns(columns);
      const expected = engineOutputs(artifact, rows);
      // The respelled values still score as their categories (else they would fall to missing).
      expect(maxDifference(expected, engineOutputs(artifact, frame), false)).toBe(0);
      const { values } = await scoreOnnx(artifact, rows);
      const worst = maxDifference(values, expected, false);
      expect(worst, `max difference ${worst}`).toBeLessThanOrEqual(1e-9);
    },
  );

  it('exports edited trees: empty left sets, single-leaf trees, a model of leaves only', async () => {
    const { artifact, frame } = byName('gbdt-binary');
    const copy = JSON.parse(JSON.stringify(artifact)) as GbdtArtifact;
    let emptied = 0;
    for (const tree of copy.model.trees) {
      tree.leftCategories.forEach((left, node) => {
        if (left.length > 0 && emptied < 5) {
          tree.leftCategories[node] = [];
          emptied++;
        }
      });
    }
    expect(emptied).toBe(5);
    const leaf = (value: number): GbdtTree => ({
      feature: [-1],
      threshold: [0],
      leftCategories: [[]],
      defaultLeft: [false],
      left: [-1],
      right: [-1],
      value: [value],
      cover: [1],
    });
    copy.model.trees.push(leaf(0.25));
    const leaves = { ...copy, model: { ...copy.model, trees: [leaf(0.5), leaf(-0.125)] } };
    for (const edited of [copy, leaves]) {
      const expected = engineOutputs(edited, frame);
      expect(maxDifference(expected, engineOutputs(artifact, frame), false)).toBeGreaterThan(1e-3);
      const { values } = await scoreOnnx(edited, frame);
      const worst = maxDifference(values, expected, false);
      expect(worst, `max difference ${worst}`).toBeLessThanOrEqual(1e-9);
    }
  });

  it.each(['gbdt-multiclass', 'forest-multiclass', 'stacked-binary', 'glm-gaussian'])(
    '%s: scores single rows as it scores batches (onnxruntime takes other paths for one row)',
    async (name) => {
      const { artifact, frame } = byName(name);
      const session = await ort.InferenceSession.create(exportOnnx(artifact));
      const rows = frame.take(Int32Array.from({ length: 40 }, (_, i) => i * 250 + 3));
      const expected = engineOutputs(artifact, rows);
      const w = expected.length / rows.nRows;
      for (let i = 0; i < rows.nRows; i++) {
        const result = await session.run(feeds(artifact, rows.take(Int32Array.of(i))));
        const out = (artifact.task === 'regression' ? result.variable! : result.probabilities!).data as Float64Array;
        expect(out).toHaveLength(w);
        const worst = maxDifference(out, expected.subarray(i * w, (i + 1) * w), artifact.task === 'regression');
        expect(worst, `row ${i}: max difference ${worst}`).toBeLessThanOrEqual(1e-12);
      }
    },
  );

  it('names inputs after the features and outputs as skl2onnx does', async () => {
    for (const name of ['glm-multinomial', 'gbdt-regression']) {
      const { artifact } = byName(name);
      const session = await ort.InferenceSession.create(exportOnnx(artifact));
      expect([...session.inputNames]).toEqual(artifact.features.map((f) => f.name));
      expect([...session.outputNames]).toEqual(
        artifact.task === 'regression' ? ['variable'] : ['label', 'probabilities'],
      );
    }
  });

  it('refuses a feature named like an output', () => {
    const { artifact } = byName('gbdt-regression');
    const renamed = { ...artifact, features: [...artifact.features, { name: 'variable', type: 'number' as const }] };
    expect(() => exportOnnx(renamed)).toThrow(/clashes/);
  });
});
