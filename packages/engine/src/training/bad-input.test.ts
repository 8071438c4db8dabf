// Bad training data is refused with a coded EngineError, or handled in a documented way, by every trainer.
import { describe, expect, it } from 'vitest';
import { parseArtifact } from '../artifact/parse-artifact.js';
import { predictFrame } from '../artifact/predict-frame.js';
import { EngineError } from '../errors.js';
import { trainForestModel } from '../forest/train-forest-model.js';
import type { Column } from '../frame/column.js';
import { Frame } from '../frame/frame.js';
import { trainGbdtModel } from '../gbdt/train-gbdt-model.js';
import { trainGlmModel, type TrainOptions, type TrainResult } from '../glm/train-glm-model.js';
import { seededRandom } from '../validation/random.js';

type Trainer = (frame: Frame, options: TrainOptions<{ testFraction?: number }>) => TrainResult;

const TRAINERS: [string, Trainer][] = [
  ['glm', (frame, options) => trainGlmModel(frame, options)],
  ['gbdt', (frame, options) => trainGbdtModel(frame, { ...options, params: { nTrees: 5, ...options.params } })],
  ['forest', (frame, options) => trainForestModel(frame, { ...options, params: { nTrees: 5, ...options.params } })],
];

const num = (name: string, values: ArrayLike<number>): Column => ({
  kind: 'number',
  name,
  values: Float64Array.from(values),
});
const cat = (name: string, codes: ArrayLike<number>, dictionary: string[]): Column => ({
  kind: 'category',
  name,
  codes: Int32Array.from(codes),
  dictionary,
});

const n = 200;
const random = seededRandom(5);
const x = Array.from({ length: n }, () => random() * 4);
const noisy = x.map((v) => 2 * v + random());
const labels = x.map((v) => (v + random() > 2.5 ? 1 : 0));
const colour = Array.from({ length: n }, (_, i) => i % 3);

/** A clean frame: numbers x, a category colour, and a regression target y and binary target label. */
function frame(overrides: Column[] = []): Frame {
  const columns = new Map<string, Column>([
    ['x', num('x', x)],
    ['colour', cat('colour', colour, ['red', 'green', 'blue'])],
    ['y', num('y', noisy)],
    ['label', cat('label', labels, ['no', 'yes'])],
  ]);
  for (const column of overrides) columns.set(column.name, column);
  return Frame.fromColumns([...columns.values()]);
}

const regression = { target: 'y', task: 'regression' as const, features: ['x', 'colour'] };
const classification = { target: 'label', task: 'classification' as const, features: ['x', 'colour'] };

function failure(run: () => unknown): EngineError {
  try {
    run();
  } catch (error) {
    if (error instanceof EngineError) return error;
    throw error;
  }
  throw new Error('expected an EngineError');
}

