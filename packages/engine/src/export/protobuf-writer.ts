// A minimal protocol-buffers encoder (wire format only): enough to write ONNX models without a dependency.

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH = 2;
const WIRE_FIXED32 = 5;

// Every JS runtime has TextEncoder; the engine compiles without DOM or Node types, so it is declared here.
declare const TextEncoder: new () => { encode(text: string): Uint8Array };
const utf8 = new TextEncoder();

/**
 * Appends fields to a growing byte buffer. Integers are JavaScript numbers (exact up to 2^53) or bigints; negative
 * int32/int64 values take ten bytes, as the protobuf spec says. Nested messages are written into a child writer first,
 * so their length prefix is known.
 */
export class ProtoWriter {
  #bytes = new Uint8Array(256);
  #length = 0;
  readonly #view = new DataView(new ArrayBuffer(8));

  /** The bytes written so far (a copy). */
  finish(): Uint8Array {
    return this.#bytes.slice(0, this.#length);
  }

  get length(): number {
    return this.#length;
  }

  /** An int32, int64, uint32, uint64, bool or enum field. */
  varint(field: number, value: number | bigint | boolean): this {
    this.#tag(field, WIRE_VARINT);
    this.#varint(typeof value === 'boolean' ? (value ? 1 : 0) : value);
    return this;
  }

  double(field: number, value: number): this {
    this.#tag(field, WIRE_FIXED64);
    this.#view.setFloat64(0, value, true);
    this.#raw(new Uint8Array(this.#view.buffer, 0, 8));
    return this;
  }

  float(field: number, value: number): this {
    this.#tag(field, WIRE_FIXED32);
    this.#view.setFloat32(0, value, true);
    this.#raw(new Uint8Array(this.#view.buffer, 0, 4));
    return this;
  }

  /** A string field, UTF-8 encoded. */
  string(field: number, value: string): this {
    return this.bytes(field, utf8.encode(value));
  }

  bytes(field: number, value: Uint8Array): this {
    this.#tag(field, WIRE_LENGTH);
    this.#varint(value.length);
    this.#raw(value);
    return this;
  }

  /** A nested message, written by `write` into a fresh writer. */
  message(field: number, write: (writer: ProtoWriter) => void): this {
    const child = new ProtoWriter();
    write(child);
    return this.bytes(field, child.#bytes.subarray(0, child.#length));
  }

  /** A packed repeated varint field (int32, int64, enum...). Nothing is written for an empty list. */
  packedVarints(field: number, values: ArrayLike<number | bigint>): this {
    if (values.length === 0) return this;
    const child = new ProtoWriter();
    for (let i = 0; i < values.length; i++) child.#varint(values[i]!);
    return this.bytes(field, child.#bytes.subarray(0, child.#length));
  }

  packedDoubles(field: number, values: ArrayLike<number>): this {
    if (values.length === 0) return this;
    const data = Float64Array.from(values as ArrayLike<number>);
    return this.bytes(field, littleEndian(new Uint8Array(data.buffer), 8));
  }

  packedFloats(field: number, values: ArrayLike<number>): this {
    if (values.length === 0) return this;
    const data = Float32Array.from(values as ArrayLike<number>);
    return this.bytes(field, littleEndian(new Uint8Array(data.buffer), 4));
  }

  #tag(field: number, wire: number): void {
    if (!Number.isInteger(field) || field < 1 || field > 536_870_911) throw new RangeError(`Bad field number ${field}`);
    this.#varint(field * 8 + wire);
  }

  #varint(value: number | bigint): void {
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0x7fffffff) {
      let v = value;
      while (v > 0x7f) {
        this.#byte((v & 0x7f) | 0x80);
        v >>>= 7;
      }
      this.#byte(v);
      return;
    }
    if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new RangeError(`Not a safe integer: ${value}`);
    // Two's complement over 64 bits: negative numbers become ten bytes.
    let v = BigInt.asUintN(64, BigInt(value));
    while (v > 0x7fn) {
      this.#byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.#byte(Number(v));
  }

  #byte(b: number): void {
    this.#reserve(1);
    this.#bytes[this.#length++] = b;
  }

  #raw(data: Uint8Array): void {
    this.#reserve(data.length);
    this.#bytes.set(data, this.#length);
    this.#length += data.length;
  }

  #reserve(n: number): void {
    if (this.#length + n <= this.#bytes.length) return;
    let size = this.#bytes.length * 2;
    while (size < this.#length + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = grown;
  }
}

const bigEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 0;

/** Typed-array bytes in little-endian order (protobuf fixed-width values), swapping on a big-endian host. */
function littleEndian(bytes: Uint8Array, width: number): Uint8Array {
  if (!bigEndianHost) return bytes;
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += width) for (let j = 0; j < width; j++) out[i + j] = bytes[i + width - 1 - j]!;
  return out;
}
