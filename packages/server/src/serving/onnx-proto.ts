// A minimal protobuf reader for ONNX's ModelProto: the fields Modelyard reads, with every length checked against the
// bytes, so a hostile or damaged file fails with a message instead of a crash.
//
// Field numbers follow onnx/onnx.proto (proto2). Unknown fields are skipped, as protobuf requires; a known field with
// the wrong wire type, a length past the end, a varint over 10 bytes, invalid UTF-8 or a group (never used by ONNX)
// fail. Nested graphs inside node attributes are skipped unread, and types nest at most MAX_TYPE_DEPTH deep, so the
// reader's recursion is bounded whatever the file says.

export class OnnxProtoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OnnxProtoError';
  }
}

const MAX_TYPE_DEPTH = 32;

/** A tensor dimension: a size, a symbolic name, or unknown (`null`). */
export type ProtoDim = number | string | null;

export type ProtoType =
  | { kind: 'tensor' | 'sparse_tensor'; elemType: number; shape: ProtoDim[] | undefined }
  | { kind: 'sequence' | 'optional'; elem: ProtoType | undefined }
  | { kind: 'map'; keyType: number; value: ProtoType | undefined }
  | { kind: 'unknown' };

export interface ProtoValueInfo {
  name: string;
  type: ProtoType | undefined;
  docString: string;
}

/** A node attribute: scalars always, lists only for the attributes in DECODED_LISTS (others are left empty). */
export interface ProtoAttribute {
  name: string;
  /** AttributeProto.AttributeType: 1 FLOAT, 2 INT, 3 STRING, 6 FLOATS, 7 INTS, 8 STRINGS, … */
  type: number;
  f: number | undefined;
  i: number | undefined;
  s: string | undefined;
  floats: number[];
  ints: number[];
  strings: string[];
}

export interface ProtoNode {
  name: string;
  opType: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attributes: ProtoAttribute[];
}

export interface ProtoGraph {
  name: string;
  docString: string;
  nodes: ProtoNode[];
  initializerNames: string[];
  inputs: ProtoValueInfo[];
  outputs: ProtoValueInfo[];
}

export interface ProtoModel {
  irVersion: number | undefined;
  producerName: string;
  producerVersion: string;
  domain: string;
  modelVersion: number | undefined;
  docString: string;
  graph: ProtoGraph | undefined;
  opsetImports: { domain: string; version: number }[];
  metadataProps: { key: string; value: string }[];
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_BYTES = 2;
const WIRE_FIXED32 = 5;
const WIRE_NAMES = ['varint', 'fixed64', 'length-delimited', 'group start', 'group end', 'fixed32', '6', '7'];

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A cursor over bytes[pos, end) of one message. */
class Cursor {
  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
    readonly end: number,
    readonly message: string,
  ) {}

  fail(problem: string): never {
    throw new OnnxProtoError(`${this.message} at byte ${this.pos}: ${problem}`);
  }

  /** An unsigned varint as a number; exact up to 2^53, which every length and tag fits. */
  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) this.fail('the data ends inside a number');
      const byte = this.bytes[this.pos++]!;
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return result;
      scale *= 128;
    }
    return this.fail('a number is longer than 10 bytes');
  }

  /** A signed int64/int32 varint (two's complement over 10 bytes), as a number; beyond ±2^53 it is rounded. */
  int64(): number {
    const start = this.pos;
    const value = this.varint();
    if (value < 2 ** 53) return value;
    // Large or negative: redo exactly with BigInt (rare, so the common path stays on numbers).
    let big = 0n;
    for (let i = start, shift = 0n; i < this.pos; i++, shift += 7n) big |= BigInt(this.bytes[i]! & 0x7f) << shift;
    return Number(BigInt.asIntN(64, big));
  }

  float32(): number {
    if (this.end - this.pos < 4) this.fail('the data ends inside a float');
    const view = new DataView(this.bytes.buffer, this.bytes.byteOffset + this.pos, 4);
    this.pos += 4;
    return view.getFloat32(0, true);
  }

  /** The extent of a length-delimited field, checked against the message's end. */
  span(): [number, number] {
    const length = this.varint();
    if (length > this.end - this.pos) {
      this.fail(`a field declares ${length} bytes but only ${this.end - this.pos} remain`);
    }
    const start = this.pos;
    this.pos += length;
    return [start, this.pos];
  }

  string(): string {
    const [start, end] = this.span();
    try {
      return utf8.decode(this.bytes.subarray(start, end));
    } catch {
      return this.fail('a text field is not valid UTF-8');
    }
  }

  sub(message: string): Cursor {
    const [start, end] = this.span();
    return new Cursor(this.bytes, start, end, message);
  }

  skip(wire: number): void {
    if (wire === WIRE_VARINT) this.varint();
    else if (wire === WIRE_FIXED64) this.advance(8);
    else if (wire === WIRE_BYTES) this.span();
    else if (wire === WIRE_FIXED32) this.advance(4);
    else this.fail(`wire type ${WIRE_NAMES[wire]} is not used by ONNX`);
  }

  private advance(n: number): void {
    if (this.end - this.pos < n) this.fail('the data ends inside a fixed-width field');
    this.pos += n;
  }
}