describe.each(TRAINERS)('%s: bad input', (_, train) => {
  it('refuses a frame without rows (empty_frame)', () => {
    const empty = Frame.fromColumns([num('x', []), num('y', [])]);
    const error = failure(() => train(empty, { target: 'y', task: 'regression' }));
    expect(error.code).toBe('empty_frame');
    expect(error.message).toMatch(/no rows/);
  });

  it('drops rows whose target is missing, and refuses when none is left', () => {
    const y = Float64Array.from(noisy);
    for (let i = 0; i < n; i += 10) y[i] = Number.NaN;
    const result = train(frame([num('y', y)]), regression);
    expect(result.trainRows + result.testRows).toBe(n - n / 10);
    const none = frame([
      num(
        'y',
        noisy.map(() => Number.NaN),
      ),
    ]);
    expect(failure(() => train(none, regression)).code).toBe('empty_frame');
  });

  it('refuses an infinite target, naming the column and the first row (infinite_target)', () => {
    for (const bad of [Infinity, -Infinity]) {
      const y = Float64Array.from(noisy);
      y[7] = bad;
      y[9] = bad;
      const error = failure(() => train(frame([num('y', y)]), regression));
      expect(error.code).toBe('infinite_target');
      expect(error.message).toContain('"y"');
      expect(error.details).toEqual({ column: 'y', row: 7, count: 2 });
    }
    const classes = Float64Array.from(labels);
    classes[3] = Infinity;
    const error = failure(() => train(frame([num('label', classes)]), classification));
    expect(error.code).toBe('infinite_target');
  });

  it('scores an infinite feature value as missing, so the model stays finite', () => {
    const values = Float64Array.from(x);
    values[0] = Infinity;
    values[1] = -Infinity;
    const dirty = frame([num('x', values)]);
    const { artifact } = train(dirty, regression);
    expect(parseArtifact(JSON.parse(JSON.stringify(artifact)))).toEqual(artifact);
    const predictions = predictFrame(artifact, dirty);
    expect(predictions.every((p) => Number.isFinite(p))).toBe(true);
    const missing = Float64Array.from(values);
    missing[0] = Number.NaN;
    missing[1] = Number.NaN;
    expect(predictFrame(artifact, frame([num('x', missing)]))).toEqual(predictions);
  });

  it('refuses a constant target: one class (single_class_target) or one value (constant_target)', () => {
    const one = frame([
      cat(
        'label',
        labels.map(() => 0),
        ['no', 'yes'],
      ),
    ]);
    const single = failure(() => train(one, classification));
    expect(single.code).toBe('single_class_target');
    expect(single.message).toContain('"label"');
    const flat = failure(() =>
      train(
        frame([
          num(
            'y',
            noisy.map(() => 3.5),
          ),
        ]),
        regression,
      ),
    );
    expect(flat.code).toBe('constant_target');
    expect(flat.message).toContain('"y"');
    expect(flat.details).toEqual({ column: 'y', value: 3.5 });
  });

  it('refuses a class that only the holdout rows have: the model could never predict it (unseen_class)', () => {
    // One "maybe" row: stratified by class, round(1 * 0.5) = 1 of it goes to the holdout.
    const three = labels.map((l, i) => (i === 17 ? 2 : l));
    const rare = frame([cat('label', three, ['no', 'yes', 'maybe'])]);
    const error = failure(() => train(rare, { ...classification, params: { testFraction: 0.5 } }));
    expect(error.code).toBe('unseen_class');
    expect(error.details).toEqual({ column: 'label', classes: ['maybe'] });
    // The same data with the row on the training side trains.
    expect(train(rare, { ...classification, params: { testFraction: 0.2 } }).artifact.classes).toContain('maybe');
  });

  it('refuses a binary target whose training rows hold one class (single_class_target)', () => {
    const lonely = labels.map((_, i) => (i === 17 ? 1 : 0));
    const error = failure(() =>
      train(frame([cat('label', lonely, ['no', 'yes'])]), { ...classification, params: { testFraction: 0.5 } }),
    );
    expect(error.code).toBe('single_class_target');
    expect(error.message).toMatch(/training rows/);
  });

  it('drops an all-missing feature with its reason, and refuses when no feature is left (no_usable_features)', () => {
    const blank = num(
      'blank',
      x.map(() => Number.NaN),
    );
    const unnamed = cat(
      'unnamed',
      x.map(() => -1),
      ['a'],
    );
    const infinite = num(
      'infinite',
      x.map(() => Infinity),
    );
    const data = frame([blank, unnamed, infinite]);
    const { artifact } = train(data, { ...regression, features: ['x', 'blank', 'unnamed', 'infinite'] });
    expect(artifact.features.map((f) => f.name)).toEqual(['x']);
    expect(artifact.metadata.droppedColumns).toEqual(
      ['blank', 'unnamed', 'infinite'].map((name) => ({ name, reason: 'every training value is missing' })),
    );
    const error = failure(() => train(data, { ...regression, features: ['blank', 'unnamed'] }));
    expect(error.code).toBe('no_usable_features');
    expect(error.message).toContain('"blank" (every training value is missing)');
  });
});
