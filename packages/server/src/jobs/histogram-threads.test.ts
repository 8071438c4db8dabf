// The thread count must never change a model: GBDT and forests trained with 0, 1 and 2 histogram helper threads
// (every node shared out, however small) give identical artifacts, on generated frames with missing values.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  Frame,
  LONG_SPINS,
  trainForestModel,
  trainGbdtModel,
  type Column,
  type HelperThreads,
} from '@modelyard/engine';
import { HistogramThreads } from './histogram-threads.js';

const one = new HistogramThreads(1, 1);
const two = new HistogramThreads(2, 1);
afterAll(async () => {
  await Promise.all([one.close(), two.close()]);
});

const CATEGORIES = ['a', 'b', 'c', 'd', 'e'];

/** rows x (numbers, one category, target) from a seed; a share of each feature missing. */
function frameOf(seed: number, rows: number, numbers: number, classes: number): Frame {
  let state = seed >>> 0;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const columns: Column[] = [];
  const signal = new Float64Array(rows);
  for (let f = 0; f < numbers; f++) {
    const values = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      const v = random() * 10 - 5;
      values[i] = random() < 0.1 ? NaN : v;
      if (f < 3) signal[i]! += v * (f + 1);
    }
    columns.push({ kind: 'number', name: `x${f}`, values });
  }
  const codes = Int32Array.from({ length: rows }, () => (random() < 0.1 ? -1 : Math.floor(random() * 5)));
  columns.push({ kind: 'category', name: 'cat', codes, dictionary: CATEGORIES });
  if (classes === 0) {
    columns.push({ kind: 'number', name: 'y', values: signal.map((s) => s + random()) });
  } else {
    // Classes by bands of the signal plus noise; the first rows carry every class.
    const band = (s: number) => (classes === 2 ? (s > 0 ? 1 : 0) : s < -4 ? 0 : s < 4 ? 1 : 2);
    const labels = Int32Array.from(signal, (s, i) => (i < classes ? i : band(s + random() * 4 - 2)));
    columns.push({ kind: 'category', name: 'y', codes: labels, dictionary: ['k0', 'k1', 'k2'].slice(0, classes) });
  }
  return Frame.fromColumns(columns);
}

type Trainer = (frame: Frame, threads: HelperThreads | undefined) => unknown;

const setup = fc.record({
  seed: fc.integer({ min: 0, max: 1e9 }),
  rows: fc.integer({ min: 30, max: 400 }),
  numbers: fc.integer({ min: 1, max: 9 }),
  classes: fc.constantFrom(0, 2, 3),
});

function sameModelWhateverTheThreads(trainer: (classes: number) => Trainer) {
  fc.assert(
    fc.property(setup, ({ seed, rows, numbers, classes }) => {
      const frame = frameOf(seed, rows, numbers, classes);
      const train = trainer(classes);
      const alone = JSON.stringify(train(frame, undefined));
      expect(JSON.stringify(train(frame, one))).toBe(alone);
      expect(JSON.stringify(train(frame, two))).toBe(alone);
    }),
    { numRuns: 25 },
  );
}

const task = (classes: number) => (classes === 0 ? 'regression' : 'classification');

describe('histogram helper threads', () => {
  it('do not change a GBDT model (depthwise and lossguide, row and column sampling, with and without row counts)', () => {
    sameModelWhateverTheThreads((classes) => (frame, threads) => {
      const params = { nTrees: 4, maxDepth: 4, subsample: 0.8, colsampleByTree: 0.7, seed: 3 };
      const depthwise = trainGbdtModel(frame, { target: 'y', task: task(classes), params, threads });
      const lossguide = trainGbdtModel(frame, {
        target: 'y',
        task: task(classes),
        params: { ...params, growPolicy: 'lossguide', maxLeaves: 7, maxDepth: 0, minSamplesLeaf: 2 },
        threads,
      });
      return [depthwise.artifact, depthwise.metrics, lossguide.artifact];
    });
  });

  it('do not change a random forest or extra trees', () => {
    sameModelWhateverTheThreads((classes) => (frame, threads) => {
      const forest = trainForestModel(frame, { target: 'y', task: task(classes), params: { nTrees: 4 }, threads });
      const extra = trainForestModel(frame, {
        target: 'y',
        task: task(classes),
        params: { nTrees: 4, extraTrees: true },
        threads,
      });
      return [forest.artifact, extra.artifact];
    });
  });

  it('serve one training after another (attach, detach, attach again)', () => {
    const frame = frameOf(7, 3000, 8, 2);
    const first = trainGbdtModel(frame, { target: 'y', task: 'classification', params: { nTrees: 3 }, threads: two });
    const again = trainGbdtModel(frame, { target: 'y', task: 'classification', params: { nTrees: 3 }, threads: two });
    expect(JSON.stringify(again.artifact)).toBe(JSON.stringify(first.artifact));
    expect(first.metrics.auc).toBeGreaterThan(0.6);
  });

  it('give the same model when they busy-wait between jobs (a training with the cores to itself)', () => {
    const frame = frameOf(8, 3000, 8, 2);
    const params = { nTrees: 3, maxDepth: 5 };
    const alone = trainGbdtModel(frame, { target: 'y', task: 'classification', params });
    one.spins = LONG_SPINS;
    try {
      const spinning = trainGbdtModel(frame, { target: 'y', task: 'classification', params, threads: one });
      expect(JSON.stringify(spinning.artifact)).toBe(JSON.stringify(alone.artifact));
    } finally {
      one.spins = undefined;
    }
  });
});