/** Calls `visit` for every field of the message; `visit` reads the fields it knows and returns false for others. */
function eachField(cursor: Cursor, visit: (field: number, wire: number) => boolean): void {
  while (cursor.pos < cursor.end) {
    const tag = cursor.varint();
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (field === 0) cursor.fail('field number 0 is not allowed');
    if (!visit(field, wire)) cursor.skip(wire);
  }
}

/** Fails unless a known field arrived with the wire type its declaration implies. */
function expectWire(cursor: Cursor, field: number, wire: number, expected: number): void {
  if (wire !== expected) {
    cursor.fail(`field ${field} is ${WIRE_NAMES[wire]}, but ${cursor.message} declares it ${WIRE_NAMES[expected]}`);
  }
}

/** Repeated scalars may arrive one by one or packed; both are valid protobuf. Appends to `into`. */
function readRepeated(
  cursor: Cursor,
  field: number,
  wire: number,
  scalarWire: number,
  read: (c: Cursor) => number,
  into: number[],
): void {
  if (wire === scalarWire) {
    into.push(read(cursor));
    return;
  }
  expectWire(cursor, field, wire, WIRE_BYTES);
  const packed = cursor.sub(`packed field ${field} of ${cursor.message}`);
  while (packed.pos < packed.end) into.push(read(packed));
}

export function parseModelProto(bytes: Uint8Array): ProtoModel {
  const cursor = new Cursor(bytes, 0, bytes.length, 'ModelProto');
  const model: ProtoModel = {
    irVersion: undefined,
    producerName: '',
    producerVersion: '',
    domain: '',
    modelVersion: undefined,
    docString: '',
    graph: undefined,
    opsetImports: [],
    metadataProps: [],
  };
  eachField(cursor, (field, wire) => {
    switch (field) {
      case 1:
        expectWire(cursor, field, wire, WIRE_VARINT);
        model.irVersion = cursor.int64();
        return true;
      case 2:
      case 3:
      case 4:
      case 6: {
        expectWire(cursor, field, wire, WIRE_BYTES);
        const text = cursor.string();
        if (field === 2) model.producerName = text;
        else if (field === 3) model.producerVersion = text;
        else if (field === 4) model.domain = text;
        else model.docString = text;
        return true;
      }
      case 5:
        expectWire(cursor, field, wire, WIRE_VARINT);
        model.modelVersion = cursor.int64();
        return true;
      case 7:
        expectWire(cursor, field, wire, WIRE_BYTES);
        // A message field seen twice merges (protobuf semantics): repeated parts append, scalars take the last.
        model.graph = readGraph(cursor.sub('GraphProto'), model.graph);
        return true;
      case 8:
        expectWire(cursor, field, wire, WIRE_BYTES);
        model.opsetImports.push(readOpset(cursor.sub('OperatorSetIdProto')));
        return true;
      case 14: {
        expectWire(cursor, field, wire, WIRE_BYTES);
        const [key, value] = readStringPair(cursor.sub('StringStringEntryProto'));
        model.metadataProps.push({ key, value });
        return true;
      }
      default:
        return false;
    }
  });
  return model;
}

function readGraph(cursor: Cursor, into: ProtoGraph | undefined): ProtoGraph {
  const graph: ProtoGraph = into ?? {
    name: '',
    docString: '',
    nodes: [],
    initializerNames: [],
    inputs: [],
    outputs: [],
  };
  eachField(cursor, (field, wire) => {
    switch (field) {
      case 1:
        expectWire(cursor, field, wire, WIRE_BYTES);
        graph.nodes.push(readNode(cursor.sub('NodeProto')));
        return true;
      case 2:
        expectWire(cursor, field, wire, WIRE_BYTES);
        graph.name = cursor.string();
        return true;
      case 5:
        expectWire(cursor, field, wire, WIRE_BYTES);
        graph.initializerNames.push(readTensorName(cursor.sub('TensorProto')));
        return true;
      case 10:
        expectWire(cursor, field, wire, WIRE_BYTES);
        graph.docString = cursor.string();
        return true;
      case 11:
      case 12: {
        expectWire(cursor, field, wire, WIRE_BYTES);
        const info = readValueInfo(cursor.sub('ValueInfoProto'));
        (field === 11 ? graph.inputs : graph.outputs).push(info);
        return true;
      }
      default:
        return false;
    }
  });
  return graph;
}

