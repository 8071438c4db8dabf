import { describe, it, expect } from 'vitest';
import { Frame } from '../frame/frame.js';
import { encodeFrame } from './encode-frame.js';
import { fitPreprocessing } from './fit-preprocessing.js';

function design(columns: Parameters<typeof Frame.fromColumns>[0]) {
  const frame = Frame.fromColumns(columns);
  return encodeFrame(frame, fitPreprocessing(frame, frame.names).encodings);
}

const cat = (name: string, codes: number[], dictionary: string[]) => ({
  kind: 'category' as const,
  name,
  codes: Int32Array.from(codes),
  dictionary,
});

describe('findTiedColumns (via encodeFrame)', () => {
  it('ties a level repeated across blocks, including the complement of the row-0 category', () => {
    // internet: DSL, none, fiber; security: no, none, yes — "none" coincides, and so do rows where security = "no"
    // and internet = "DSL" (row 0's category in both, so those two are tied through their complements too).
    const x = design([
      cat('internet', [0, 1, 2, 1, 0, 2], ['DSL', 'none', 'fiber']),
      cat('security', [0, 1, 2, 1, 0, 2], ['no', 'none', 'yes']),
    ]);
    // Sorted categories: internet [DSL, fiber, none] = columns 0..2, security [no, none, yes] = 3..5.
    const groups = (x.tied ?? []).map((g) => g.columns.map((c, k) => [c, g.scales[k]]));
    expect(groups).toEqual(
      expect.arrayContaining([
        [
          [0, 1],
          [3, 1],
        ],
        [
          [2, 1],
          [4, 1],
        ],
        [
          [1, 1],
          [5, 1],
        ],
      ]),
    );
    expect(groups).toHaveLength(3);
  });

  it('ties a 0/1 number to the indicator it copies, with the scale of its standardisation', () => {
    const x = design([
      { kind: 'number', name: 'phone', values: Float64Array.from([1, 0, 1, 1, 0, 1]) },
      cat('lines', [0, 1, 2, 0, 1, 2], ['one', 'no phone', 'many']),
      { kind: 'number', name: 'charges', values: Float64Array.from([3, 1, 4, 1, 5, 9]) },
    ]);
    // Sorted lines: [many, no phone, one] = columns 1..3. phone standardised is (x - 2/3) / sd and "no phone" is
    // 1 - x, so relative to phone (found first) the indicator's scale is -sd.
    const sd = Math.sqrt(2 / 9);
    expect(x.tied).toHaveLength(1);
    const [group] = x.tied!;
    expect(group!.columns).toEqual([0, 2]);
    expect(group!.scales[0]).toBe(1);
    expect(group!.scales[1]).toBeCloseTo(-sd, 12);
  });

  it('ties only the complementary pair inside each two-level block of otherwise unrelated columns', () => {
    const x = design([
      cat('a', [0, 1, 0, 1], ['p', 'q']),
      cat('b', [0, 0, 1, 1], ['r', 's']),
      { kind: 'number', name: 'c', values: Float64Array.from([1, 2, 3, 4]) },
    ]);
    expect(x.tied).toEqual([
      { columns: [0, 1], scales: [1, -1] },
      { columns: [2, 3], scales: [1, -1] },
    ]);
  });
});
