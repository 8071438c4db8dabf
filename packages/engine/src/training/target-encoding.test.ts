import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ModelArtifact, TargetEncoding } from '../artifact/model-artifact.js';
import { parseArtifact } from '../artifact/parse-artifact.js';
import { predictFrame } from '../artifact/predict-frame.js';
import { predictRecords, type Prediction } from '../artifact/predict-records.js';
import { validateRecords } from '../artifact/validate-records.js';
import { EngineError } from '../errors.js';
import { trainForestModel } from '../forest/train-forest-model.js';
import type { Column } from '../frame/column.js';
import { Frame } from '../frame/frame.js';
import { trainGbdtModel } from '../gbdt/train-gbdt-model.js';
import { trainGlmModel, type TrainResult } from '../glm/train-glm-model.js';
import { rocAuc } from '../metrics/roc-auc.js';
import { targetEncodeFrame, targetEncodeRows } from '../preprocess/apply-target-encoding.js';
import { brokenCopy, rejectedPath } from '../test-support/artifact-edits.js';
import { expectClose } from '../test-support/expect-close.js';
import type { LooseJson } from '../test-support/loose-json.js';
import { seededRandom } from '../validation/random.js';
import { prepareTraining } from './prepare-training.js';

interface Fixture {
  categories: string[];
  rows: (string | null)[];
  y: Record<'regression' | 'binary' | 'multiclass', number[]>;
  cases: {
    target: 'regression' | 'binary' | 'multiclass';
    smoothing: number | 'auto';
    outputs: { prior: number; values: number[] }[];
  }[];
}

// Reference values computed independently with pandas (scripts/reference/make_target_encoding_fixtures.py).
const fixture = JSON.parse(
  readFileSync(new URL('../preprocess/__fixtures__/target-encoding.json', import.meta.url), 'utf8'),
) as Fixture;

const num = (name: string, values: ArrayLike<number>): Column => ({
  kind: 'number',
  name,
  values: Float64Array.from(values),
});
const cat = (name: string, values: (string | null)[]): Column => {
  const dictionary = [...new Set(values.filter((v): v is string => v !== null))];
  return {
    kind: 'category',
    name,
    codes: Int32Array.from(values, (v) => (v === null ? -1 : dictionary.indexOf(v))),
    dictionary,
  };
};

const random = seededRandom(3);
const fixtureFrame = Frame.fromColumns([
  cat('city', fixture.rows),
  num(
    'x',
    fixture.rows.map(() => random()),
  ),
  num('price', fixture.y.regression),
  num('bought', fixture.y.binary),
  num('grade', fixture.y.multiclass),
]);
type TargetKind = 'regression' | 'binary' | 'multiclass';
const others = (target: string) => ['city', 'x', 'price', 'bought', 'grade'].filter((n) => n !== target);

function expected(target: TargetKind, smoothing: number | 'auto') {
  const found = fixture.cases.find((c) => c.target === target && c.smoothing === smoothing);
  if (found === undefined) throw new Error('no such case');
  return found.outputs;
}

function encodingOf(artifact: ModelArtifact): TargetEncoding {
  const encoding = artifact.preprocessing.targetEncoding;
  if (encoding === undefined) throw new Error('expected a target encoding');
  return encoding;
}

function records(frame: Frame, names: string[]) {
  return Array.from({ length: frame.nRows }, (_, i) =>
    Object.fromEntries(
      names.map((name) => {
        const column = frame.column(name);
        if (column.kind === 'number') return [name, Number.isNaN(column.values[i]!) ? null : column.values[i]!];
        const code = column.codes[i]!;
        return [name, code < 0 ? null : column.dictionary[code]!];
      }),
    ),
  );
}

/** predictRecords' outputs laid out like predictFrame's. */
function flatten(predictions: Prediction[], artifact: ModelArtifact): number[] {
  return predictions.flatMap((p) => {
    if ('value' in p) return [p.value];
    const classes = artifact.classes ?? [];
    return classes.length === 2 ? [p.probabilities[classes[1]!]!] : classes.map((c) => p.probabilities[c]!);
  });
}