function readNode(cursor: Cursor): ProtoNode {
  const node: ProtoNode = { name: '', opType: '', domain: '', inputs: [], outputs: [], attributes: [] };
  eachField(cursor, (field, wire) => {
    if (field === 5) {
      expectWire(cursor, field, wire, WIRE_BYTES);
      node.attributes.push(readAttribute(cursor.sub('AttributeProto')));
      return true;
    }
    if (field !== 1 && field !== 2 && field !== 3 && field !== 4 && field !== 7) return false;
    expectWire(cursor, field, wire, WIRE_BYTES);
    const text = cursor.string();
    if (field === 1) node.inputs.push(text);
    else if (field === 2) node.outputs.push(text);
    else if (field === 3) node.name = text;
    else if (field === 4) node.opType = text;
    else node.domain = text;
    return true;
  });
  return node;
}

/**
 * Attributes whose lists are decoded; the others (a forest's node arrays can be megabytes) keep only name and type.
 * Scalars are always read.
 */
const DECODED_LISTS = new Set(['classlabels_strings', 'classlabels_int64s', 'classlabels_ints']);

function readAttribute(cursor: Cursor): ProtoAttribute {
  const attribute: ProtoAttribute = {
    name: '',
    type: 0,
    f: undefined,
    i: undefined,
    s: undefined,
    floats: [],
    ints: [],
    strings: [],
  };
  const start = cursor.pos;
  // First pass: name, type and scalars; lists are only checked for their extent, as protobuf puts no order on fields.
  eachField(cursor, (field, wire) => {
    switch (field) {
      case 1:
        expectWire(cursor, field, wire, WIRE_BYTES);
        attribute.name = cursor.string();
        return true;
      case 20:
        expectWire(cursor, field, wire, WIRE_VARINT);
        attribute.type = cursor.int64();
        return true;
      case 2:
        expectWire(cursor, field, wire, WIRE_FIXED32);
        attribute.f = cursor.float32();
        return true;
      case 3:
        expectWire(cursor, field, wire, WIRE_VARINT);
        attribute.i = cursor.int64();
        return true;
      case 4:
        expectWire(cursor, field, wire, WIRE_BYTES);
        attribute.s = cursor.string();
        return true;
      default:
        // Lists, tensors and graphs (5-11, 22, 23) are skipped here; nested graphs are never read.
        return false;
    }
  });
  if (!DECODED_LISTS.has(attribute.name)) return attribute;
  const again = new Cursor(cursor.bytes, start, cursor.end, cursor.message);
  eachField(again, (field, wire) => {
    if (field === 7) readRepeated(again, field, wire, WIRE_FIXED32, (c) => c.float32(), attribute.floats);
    else if (field === 8) readRepeated(again, field, wire, WIRE_VARINT, (c) => c.int64(), attribute.ints);
    else if (field === 9) {
      expectWire(again, field, wire, WIRE_BYTES);
      attribute.strings.push(again.string());
    } else return false;
    return true;
  });
  return attribute;
}

function readTensorName(cursor: Cursor): string {
  let name = '';
  eachField(cursor, (field, wire) => {
    if (field !== 8) return false;
    expectWire(cursor, field, wire, WIRE_BYTES);
    name = cursor.string();
    return true;
  });
  return name;
}

function readValueInfo(cursor: Cursor): ProtoValueInfo {
  const info: ProtoValueInfo = { name: '', type: undefined, docString: '' };
  eachField(cursor, (field, wire) => {
    if (field === 1 || field === 3) {
      expectWire(cursor, field, wire, WIRE_BYTES);
      const text = cursor.string();
      if (field === 1) info.name = text;
      else info.docString = text;
      return true;
    }
    if (field === 2) {
      expectWire(cursor, field, wire, WIRE_BYTES);
      info.type = readType(cursor.sub('TypeProto'), 1);
      return true;
    }
    return false;
  });
  return info;
}

