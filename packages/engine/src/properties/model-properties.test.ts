// Property tests (fast-check) of every trainer on small generated frames: numbers and categories with missing
// values, binary, multiclass and numeric targets. That the thread count never changes a tree model is checked with
// real helper threads in packages/server/src/jobs/histogram-threads.test.ts.
import fc from 'fast-check';
import { describe, it, expect } from 'vitest';
import type { Column } from '../frame/column.js';
import { Frame } from '../frame/frame.js';
import type { ModelArtifact } from '../artifact/model-artifact.js';
import { parseArtifact } from '../artifact/parse-artifact.js';
import { predictFrame } from '../artifact/predict-frame.js';
import { trainForestModel } from '../forest/train-forest-model.js';
import { trainGbdtModel } from '../gbdt/train-gbdt-model.js';
import { trainGlmModel, type TrainOptions } from '../glm/train-glm-model.js';
import { seededRandom, shuffle } from '../validation/random.js';

type Task = 'binary' | 'multiclass' | 'regression';
type Train = (frame: Frame, options: TrainOptions<object>) => { artifact: ModelArtifact };

const LABELS = ['ant', 'bee', 'cat'];
const CATEGORIES = ['p', 'q', 'r', 's'];

const row: fc.Arbitrary<Row> = fc.record({
  x: fc.option(fc.double({ min: -1000, max: 1000, noNaN: true }), { nil: null }),
  n: fc.option(fc.integer({ min: 0, max: 5 }), { nil: null }),
  c: fc.option(fc.constantFrom(...CATEGORIES), { nil: null }),
  label: fc.integer({ min: 0, max: 2 }),
  y: fc.double({ min: -50, max: 50, noNaN: true }),
});

type Row = { x: number | null; n: number | null; c: string | null; label: number; y: number };

/** A frame of 12-40 rows; the first rows carry every class so a classification target has at least two. */
function frameOf(rows: Row[], task: Task): Frame {
  const k = task === 'binary' ? 2 : 3;
  const category = (values: (string | null)[], name: string): Column => ({
    kind: 'category',
    name,
    codes: Int32Array.from(values, (v) => (v === null ? -1 : CATEGORIES.indexOf(v))),
    dictionary: CATEGORIES,
  });
  const target: Column =
    task === 'regression'
      ? { kind: 'number', name: 'target', values: Float64Array.from(rows, (r) => r.y) }
      : {
          kind: 'category',
          name: 'target',
          codes: Int32Array.from(rows, (r, i) => (i < k ? i : r.label % k)),
          dictionary: LABELS.slice(0, k),
        };
  return Frame.fromColumns([
    { kind: 'number', name: 'x', values: Float64Array.from(rows, (r) => r.x ?? NaN) },
    { kind: 'number', name: 'n', values: Float64Array.from(rows, (r) => r.n ?? NaN) },
    category(
      rows.map((r) => r.c),
      'c',
    ),
    target,
  ]);
}

const MODELS: { name: string; train: Train; params: object; tasks: Task[] }[] = [
  { name: 'glm', train: trainGlmModel as Train, params: {}, tasks: ['binary', 'multiclass', 'regression'] },
  {
    name: 'gbdt',
    train: trainGbdtModel as Train,
    params: { nTrees: 5, maxDepth: 3 },
    tasks: ['binary', 'multiclass', 'regression'],
  },
  {
    name: 'forest',
    train: trainForestModel as Train,
    params: { nTrees: 5 },
    tasks: ['binary', 'multiclass', 'regression'],
  },
  {
    name: 'extra trees',
    train: trainForestModel as Train,
    params: { nTrees: 5, extraTrees: true, maxFeatures: 1 },
    tasks: ['binary', 'multiclass', 'regression'],
  },
];

const CASES = MODELS.flatMap((model) => model.tasks.map((task) => ({ ...model, task })));

describe('model properties', () => {
  it.each(CASES)('$name, $task: finite, deterministic, stable through JSON and under row shuffles', (model) => {
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 12, maxLength: 40 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        (rows, seed, shuffleSeed) => {
          const frame = frameOf(rows, model.task);
          const options = {
            target: 'target',
            task: model.task === 'regression' ? ('regression' as const) : ('classification' as const),
            params: { ...model.params, seed },
          };
          const { artifact } = model.train(frame, options);
          const predictions = predictFrame(artifact, frame);
          expect(predictions.every((p) => Number.isFinite(p))).toBe(true);

          // The same seed gives the same model, byte for byte.
          expect(JSON.stringify(model.train(frame, options).artifact)).toBe(JSON.stringify(artifact));

          // Saved and re-loaded: bit-identical predictions (toEqual compares numbers with Object.is).
          const reloaded = parseArtifact(JSON.parse(JSON.stringify(artifact)));
          expect(Array.from(predictFrame(reloaded, frame))).toEqual(Array.from(predictions));

          // Shuffled rows score to the same predictions, shuffled.
          const order = Int32Array.from({ length: frame.nRows }, (_, i) => i);
          shuffle(order, seededRandom(shuffleSeed));
          const shuffled = predictFrame(artifact, frame.take(order));
          const k = predictions.length / frame.nRows;
          const expected = Array.from(order).flatMap((i) => Array.from(predictions.subarray(i * k, i * k + k)));
          expect(Array.from(shuffled)).toEqual(expected);
        },
      ),
      { numRuns: 30, seed: 20261125 },
    );
  });
});
