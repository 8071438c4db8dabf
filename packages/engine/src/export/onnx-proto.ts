// The ONNX messages the exporter writes (a subset of onnx.proto) and their protobuf encoding.
import { ProtoWriter } from './protobuf-writer.js';

/** TensorProto.DataType values used here. */
export const ONNX_TYPE = { float: 1, uint8: 2, int64: 7, string: 8, bool: 9, double: 11 } as const;
export type OnnxElementType = keyof typeof ONNX_TYPE;

export type OnnxTensor =
  | { type: 'double' | 'float'; dims: number[]; values: ArrayLike<number> }
  | { type: 'int64' | 'uint8'; dims: number[]; values: ArrayLike<number> }
  | { type: 'string'; dims: number[]; values: string[] };

export type OnnxAttribute =
  | { name: string; type: 'int'; value: number }
  | { name: string; type: 'float'; value: number }
  | { name: string; type: 'string'; value: string }
  | { name: string; type: 'ints'; value: ArrayLike<number> }
  | { name: string; type: 'floats'; value: ArrayLike<number> }
  | { name: string; type: 'strings'; value: string[] }
  | { name: string; type: 'tensor'; value: OnnxTensor };

export interface OnnxNode {
  opType: string;
  /** '' for the default ai.onnx domain. */
  domain: string;
  name: string;
  inputs: string[];
  outputs: string[];
  attributes: OnnxAttribute[];
}

export interface OnnxValueInfo {
  name: string;
  type: OnnxElementType;
  /** A string is a symbolic dimension (e.g. 'N'). */
  shape: (number | string)[];
}

export interface OnnxGraph {
  name: string;
  nodes: OnnxNode[];
  initializers: (OnnxTensor & { name: string })[];
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
}

export interface OnnxModel {
  irVersion: number;
  opsets: { domain: string; version: number }[];
  producerName: string;
  producerVersion: string;
  docString: string;
  graph: OnnxGraph;
  metadata: Record<string, string>;
}

const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, tensor: 4, floats: 6, ints: 7, strings: 8 } as const;

/** ModelProto bytes. */
export function encodeModel(model: OnnxModel): Uint8Array {
  const w = new ProtoWriter();
  w.varint(1, model.irVersion);
  w.string(2, model.producerName);
  w.string(3, model.producerVersion);
  if (model.docString !== '') w.string(6, model.docString);
  w.message(7, (g) => writeGraph(g, model.graph));
  for (const opset of model.opsets) {
    w.message(8, (o) => {
      if (opset.domain !== '') o.string(1, opset.domain);
      o.varint(2, opset.version);
    });
  }
  for (const [key, value] of Object.entries(model.metadata)) {
    w.message(14, (e) => e.string(1, key).string(2, value));
  }
  return w.finish();
}

function writeGraph(w: ProtoWriter, graph: OnnxGraph): void {
  for (const node of graph.nodes) w.message(1, (n) => writeNode(n, node));
  w.string(2, graph.name);
  for (const tensor of graph.initializers) w.message(5, (t) => writeTensor(t, tensor, tensor.name));
  for (const input of graph.inputs) w.message(11, (v) => writeValueInfo(v, input));
  for (const output of graph.outputs) w.message(12, (v) => writeValueInfo(v, output));
}

function writeNode(w: ProtoWriter, node: OnnxNode): void {
  for (const input of node.inputs) w.string(1, input);
  for (const output of node.outputs) w.string(2, output);
  w.string(3, node.name);
  w.string(4, node.opType);
  for (const attribute of node.attributes) w.message(5, (a) => writeAttribute(a, attribute));
  if (node.domain !== '') w.string(7, node.domain);
}

function writeAttribute(w: ProtoWriter, attribute: OnnxAttribute): void {
  w.string(1, attribute.name);
  w.varint(20, ATTRIBUTE_TYPE[attribute.type]);
  switch (attribute.type) {
    case 'float':
      w.float(2, attribute.value);
      break;
    case 'int':
      w.varint(3, attribute.value);
      break;
    case 'string':
      w.string(4, attribute.value);
      break;
    case 'tensor':
      w.message(5, (t) => writeTensor(t, attribute.value));
      break;
    case 'floats':
      w.packedFloats(7, attribute.value);
      break;
    case 'ints':
      w.packedVarints(8, attribute.value);
      break;
    case 'strings':
      for (const s of attribute.value) w.string(9, s);
      break;
  }
}

function writeTensor(w: ProtoWriter, tensor: OnnxTensor, name?: string): void {
  w.packedVarints(1, tensor.dims);
  w.varint(2, ONNX_TYPE[tensor.type]);
  switch (tensor.type) {
    case 'float':
      w.packedFloats(4, tensor.values);
      break;
    case 'uint8':
      // uint8 values travel in int32_data.
      w.packedVarints(5, tensor.values);
      break;
    case 'string':
      for (const s of tensor.values) w.string(6, s);
      break;
    case 'int64':
      w.packedVarints(7, tensor.values);
      break;
    case 'double':
      w.packedDoubles(10, tensor.values);
      break;
  }
  if (name !== undefined) w.string(8, name);
}

function writeValueInfo(w: ProtoWriter, info: OnnxValueInfo): void {
  w.string(1, info.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.varint(1, ONNX_TYPE[info.type]);
      tensor.message(2, (shape) => {
        for (const dim of info.shape) {
          shape.message(1, (d) => (typeof dim === 'number' ? d.varint(1, dim) : d.string(2, dim)));
        }
      });
    }),
  );
}