function readType(cursor: Cursor, depth: number): ProtoType {
  if (depth > MAX_TYPE_DEPTH) cursor.fail(`types nest deeper than ${MAX_TYPE_DEPTH} levels`);
  let type: ProtoType = { kind: 'unknown' };
  eachField(cursor, (field, wire) => {
    switch (field) {
      case 1:
      case 8:
        expectWire(cursor, field, wire, WIRE_BYTES);
        type = readTensorType(cursor.sub('TypeProto.Tensor'), field === 1 ? 'tensor' : 'sparse_tensor');
        return true;
      case 4:
      case 9: {
        expectWire(cursor, field, wire, WIRE_BYTES);
        const inner = cursor.sub(field === 4 ? 'TypeProto.Sequence' : 'TypeProto.Optional');
        let elem: ProtoType | undefined;
        eachField(inner, (f, w) => {
          if (f !== 1) return false;
          expectWire(inner, f, w, WIRE_BYTES);
          elem = readType(inner.sub('TypeProto'), depth + 1);
          return true;
        });
        type = { kind: field === 4 ? 'sequence' : 'optional', elem };
        return true;
      }
      case 5: {
        expectWire(cursor, field, wire, WIRE_BYTES);
        const inner = cursor.sub('TypeProto.Map');
        let keyType = 0;
        let value: ProtoType | undefined;
        eachField(inner, (f, w) => {
          if (f === 1) {
            expectWire(inner, f, w, WIRE_VARINT);
            keyType = inner.int64();
            return true;
          }
          if (f === 2) {
            expectWire(inner, f, w, WIRE_BYTES);
            value = readType(inner.sub('TypeProto'), depth + 1);
            return true;
          }
          return false;
        });
        type = { kind: 'map', keyType, value };
        return true;
      }
      default:
        return false;
    }
  });
  return type;
}

function readTensorType(cursor: Cursor, kind: 'tensor' | 'sparse_tensor'): ProtoType {
  let elemType = 0;
  let shape: ProtoDim[] | undefined;
  eachField(cursor, (field, wire) => {
    if (field === 1) {
      expectWire(cursor, field, wire, WIRE_VARINT);
      elemType = cursor.int64();
      return true;
    }
    if (field === 2) {
      expectWire(cursor, field, wire, WIRE_BYTES);
      shape ??= [];
      const dims = cursor.sub('TensorShapeProto');
      eachField(dims, (f, w) => {
        if (f !== 1) return false;
        expectWire(dims, f, w, WIRE_BYTES);
        shape!.push(readDim(dims.sub('TensorShapeProto.Dimension')));
        return true;
      });
      return true;
    }
    return false;
  });
  return { kind, elemType, shape };
}

function readDim(cursor: Cursor): ProtoDim {
  let dim: ProtoDim = null;
  eachField(cursor, (field, wire) => {
    if (field === 1) {
      expectWire(cursor, field, wire, WIRE_VARINT);
      dim = cursor.int64();
      return true;
    }
    if (field === 2) {
      expectWire(cursor, field, wire, WIRE_BYTES);
      dim = cursor.string();
      return true;
    }
    return false;
  });
  return dim;
}

function readOpset(cursor: Cursor): { domain: string; version: number } {
  const opset = { domain: '', version: 0 };
  eachField(cursor, (field, wire) => {
    if (field === 1) {
      expectWire(cursor, field, wire, WIRE_BYTES);
      opset.domain = cursor.string();
      return true;
    }
    if (field === 2) {
      expectWire(cursor, field, wire, WIRE_VARINT);
      opset.version = cursor.int64();
      return true;
    }
    return false;
  });
  return opset;
}

function readStringPair(cursor: Cursor): [string, string] {
  let key = '';
  let value = '';
  eachField(cursor, (field, wire) => {
    if (field !== 1 && field !== 2) return false;
    expectWire(cursor, field, wire, WIRE_BYTES);
    if (field === 1) key = cursor.string();
    else value = cursor.string();
    return true;
  });
  return [key, value];
}

// ---- The one write: exposing an inner tensor ----------------------------------------------------------------------

function encodeVarint(value: number, out: number[]): void {
  let v = value;
  while (v >= 128) {
    out.push((v % 128) | 128);
    v = Math.floor(v / 128);
  }
  out.push(v);
}

function lengthDelimited(field: number, payload: Uint8Array | number[]): number[] {
  const out: number[] = [];
  encodeVarint(field * 8 + WIRE_BYTES, out);
  encodeVarint(payload.length, out);
  for (const byte of payload) out.push(byte);
  return out;
}

/**
 * The model with `name` (an inner tensor of element type `elemType`) added to its graph outputs, so a runtime can
 * return it. Protobuf merges a message field that appears twice, so appending a second `graph` holding just that
 * output extends the graph's outputs without rewriting the file.
 */
export function withGraphOutput(bytes: Uint8Array, name: string, elemType: number): Uint8Array {
  const tensor: number[] = [];
  encodeVarint(1 * 8 + WIRE_VARINT, tensor);
  encodeVarint(elemType, tensor);
  const valueInfo = [
    ...lengthDelimited(1, new TextEncoder().encode(name)),
    ...lengthDelimited(2, lengthDelimited(1, tensor)),
  ];
  const extra = lengthDelimited(7, lengthDelimited(12, valueInfo));
  const out = new Uint8Array(bytes.length + extra.length);
  out.set(bytes);
  out.set(extra, bytes.length);
  return out;
}
