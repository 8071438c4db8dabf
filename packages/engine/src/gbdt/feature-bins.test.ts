import { describe, it, expect } from 'vitest';
import { Frame } from '../frame/frame.js';
import { fitPreprocessing } from '../preprocess/fit-preprocessing.js';
import { seededRandom } from '../validation/random.js';
import { binColumn, binFinder } from './bin-finder.js';
import { binFrame, fitFeatureBins } from './feature-bins.js';
import { quantileBins, quantileCuts } from './quantile-cuts.js';

function bin(values: number[], maxBins: number) {
  const frame = Frame.fromColumns([{ kind: 'number', name: 'x', values: Float64Array.from(values) }]);
  const { encodings } = fitPreprocessing(frame, ['x']);
  const bins = fitFeatureBins(frame, encodings, maxBins);
  return { bins, codes: binFrame(frame, encodings, bins)[0]! };
}

describe('fitFeatureBins / binFrame', () => {
  it('gives each distinct value its own bin with cuts halfway, and missing values the last bin', () => {
    const { bins, codes } = bin([3, 1, NaN, 2, 1, Infinity], 256);
    expect(Array.from(bins.cuts[0]!)).toEqual([1.5, 2.5]);
    expect(bins.valueBins[0]).toBe(3);
    expect(Array.from(codes)).toEqual([2, 0, 3, 1, 0, 3]);
  });

  it('cuts many values at equal-count quantiles, at most maxBins - 1 value bins, consistent with v < cut', () => {
    const random = seededRandom(5);
    const values = Array.from({ length: 5000 }, () => Math.round(random() * 1e4) / 10);
    const { bins, codes } = bin(values, 16);
    const cuts = bins.cuts[0]!;
    expect(cuts.length).toBeLessThanOrEqual(14);
    expect(cuts.length).toBeGreaterThanOrEqual(12);
    const counts = new Array<number>(cuts.length + 1).fill(0);
    values.forEach((v, i) => {
      const b = codes[i]!;
      counts[b]!++;
      if (b < cuts.length) expect(v).toBeLessThan(cuts[b]!);
      if (b > 0) expect(v).toBeGreaterThanOrEqual(cuts[b - 1]!);
    });
    for (const count of counts) expect(count).toBeGreaterThan(5000 / 15 / 2);
  });

  it('uses 16-bit codes when a category has more than 255 levels', () => {
    const n = 300;
    const frame = Frame.fromColumns([
      {
        kind: 'category',
        name: 'k',
        codes: Int32Array.from({ length: n }, (_, i) => (i === 0 ? -1 : i)),
        dictionary: Array.from({ length: n }, (_, i) => `c${String(i).padStart(3, '0')}`),
      },
    ]);
    const { encodings } = fitPreprocessing(frame, ['k']);
    const bins = fitFeatureBins(frame, encodings, 256);
    const [codes] = binFrame(frame, encodings, bins);
    expect(codes).toBeInstanceOf(Uint16Array);
    expect([codes![0], codes![1], codes![299]]).toEqual([299, 0, 298]);
  });
});

describe('binFinder', () => {
  it('agrees with a binary search on skewed, tied and extreme cuts', () => {
    const random = seededRandom(11);
    const cutSets = [
      Float64Array.from({ length: 255 }, (_, i) => Math.exp(i / 10)),
      Float64Array.from({ length: 200 }, () => random() * 10).sort(),
      Float64Array.of(-1e300, 0, 1e-300, 1e300),
      Float64Array.of(5),
      Float64Array.from({ length: 100 }, (_, i) => (i < 99 ? i * 1e-9 : 1e9)),
    ];
    for (const cuts of cutSets) {
      const binOf = binFinder(cuts);
      const probes = [...cuts, ...cuts.map((c) => c * (1 + 1e-15)), -Number.MAX_VALUE, Number.MAX_VALUE, 0];
      for (let i = 0; i < 2000; i++) probes.push((random() - 0.5) * 2 * cuts[cuts.length - 1]! * 1.2);
      for (const v of probes) {
        let expected = 0;
        while (expected < cuts.length && cuts[expected]! <= v) expected++;
        expect(binOf(v)).toBe(expected);
      }
    }
  });
});

describe('quantileCuts', () => {
  it('finds the same cuts through buckets as by sorting every value (ties, skew, missing, extremes)', () => {
    const random = seededRandom(17);
    const columns = [
      Float64Array.from({ length: 20000 }, () => random()),
      Float64Array.from({ length: 20000 }, () => Math.exp(random() * 20)),
      Float64Array.from({ length: 20000 }, () => (random() < 0.6 ? 0 : Math.round(random() * 1000))),
      Float64Array.from({ length: 20000 }, () => (random() < 0.2 ? NaN : random() < 0.01 ? 1e300 : random() - 0.5)),
      Float64Array.from({ length: 5000 }, (_, i) => (i % 7) + Math.floor(i / 1000) * 1e-12),
      Float64Array.from({ length: 30000 }, () => Math.round(random() * 400) / 4),
    ];
    for (const values of columns) {
      for (const bins of [255, 16, 3]) {
        const sorted = quantileCuts(values, bins, Infinity);
        const bucketed = quantileBins(values, bins, () => new Uint16Array(values.length), 0);
        expect(Array.from(bucketed.cuts)).toEqual(Array.from(sorted));
        expect(sorted.length).toBeGreaterThan(0);
        // Codes read off the buckets are the codes a search over the cuts gives.
        const searched = new Uint16Array(values.length);
        binColumn(sorted, values, searched, sorted.length + 1);
        expect(Array.from(bucketed.codes!)).toEqual(Array.from(searched));
      }
    }
  });
});