describe('target encoding in training', () => {
  const runs: [string, () => TrainResult, TargetKind, number | 'auto'][] = [
    [
      'GLM, regression, auto smoothing',
      () =>
        trainGlmModel(fixtureFrame, {
          target: 'price',
          task: 'regression',
          features: ['city', 'x'],
          params: { categoricalEncoding: 'target', testFraction: 0 },
        }),
      'regression',
      'auto',
    ],
    [
      'GBDT, binary, m = 10',
      () =>
        trainGbdtModel(fixtureFrame, {
          target: 'bought',
          task: 'classification',
          features: ['city', 'x'],
          params: { categoricalEncoding: 'target', targetSmoothing: 10, testFraction: 0, nTrees: 5 },
        }),
      'binary',
      10,
    ],
    [
      'forest, three classes, m = 1',
      () =>
        trainForestModel(fixtureFrame, {
          target: 'grade',
          task: 'classification',
          features: ['city', 'x'],
          params: { categoricalEncoding: 'target', targetSmoothing: 1, testFraction: 0, nTrees: 5 },
        }),
      'multiclass',
      1,
    ],
  ];

  for (const [name, train, target, smoothing] of runs) {
    it(`${name}: stores the mapping fitted on every training row, matching the reference`, () => {
      const { artifact } = train();
      const encoding = encodingOf(artifact);
      expect(encoding.version).toBe(1);
      expect(encoding.smoothing).toBe(smoothing);
      expect(encoding.folds).toBe(5);
      const [column] = encoding.columns;
      expect(encoding.columns).toHaveLength(1);
      expect(column!.feature).toBe('city');
      // Categories sort like the feature schema; the fixture lists them in the same (sorted) order.
      expect(column!.categories).toEqual(fixture.categories);
      const reference = expected(target, smoothing);
      expect(column!.outputs).toHaveLength(reference.length);
      column!.outputs.forEach((output, o) => {
        expect(output.prior).toBeCloseTo(reference[o]!.prior, 13);
        expectClose(output.values, reference[o]!.values, 1e-12, 1e-14);
      });
      expect(column!.outputs.map((o) => o.class)).toEqual(
        target === 'regression' ? [undefined] : target === 'binary' ? ['1'] : ['0', '1', '2'],
      );
      // The input schema still shows a category (records are checked against it); the model reads numbers.
      expect(artifact.features).toEqual([
        { name: 'city', type: 'category', categories: fixture.categories },
        { name: 'x', type: 'number' },
      ]);
      expect(artifact.preprocessing.encodings.map((e) => [e.name, e.type])).toEqual([
        ...column!.outputs.map((o) => [o.name, 'number']),
        ['x', 'number'],
      ]);
    });

    it(`${name}: survives a JSON round trip and scores records and frames bit-identically, unseen and missing alike`, () => {
      const { artifact } = train();
      const copy = parseArtifact(JSON.parse(JSON.stringify(artifact)));
      const scoring = Frame.fromColumns([
        cat('city', ['a', 'rare', 'never-seen', null, 'e', 'b']),
        num('x', [0.1, 0.5, 0.9, 0.3, Number.NaN, 0.7]),
      ]);
      const fromFrame = predictFrame(artifact, scoring);
      expect(predictFrame(copy, scoring)).toEqual(fromFrame);
      expect(fromFrame.every((p) => Number.isFinite(p))).toBe(true);
      const predictions = predictRecords(copy, records(scoring, ['city', 'x']));
      expect(flatten(predictions, artifact)).toEqual(Array.from(fromFrame));
      // An unseen category scores exactly like a missing one: both take the prior.
      const unseen = predictRecords(artifact, [{ city: 'never-seen', x: 0.3 }]);
      expect(predictRecords(artifact, [{ city: null, x: 0.3 }])).toEqual(unseen);
      expect(validateRecords(artifact, [{ city: { nested: true }, x: 1 }])).toEqual([
        { row: 0, field: 'city', problem: 'wrong_type', expected: 'string' },
      ]);
    });
  }

  it('encodes each training row out of fold: its own target never moves its value', () => {
    const options = {
      target: 'price',
      task: 'regression' as const,
      features: ['city', 'x'],
      params: { categoricalEncoding: 'target' as const },
    };
    const split = { testFraction: 0, seed: 42 };
    const before = prepareTraining(fixtureFrame, options, split);
    const y = Float64Array.from(fixture.y.regression);
    const row = 3; // category "a", which has many rows
    expect(fixture.rows[row]).toBe('a');
    y[row] = y[row]! + 100;
    const changed = Frame.fromColumns([...others('price').map((n) => fixtureFrame.column(n)), num('price', y)]);
    const after = prepareTraining(changed, options, split);
    const oof = (p: typeof before) => {
      const column = p.trainFrame.column('city:target');
      if (column.kind !== 'number') throw new Error('kind');
      return column.values;
    };
    expect(oof(after)[row]).toBe(oof(before)[row]);
    // ... while the full-data value of its category, what scoring uses, does move.
    const full = (p: typeof before) => p.targetEncoding!.columns[0]!.outputs[0]!.values[0]!;
    expect(full(after)).toBeGreaterThan(full(before) + 0.5);
    // And out-of-fold values differ from the full-data ones the same rows would score with.
    const scored = targetEncodeFrame(before.targetEncoding!, before.trainFrame.select(['city'])).column('city:target');
    if (scored.kind !== 'number') throw new Error('kind');
    const differing = oof(before).filter((v, i) => v !== scored.values[i]).length;
    expect(differing).toBeGreaterThan(fixture.rows.length * 0.8);
  });

  it('gives a pure-noise many-valued category no holdout skill, though full-data encodings would fit it', () => {
    const noise = seededRandom(17);
    const n = 4000;
    const levels = Array.from({ length: 1100 }, (_, i) => `id${i}`);
    const frame = Frame.fromColumns([
      cat(
        'noise',
        Array.from({ length: n }, () => levels[Math.floor(noise() * levels.length)]!),
      ),
      num(
        'y',
        Array.from({ length: n }, () => (noise() < 0.5 ? 1 : 0)),
      ),
    ]);
    // auto: more than 1000 categories that repeat (about 3 training rows each) are target-encoded, not dropped.
    const result = trainGbdtModel(frame, { target: 'y', task: 'classification', params: { nTrees: 50 } });
    expect(encodingOf(result.artifact).columns.map((c) => c.feature)).toEqual(['noise']);
    expect(result.metrics.auc).toBeGreaterThan(0.45);
    expect(result.metrics.auc).toBeLessThan(0.6);
    // No better than guessing the base rate (ln 2): training on leaky encodings makes trees confidently wrong.
    expect(result.metrics.logloss).toBeLessThan(0.7);
    // The leak out-of-fold encoding avoids: full-data encodings of the training rows predict their own targets.
    const prepared = prepareTraining(frame, { target: 'y', task: 'classification' }, { testFraction: 0.2, seed: 42 });
    const column = (f: Frame) => {
      const c = f.column('noise:target');
      if (c.kind !== 'number') throw new Error('kind');
      return c.values;
    };
    const leaky = column(targetEncodeFrame(prepared.targetEncoding!, prepared.trainFrame.select(['noise'])));
    expect(rocAuc(prepared.yTrain, leaky)).toBeGreaterThan(0.75);
    expect(rocAuc(prepared.yTrain, column(prepared.trainFrame))).toBeLessThan(0.55);
  });

  it('keeps native encodings with "native", and drops an identifier column under "auto"', () => {
    const n = 4000;
    const ids = Array.from({ length: n }, (_, i) => `row${i}`);
    const groups = Array.from({ length: n }, (_, i) => `g${i % 1100}`);
    const frame = Frame.fromColumns([
      cat('id', ids),
      cat('group', groups),
      num(
        'x',
        Array.from({ length: n }, (_, i) => i % 7),
      ),
      num(
        'y',
        Array.from({ length: n }, (_, i) => (i % 1100) % 3),
      ),
    ]);
    const auto = trainForestModel(frame, { target: 'y', task: 'regression', params: { nTrees: 2 } });
    expect(encodingOf(auto.artifact).columns.map((c) => c.feature)).toEqual(['group']);
    expect(auto.artifact.metadata.droppedColumns.map((d) => d.name)).toEqual(['id']);
    const native = trainForestModel(frame, {
      target: 'y',
      task: 'regression',
      params: { nTrees: 2, categoricalEncoding: 'native' },
    });
    expect(native.artifact.preprocessing.targetEncoding).toBeUndefined();
    expect(native.artifact.metadata.droppedColumns.map((d) => d.name)).toEqual(['id', 'group']);
    // Small categories stay native under auto.
    const small = trainGbdtModel(fixtureFrame, { target: 'price', task: 'regression', features: ['city', 'x'] });
    expect(small.artifact.preprocessing.targetEncoding).toBeUndefined();
    expect(small.artifact.preprocessing.encodings[0]).toMatchObject({ name: 'city', type: 'category' });
  });

  it('early stopping watches a holdout encoded with the full-data mapping, as scoring will', () => {
    const options = {
      target: 'price',
      task: 'regression' as const,
      features: ['city', 'x'],
      params: { categoricalEncoding: 'target' as const, nTrees: 200, earlyStoppingRounds: 3, learningRate: 0.5 },
    };
    const result = trainGbdtModel(fixtureFrame, options);
    expect(result.artifact.metadata.trees).toBeLessThan(200);
    expect(result.metrics.rmse).toBeGreaterThan(0);
    // The reported holdout metric comes from predictFrame on the raw holdout rows, i.e. the same encoding.
    const prepared = prepareTraining(fixtureFrame, options, { testFraction: 0.2, seed: 42 });
    const predictions = predictFrame(result.artifact, prepared.testFrame);
    const rmse = Math.sqrt(predictions.reduce((s, p, i) => s + (p - prepared.yTest[i]!) ** 2, 0) / predictions.length);
    expect(result.metrics.rmse).toBeCloseTo(rmse, 12);
  });

  it('encodes a lone training row with the prior (nothing to fold) and still gives a valid artifact', () => {
    const tiny = Frame.fromColumns([cat('city', ['a', 'b', 'a']), num('y', [1, 2, 4])]);
    // round(3 * 0.5) = 2 holdout rows leave one training row.
    const { artifact, trainRows } = trainGbdtModel(tiny, {
      target: 'y',
      task: 'regression',
      params: { categoricalEncoding: 'target', testFraction: 0.5, nTrees: 2 },
    });
    expect(trainRows).toBe(1);
    expect(encodingOf(artifact).folds).toBe(0);
    expect(rejectedPath(JSON.parse(JSON.stringify(artifact)))).toBe('accepted');
    expect(predictFrame(artifact, tiny).every((p) => Number.isFinite(p))).toBe(true);
  });

  it('refuses invalid encoding parameters', () => {
    for (const params of [
      { categoricalEncoding: 'onehot' },
      { targetSmoothing: -1 },
      { targetSmoothing: Number.NaN },
      { targetFolds: 1 },
      { targetFolds: 2.5 },
    ]) {
      const run = () => trainGlmModel(fixtureFrame, { target: 'price', task: 'regression', params: params as never });
      expect(run).toThrow(EngineError);
      expect(() => run()).toThrow(/Invalid target|Invalid categorical/);
    }
  });
});

