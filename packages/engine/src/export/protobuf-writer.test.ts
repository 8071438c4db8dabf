// The protobuf encoder against hand-checked bytes (the examples of the protobuf encoding guide and IEEE 754 values).
import { describe, expect, it } from 'vitest';
import { ProtoWriter } from './protobuf-writer.js';

const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
const write = (build: (w: ProtoWriter) => void): string => {
  const w = new ProtoWriter();
  build(w);
  return hex(w.finish());
};

describe('ProtoWriter', () => {
  it('writes varints, including booleans and values past 2^31', () => {
    expect(write((w) => w.varint(1, 150))).toBe('08 96 01');
    expect(write((w) => w.varint(1, 0))).toBe('08 00');
    expect(write((w) => w.varint(15, true).varint(16, false))).toBe('78 01 80 01 00');
    expect(write((w) => w.varint(1, 2 ** 32))).toBe('08 80 80 80 80 10');
    expect(write((w) => w.varint(1, 2n ** 63n - 1n))).toBe('08 ff ff ff ff ff ff ff ff 7f');
  });

  it('writes negative int64 values as ten-byte two’s complement', () => {
    expect(write((w) => w.varint(2, -1))).toBe('10 ff ff ff ff ff ff ff ff ff 01');
    expect(write((w) => w.varint(2, -2n))).toBe('10 fe ff ff ff ff ff ff ff ff 01');
    expect(write((w) => w.varint(1, -(2 ** 31)))).toBe('08 80 80 80 80 f8 ff ff ff ff 01');
  });

  it('refuses bad field numbers and integers a double cannot hold exactly', () => {
    expect(() => write((w) => w.varint(0, 1))).toThrow(RangeError);
    expect(() => write((w) => w.varint(1, 2 ** 53))).toThrow(RangeError);
    expect(() => write((w) => w.varint(1, 1.5))).toThrow(RangeError);
  });

  it('writes strings as UTF-8 with a length prefix', () => {
    expect(write((w) => w.string(2, 'testing'))).toBe('12 07 74 65 73 74 69 6e 67');
    expect(write((w) => w.string(1, 'é€😀'))).toBe('0a 09 c3 a9 e2 82 ac f0 9f 98 80');
    expect(write((w) => w.string(1, ''))).toBe('0a 00');
    const long = write((w) => w.string(1, 'a'.repeat(200)));
    expect(long.startsWith('0a c8 01 61 61')).toBe(true);
    expect(long.split(' ')).toHaveLength(203);
  });

  it('writes packed repeated fields, and nothing for an empty list', () => {
    expect(write((w) => w.packedVarints(4, [3, 270, 86942]))).toBe('22 06 03 8e 02 9e a7 05');
    expect(write((w) => w.packedVarints(1, [-1]))).toBe('0a 0a ff ff ff ff ff ff ff ff ff 01');
    expect(write((w) => w.packedDoubles(10, [1, -2]))).toBe('52 10 00 00 00 00 00 00 f0 3f 00 00 00 00 00 00 00 c0');
    expect(write((w) => w.packedFloats(4, [1.5]))).toBe('22 04 00 00 c0 3f');
    expect(write((w) => w.packedVarints(1, []).packedDoubles(2, []).packedFloats(3, []))).toBe('');
  });

  it('writes fixed-width doubles and floats little-endian, NaN included', () => {
    expect(write((w) => w.double(1, 1.5))).toBe('09 00 00 00 00 00 00 f8 3f');
    expect(write((w) => w.float(1, 1.5))).toBe('0d 00 00 c0 3f');
    expect(write((w) => w.double(1, Number.NaN))).toBe('09 00 00 00 00 00 00 f8 7f');
  });

  it('nests messages with their length, at any depth and size', () => {
    expect(write((w) => w.message(3, (m) => m.varint(1, 150)))).toBe('1a 03 08 96 01');
    expect(write((w) => w.message(1, (a) => a.message(2, (b) => b.string(3, 'x'))))).toBe('0a 05 12 03 1a 01 78');
    expect(write((w) => w.message(1, () => undefined))).toBe('0a 00');
    // A child past the initial buffer size: the buffer grows and the two-byte length prefix is right.
    const big = new ProtoWriter().message(1, (m) => m.bytes(2, new Uint8Array(1000).fill(7))).finish();
    expect(hex(big.subarray(0, 6))).toBe('0a eb 07 12 e8 07');
    expect(big).toHaveLength(1006);
    expect(big[1005]).toBe(7);
  });
});
