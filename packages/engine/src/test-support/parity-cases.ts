// Test-only: one trained model of every kind the engine makes, each with 10,000 rows to score, for the export parity
// tests (JS, Java, SQL, ONNX). Rows come from ../shared/data; where a data set has fewer than 10,000 rows its rows are
// repeated with missing values and unseen categories injected, so the exports' edge paths are exercised too.
import { readFileSync } from 'node:fs';
import type { Column } from '../frame/column.js';
import { Frame } from '../frame/frame.js';
import type { FeatureRecord } from '../artifact/feature-record.js';
import type { ModelArtifact } from '../artifact/model-artifact.js';
import { trainGlmModel } from '../glm/train-glm-model.js';
import { trainGbdtModel } from '../gbdt/train-gbdt-model.js';
import { trainForestModel } from '../forest/train-forest-model.js';
import { crossValidate } from '../automl/cross-validate.js';
import { trainStackedEnsemble } from '../automl/stacked-ensemble.js';
import { csvFrame } from './csv-frame.js';

export const PARITY_ROWS = 10_000;
const SHARED = new URL('../../../../../shared/data/', import.meta.url);

export interface ParityCase {
  name: string;
  artifact: ModelArtifact;
  /** The rows to score (features and target), PARITY_ROWS of them. */
  frame: Frame;
}

const frames = new Map<string, Frame>();

/** A shared data set, read once per test file. */
export function sharedFrame(file: 'wa_churn.csv' | 'diamonds.csv' | 'credit_data.csv' | 'ames.csv'): Frame {
  let frame = frames.get(file);
  if (frame === undefined) {
    frame = csvFrame(readFileSync(new URL(file, SHARED), 'utf8'));
    frames.set(file, frame);
  }
  return frame;
}

/**
 * The first `n` rows of `frame`; past its end, rows are taken again from the start with every 7th value missing and
 * every 11th category replaced by one the model never saw.
 */
export function scoringRows(frame: Frame, n = PARITY_ROWS): Frame {
  const pick = (i: number) => i % frame.nRows;
  const columns = frame.names.map((name, j): Column => {
    const column = frame.column(name);
    const damaged = (i: number, every: number) => i >= frame.nRows && (i + j) % every === 0;
    if (column.kind === 'number') {
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) values[i] = damaged(i, 7) ? NaN : column.values[pick(i)]!;
      return { kind: 'number', name, values };
    }
    const dictionary = [...column.dictionary, 'never-seen-in-training'];
    const unseen = dictionary.length - 1;
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      codes[i] = damaged(i, 7) ? -1 : damaged(i, 11) ? unseen : column.codes[pick(i)]!;
    }
    return { kind: 'category', name, codes, dictionary };
  });
  return Frame.fromColumns(columns);
}

/** The frame's rows as JSON records (missing values as null, as the engine's record schema wants), in row order. */
export function frameRecords(frame: Frame, features: string[]): FeatureRecord[] {
  const records: FeatureRecord[] = Array.from({ length: frame.nRows }, () => ({}));
  for (const name of features) {
    const column = frame.column(name);
    for (let i = 0; i < frame.nRows; i++) {
      if (column.kind === 'number') {
        const v = column.values[i]!;
        records[i]![name] = Number.isFinite(v) ? v : null;
      } else {
        const code = column.codes[i]!;
        records[i]![name] = code >= 0 ? column.dictionary[code]! : null;
      }
    }
  }
  return records;
}

const TREES = { nTrees: 60, maxDepth: 6 };

