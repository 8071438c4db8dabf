// Builds an ONNX graph node by node: unique tensor names, constants as initializers, typed attribute helpers.
import type { OnnxAttribute, OnnxNode, OnnxTensor } from './onnx-proto.js';

export const ML_DOMAIN = 'ai.onnx.ml';

/**
 * Attributes as plain values: a number is an int, a string array is strings, a list of ints is wrapped by `ints`
 * (the exporter needs no float attributes: every real number travels as a double tensor).
 */
export type AttributeValue = number | string | string[] | OnnxTensor | IntsAttribute;
interface IntsAttribute {
  kind: 'ints';
  value: ArrayLike<number>;
}

export const ints = (value: ArrayLike<number>): IntsAttribute => ({ kind: 'ints', value });

export class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: (OnnxTensor & { name: string })[] = [];
  readonly #used = new Set<string>();
  readonly #constants = new Map<string, string>();

  /** Marks a name (a graph input or output) as taken. */
  reserve(name: string): string {
    if (this.#used.has(name)) throw new Error(`Duplicate ONNX tensor name "${name}"`);
    this.#used.add(name);
    return name;
  }

  /** A fresh name built from `hint`. */
  fresh(hint: string): string {
    const base = hint.replace(/[^A-Za-z0-9_:.-]/g, '_');
    let name = base;
    for (let i = 1; this.#used.has(name); i++) name = `${base}_${i}`;
    this.#used.add(name);
    return name;
  }

  /** A constant tensor (an initializer); identical constants are shared. */
  constant(tensor: OnnxTensor, hint = 'const'): string {
    const key = JSON.stringify([tensor.type, tensor.dims, Array.from(tensor.values as ArrayLike<unknown>)]);
    const known = this.#constants.get(key);
    if (known !== undefined) return known;
    const name = this.fresh(hint);
    this.initializers.push({ ...tensor, name });
    this.#constants.set(key, name);
    return name;
  }

  /** A double constant of the given shape (a scalar when `dims` is empty). */
  doubles(values: ArrayLike<number>, dims: number[] = [values.length], hint = 'c'): string {
    return this.constant({ type: 'double', dims, values: Array.from(values) }, hint);
  }

  int64s(values: ArrayLike<number>, dims: number[] = [values.length], hint = 'i'): string {
    return this.constant({ type: 'int64', dims, values: Array.from(values) }, hint);
  }

  /** Adds a node with one output and returns that output's name (or `output` when given). */
  op(
    opType: string,
    inputs: string[],
    attributes: Record<string, AttributeValue> = {},
    options: { domain?: string; output?: string } = {},
  ): string {
    const output = options.output ?? this.fresh(opType.toLowerCase());
    this.nodes.push({
      opType,
      domain: options.domain ?? '',
      name: this.fresh(`node_${opType}`),
      inputs,
      outputs: [output],
      attributes: Object.entries(attributes).map(([name, value]) => toAttribute(name, value)),
    });
    return output;
  }
}

function toAttribute(name: string, value: AttributeValue): OnnxAttribute {
  if (typeof value === 'number') return { name, type: 'int', value };
  if (typeof value === 'string') return { name, type: 'string', value };
  if (Array.isArray(value)) return { name, type: 'strings', value };
  if ('kind' in value) return { name, type: 'ints', value: value.value };
  return { name, type: 'tensor', value };
}