describe('target encoding at scoring time', () => {
  const encoding: TargetEncoding = {
    version: 1,
    smoothing: 'auto',
    folds: 5,
    columns: [
      {
        feature: 'c',
        categories: ['no', 'x'],
        outputs: [{ name: 'c:target', prior: 0.5, values: [0.25, 0.75] }],
      },
    ],
  };

  it('maps categories to their values and missing or unseen ones to the prior, in frames and in rows', () => {
    const frame = Frame.fromColumns([cat('c', ['x', 'no', 'zzz', null, 'false']), num('k', [1, 2, 3, 4, 5])]);
    const encoded = targetEncodeFrame(encoding, frame).column('c:target');
    if (encoded.kind !== 'number') throw new Error('kind');
    // "false" spells the boolean of the category "no", as everywhere in scoring.
    expect(Array.from(encoded.values)).toEqual([0.75, 0.25, 0.5, 0.5, 0.25]);
    const features = [
      { name: 'k', type: 'number' as const },
      { name: 'c', type: 'category' as const, categories: ['no', 'x'] },
    ];
    expect(
      targetEncodeRows(encoding, features, [
        [1, 'x'],
        [2, null],
        [3, 'zzz'],
      ]),
    ).toEqual([
      [1, 0.75],
      [2, 0.5],
      [3, 0.5],
    ]);
  });
});

