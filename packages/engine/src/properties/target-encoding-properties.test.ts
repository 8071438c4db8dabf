// Property tests (fast-check) of target-encoded models from every trainer: finite, deterministic, stable through
// JSON, and scored bit-identically by predictFrame and predictRecords, unseen and missing categories included.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ModelArtifact } from '../artifact/model-artifact.js';
import { parseArtifact } from '../artifact/parse-artifact.js';
import { predictFrame } from '../artifact/predict-frame.js';
import { predictRecords } from '../artifact/predict-records.js';
import { trainForestModel } from '../forest/train-forest-model.js';
import { Frame } from '../frame/frame.js';
import { trainGbdtModel } from '../gbdt/train-gbdt-model.js';
import { trainGlmModel, type TrainOptions } from '../glm/train-glm-model.js';

type Task = 'binary' | 'multiclass' | 'regression';
type Train = (frame: Frame, options: TrainOptions<object>) => { artifact: ModelArtifact };

const LABELS = ['ant', 'bee', 'cat'];
/** The last category never occurs in training, so scoring meets it as unseen. */
const CATEGORIES = ['p', 'q', 'r', 's', 'unseen'];

type Row = { x: number | null; c: string | null; label: number; y: number };

const row: fc.Arbitrary<Row> = fc.record({
  x: fc.option(fc.double({ min: -100, max: 100, noNaN: true }), { nil: null }),
  c: fc.option(fc.constantFrom(...CATEGORIES.slice(0, 4)), { nil: null }),
  label: fc.integer({ min: 0, max: 2 }),
  // Integers keep a constant target (refused by design) out of the generated data: row i adds i.
  y: fc.integer({ min: -20, max: 20 }),
});

/** 12-40 rows; the first rows carry every class so the training rows hold each of them. */
function frameOf(rows: Row[], task: Task): Frame {
  const k = task === 'binary' ? 2 : 3;
  return Frame.fromColumns([
    { kind: 'number', name: 'x', values: Float64Array.from(rows, (r) => r.x ?? Number.NaN) },
    {
      kind: 'category',
      name: 'c',
      codes: Int32Array.from(rows, (r) => (r.c === null ? -1 : CATEGORIES.indexOf(r.c))),
      dictionary: CATEGORIES,
    },
    task === 'regression'
      ? { kind: 'number', name: 'target', values: Float64Array.from(rows, (r, i) => r.y + i) }
      : {
          kind: 'category',
          name: 'target',
          codes: Int32Array.from(rows, (r, i) => (i < 2 * k ? i % k : r.label % k)),
          dictionary: LABELS.slice(0, k),
        },
  ]);
}

const MODELS: { name: string; train: Train; params: object; tasks: Task[] }[] = [
  { name: 'glm', train: trainGlmModel as Train, params: {}, tasks: ['binary', 'multiclass', 'regression'] },
  {
    name: 'gbdt',
    train: trainGbdtModel as Train,
    params: { nTrees: 4, maxDepth: 3 },
    tasks: ['binary', 'multiclass', 'regression'],
  },
  {
    name: 'forest',
    train: trainForestModel as Train,
    params: { nTrees: 4 },
    tasks: ['binary', 'multiclass', 'regression'],
  },
];

const CASES = MODELS.flatMap((model) => model.tasks.map((task) => ({ ...model, task })));

describe('target-encoded model properties', () => {
  it.each(CASES)('$name, $task: finite, deterministic, JSON-stable, frames and records agree', (model) => {
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 12, maxLength: 40 }),
        fc.integer({ min: 0, max: 1000 }),
        fc.oneof(fc.constant<'auto'>('auto'), fc.double({ min: 0, max: 50, noNaN: true })),
        fc.integer({ min: 2, max: 6 }),
        (rows, seed, targetSmoothing, targetFolds) => {
          const frame = frameOf(rows, model.task);
          const options = {
            target: 'target',
            task: model.task === 'regression' ? ('regression' as const) : ('classification' as const),
            params: { ...model.params, seed, categoricalEncoding: 'target' as const, targetSmoothing, targetFolds },
          };
          const { artifact } = model.train(frame, options);
          // Every row, and two more with an unseen and a missing category.
          const scoring = frame.take(Int32Array.from({ length: frame.nRows + 2 }, (_, i) => i % frame.nRows));
          const c = scoring.column('c');
          if (c.kind !== 'category') throw new Error('kind');
          c.codes[frame.nRows] = CATEGORIES.indexOf('unseen');
          c.codes[frame.nRows + 1] = -1;
          const predictions = predictFrame(artifact, scoring);
          expect(predictions.every((p) => Number.isFinite(p))).toBe(true);
          expect(JSON.stringify(model.train(frame, options).artifact)).toBe(JSON.stringify(artifact));
          const reloaded = parseArtifact(JSON.parse(JSON.stringify(artifact)));
          expect(Array.from(predictFrame(reloaded, scoring))).toEqual(Array.from(predictions));

          const x = scoring.column('x');
          if (x.kind !== 'number') throw new Error('kind');
          const records = Array.from({ length: scoring.nRows }, (_, i) => ({
            x: Number.isNaN(x.values[i]!) ? null : x.values[i]!,
            c: c.codes[i]! < 0 ? null : CATEGORIES[c.codes[i]!]!,
          }));
          const fromRecords = predictRecords(reloaded, records).flatMap((p) => {
            if ('value' in p) return [p.value];
            const classes = artifact.classes ?? [];
            return classes.length === 2 ? [p.probabilities[classes[1]!]!] : classes.map((k) => p.probabilities[k]!);
          });
          expect(fromRecords).toEqual(Array.from(predictions));
        },
      ),
      { numRuns: 20, seed: 20261125 },
    );
  });
});
