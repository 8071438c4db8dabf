import { describe, it, expect } from 'vitest';
import { EngineError } from '../errors.js';
import { Frame } from './frame.js';

const num = (name: string, values: number[]) => ({ kind: 'number' as const, name, values: Float64Array.from(values) });
const cat = (name: string, codes: number[], dictionary: string[]) => ({
  kind: 'category' as const,
  name,
  codes: Int32Array.from(codes),
  dictionary,
});

describe('Frame', () => {
  it('exposes rows, names and columns', () => {
    const frame = Frame.fromColumns([num('a', [1, 2, 3]), cat('b', [0, 1, -1], ['x', 'y'])]);
    expect(frame.nRows).toBe(3);
    expect(frame.names).toEqual(['a', 'b']);
    expect(frame.has('a')).toBe(true);
    expect(frame.has('c')).toBe(false);
    expect(frame.column('b').kind).toBe('category');
  });

  it('rejects columns of different lengths', () => {
    expect(() => Frame.fromColumns([num('a', [1, 2]), num('b', [1])])).toThrowError(
      expect.objectContaining({ code: 'length_mismatch' }),
    );
  });

  it('rejects duplicate names', () => {
    expect(() => Frame.fromColumns([num('a', [1]), num('a', [2])])).toThrowError(
      expect.objectContaining({ code: 'duplicate_column' }),
    );
  });

  it('throws unknown_column with the column name', () => {
    const frame = Frame.fromColumns([num('a', [1])]);
    try {
      frame.column('zz');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EngineError);
      expect((error as EngineError).code).toBe('unknown_column');
      expect((error as EngineError).details).toEqual({ column: 'zz' });
    }
    expect(() => frame.select(['a', 'zz'])).toThrowError(expect.objectContaining({ code: 'unknown_column' }));
  });

  it('selects columns in the given order', () => {
    const frame = Frame.fromColumns([num('a', [1]), num('b', [2]), num('c', [3])]);
    expect(frame.select(['c', 'a']).names).toEqual(['c', 'a']);
  });

  it('take copies only the picked rows, in order', () => {
    const a = num('a', [10, 20, 30, 40]);
    const frame = Frame.fromColumns([a, cat('b', [0, 1, 0, -1], ['x', 'y'])]);
    const taken = frame.take(Int32Array.from([3, 1]));
    expect(taken.nRows).toBe(2);
    const ta = taken.column('a');
    const tb = taken.column('b');
    if (ta.kind !== 'number' || tb.kind !== 'category') throw new Error('kinds changed');
    expect(Array.from(ta.values)).toEqual([40, 20]);
    expect(Array.from(tb.codes)).toEqual([-1, 1]);
    expect(tb.dictionary).toEqual(['x', 'y']);
    ta.values[0] = 99;
    expect(a.values[3]).toBe(40);
    expect(() => frame.take(Int32Array.from([4]))).toThrowError(expect.objectContaining({ code: 'invalid_param' }));
  });

  it('an empty column list is a frame with no rows', () => {
    const frame = Frame.fromColumns([]);
    expect(frame.nRows).toBe(0);
    expect(frame.names).toEqual([]);
  });
});