describe('parseArtifact: target encoding', () => {
  const { artifact } = trainGbdtModel(fixtureFrame, {
    target: 'grade',
    task: 'classification',
    features: ['city', 'x'],
    params: { categoricalEncoding: 'target', nTrees: 2, testFraction: 0 },
  });

  it('accepts the trained artifact and names the first broken field', () => {
    expect(rejectedPath(JSON.parse(JSON.stringify(artifact)))).toBe('accepted');
    const te = 'preprocessing.targetEncoding';
    const column = `${te}.columns[0]`;
    const cases: [(json: LooseJson) => void, string][] = [
      [(j) => (j.preprocessing.targetEncoding.version = 2), `${te}.version`],
      [(j) => (j.preprocessing.targetEncoding.smoothing = -1), `${te}.smoothing`],
      [(j) => (j.preprocessing.targetEncoding.columns[0].feature = 'x'), `${column}.feature`],
      [(j) => j.preprocessing.targetEncoding.columns[0].categories.pop(), `${column}.categories`],
      [(j) => j.preprocessing.targetEncoding.columns[0].outputs.pop(), `${column}.outputs`],
      [(j) => (j.preprocessing.targetEncoding.columns[0].outputs[1].class = '7'), `${column}.outputs[1].class`],
      [(j) => j.preprocessing.targetEncoding.columns[0].outputs[0].values.push(1), `${column}.outputs[0].values`],
      [(j) => (j.preprocessing.targetEncoding.columns[0].outputs[0].prior = null), `${column}.outputs[0].prior`],
      // An output named like another feature would overwrite that feature's column.
      [(j) => (j.preprocessing.targetEncoding.columns[0].outputs[0].name = 'x'), `${te}.columns`],
      [(j) => j.preprocessing.encodings.pop(), 'preprocessing.encodings'],
      [(j) => delete j.preprocessing.targetEncoding, 'preprocessing.encodings'],
    ];
    for (const [edit, path] of cases) expect(rejectedPath(brokenCopy(artifact, edit))).toBe(path);
  });
});
