// The threaded kernels' failure path, without real threads: helpers that never answer must fail the training with a
// clear error instead of hanging it. (That helper threads never change a model is tested with real worker threads in
// packages/server/src/jobs/histogram-threads.test.ts.)
import { describe, expect, it } from 'vitest';
import { Frame } from '../frame/frame.js';
import { seededRandom } from '../validation/random.js';
import type { HelperThreads } from './shared-histograms.js';
import { trainGbdtModel } from './train-gbdt-model.js';
import { trainForestModel } from '../forest/train-forest-model.js';

function frameOf(rows: number): Frame {
  const random = seededRandom(4);
  const x = Float64Array.from({ length: rows }, () => random());
  const z = Float64Array.from({ length: rows }, () => random());
  const y = x.map((v, i) => (v + z[i]! + random() > 1.5 ? 1 : 0));
  return Frame.fromColumns([
    { kind: 'number', name: 'x', values: x },
    { kind: 'number', name: 'z', values: z },
    { kind: 'number', name: 'y', values: y },
  ]);
}

describe('tree training with helper threads that never answer', () => {
  const silent: HelperThreads = { size: 1, minParallelUpdates: 1, stallMs: 50, post: () => {} };

  it('fails a GBDT training with a clear error after the stall limit', () => {
    const started = Date.now();
    expect(() =>
      trainGbdtModel(frameOf(200), { target: 'y', task: 'classification', params: { nTrees: 2 }, threads: silent }),
    ).toThrow(/stopped answering/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('fails a forest training the same way', () => {
    expect(() =>
      trainForestModel(frameOf(200), { target: 'y', task: 'classification', params: { nTrees: 2 }, threads: silent }),
    ).toThrow(/stopped answering/);
  });

  it('trains on the calling thread alone when every node is below the helpers’ threshold', () => {
    const lazy: HelperThreads = { ...silent, minParallelUpdates: 1e12 };
    const alone = trainGbdtModel(frameOf(200), { target: 'y', task: 'classification', params: { nTrees: 2 } });
    const result = trainGbdtModel(frameOf(200), {
      target: 'y',
      task: 'classification',
      params: { nTrees: 2 },
      threads: lazy,
    });
    expect(JSON.stringify(result.artifact)).toBe(JSON.stringify(alone.artifact));
  });
});