/** Every model kind of the engine, trained on shared data (a few seconds in all). */
export function parityCases(): ParityCase[] {
  const churn = sharedFrame('wa_churn.csv');
  const diamonds = sharedFrame('diamonds.csv');
  const credit = sharedFrame('credit_data.csv');
  const churnRows = scoringRows(churn);
  const diamondRows = scoringRows(diamonds);
  const creditRows = scoringRows(credit);
  const binary = { target: 'churn', task: 'classification' } as const;
  const regression = { target: 'price', task: 'regression' } as const;
  const multiclass = { target: 'cut', task: 'classification' } as const;
  return [
    { name: 'glm-binomial', artifact: trainGlmModel(churn, binary).artifact, frame: churnRows },
    { name: 'glm-gaussian', artifact: trainGlmModel(diamonds, regression).artifact, frame: diamondRows },
    { name: 'glm-multinomial', artifact: trainGlmModel(diamonds, multiclass).artifact, frame: diamondRows },
    { name: 'gbdt-binary', artifact: trainGbdtModel(churn, { ...binary, params: TREES }).artifact, frame: churnRows },
    {
      name: 'gbdt-multiclass',
      artifact: trainGbdtModel(diamonds, { ...multiclass, params: { nTrees: 20, maxDepth: 5 } }).artifact,
      frame: diamondRows,
    },
    {
      name: 'gbdt-regression',
      artifact: trainGbdtModel(diamonds, { ...regression, params: TREES }).artifact,
      frame: diamondRows,
    },
    {
      name: 'gbdt-poisson',
      artifact: trainGbdtModel(diamonds, { ...regression, params: { ...TREES, objective: 'poisson' } }).artifact,
      frame: diamondRows,
    },
    {
      name: 'forest-binary',
      artifact: trainForestModel(credit, {
        target: 'Status',
        task: 'classification',
        params: { nTrees: 30, maxDepth: 8 },
      }).artifact,
      frame: creditRows,
    },
    {
      name: 'forest-regression',
      artifact: trainForestModel(diamonds, { ...regression, params: { nTrees: 20, maxDepth: 8 } }).artifact,
      frame: diamondRows,
    },
    {
      name: 'forest-multiclass',
      artifact: trainForestModel(diamonds, { ...multiclass, params: { nTrees: 15, maxDepth: 8 } }).artifact,
      frame: diamondRows,
    },
    {
      name: 'gbdt-target-encoded',
      artifact: trainGbdtModel(churn, { ...binary, params: { ...TREES, categoricalEncoding: 'target' } }).artifact,
      frame: churnRows,
    },
  ];
}

/** Stacked ensembles over the first 1500 rows (binary with a target-encoded base, multiclass, regression). */
export function stackedCases(): ParityCase[] {
  const first = (frame: Frame) => frame.take(Int32Array.from({ length: 1500 }, (_, i) => i));
  const churn = first(sharedFrame('wa_churn.csv'));
  const diamonds = first(sharedFrame('diamonds.csv'));
  const stack = (frame: Frame, options: { target: string; task: 'classification' | 'regression' }, kinds: string[]) => {
    const cvs = kinds.map((kind) => {
      if (kind === 'glm') return crossValidate(frame, trainGlmModel, options, { k: 3, seed: 1 });
      if (kind === 'gbdt-te') {
        const params = { nTrees: 20, maxDepth: 4, categoricalEncoding: 'target' as const };
        return crossValidate(frame, trainGbdtModel, { ...options, params }, { k: 3, seed: 1 });
      }
      if (kind === 'gbdt') {
        return crossValidate(frame, trainGbdtModel, { ...options, params: { nTrees: 15, maxDepth: 4 } }, { k: 3 });
      }
      return crossValidate(frame, trainForestModel, { ...options, params: { nTrees: 10, maxDepth: 6 } }, { k: 3 });
    });
    const bases = cvs.map((cv) => ({ artifact: cv.artifact, oof: cv }));
    return trainStackedEnsemble(frame, bases, { ...options, nonNegative: false });
  };
  return [
    {
      name: 'stacked-binary',
      artifact: stack(churn, { target: 'churn', task: 'classification' }, ['glm', 'gbdt-te', 'forest']),
      frame: scoringRows(sharedFrame('wa_churn.csv')),
    },
    {
      name: 'stacked-multiclass',
      artifact: stack(diamonds, { target: 'cut', task: 'classification' }, ['glm', 'gbdt']),
      frame: scoringRows(sharedFrame('diamonds.csv')),
    },
    {
      name: 'stacked-regression',
      artifact: stack(diamonds, { target: 'price', task: 'regression' }, ['glm', 'forest']),
      frame: scoringRows(sharedFrame('diamonds.csv')),
    },
  ];
}
