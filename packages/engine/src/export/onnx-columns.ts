// In-graph preprocessing for the ONNX export: raw feature tensors → category indices, cleaned numbers, target-encoded
// values, and the model columns the trees and GLMs read.
import { booleanFallbacks } from '../preprocess/category-lookup.js';
import type { CategoryEncoding, NumericEncoding, SingleModelArtifact } from '../artifact/model-artifact.js';
import { ML_DOMAIN, ints, type GraphBuilder } from './onnx-graph.js';

/** Where a model finds its raw features: [N, 1] tensors, double for numbers (NaN = missing), string for categories. */
export interface FeatureSources {
  number(name: string): string;
  category(name: string): string;
}

/** The spellings `CategoryLookup` lets stand in for a boolean category (compared trimmed and lower-cased). */

/**
 * Derived tensors shared by every model of the graph (the bases of a stacked ensemble read the same inputs), so each
 * category lookup and missing-value mask is built once.
 */
export class ColumnBuilder {
  readonly #indices = new Map<string, string>();
  readonly #missing = new Map<string, string>();

  constructor(readonly g: GraphBuilder) {}

  /**
   * int64 [N, 1]: the index of each row's value in `categories`, -1 for missing ("") or unseen, found as
   * `CategoryLookup.find` finds it: exact match first, then any upper/lower-case spelling of a boolean standing for
   * the one category that spells the same truth value. Unlike the engine, surrounding whitespace is not trimmed.
   */
  categoryIndex(input: string, categories: string[]): string {
    const key = JSON.stringify([input, categories]);
    const known = this.#indices.get(key);
    if (known !== undefined) return known;
    // A repeated category resolves to its last position, as a Map built from the list does.
    const position = new Map<string, number>();
    categories.forEach((c, i) => c !== '' && position.set(c, i));
    // Every case variant of the spellings is listed, so no locale-dependent StringNormalizer is needed (onnxruntime's
    // fails to load on hosts without the en_US.UTF-8 locale).
    for (const { spellings, category: target } of booleanFallbacks(categories)) {
      for (const spelling of spellings)
        for (const variant of caseVariants(spelling)) {
          if (!position.has(variant)) position.set(variant, target);
        }
    }
    const index = this.g.op(
      'LabelEncoder',
      [input],
      { keys_strings: [...position.keys()], values_int64s: ints([...position.values()]), default_int64: -1 },
      { domain: ML_DOMAIN },
    );
    this.#indices.set(key, index);
    return index;
  }

  /** bool [N, 1]: the number is missing (NaN or ±Infinity, as everywhere in the engine). */
  missing(input: string): string {
    let mask = this.#missing.get(input);
    if (mask === undefined) {
      // x - x is 0 for finite x and NaN for NaN and ±Infinity.
      mask = this.g.op('IsNaN', [this.g.op('Sub', [input, input])]);
      this.#missing.set(input, mask);
    }
    return mask;
  }

  /** double [N, 1] of a lookup table by category index: `values[k]`, or `otherwise` for index -1. */
  gatherByIndex(index: string, otherwise: number, values: ArrayLike<number>, hint: string): string {
    const g = this.g;
    const table = g.doubles([otherwise, ...Array.from(values)], undefined, hint);
    const shifted = g.op('Add', [index, g.int64s([1], [])]);
    return g.op('Gather', [table, shifted], { axis: 0 });
  }
}

/** Every upper/lower-case spelling of an ASCII word ('no' → no, nO, No, NO). */
function caseVariants(word: string): string[] {
  let variants = [''];
  for (const ch of word) {
    const cases = ch.toLowerCase() === ch.toUpperCase() ? [ch] : [ch.toLowerCase(), ch.toUpperCase()];
    variants = variants.flatMap((prefix) => cases.map((c) => prefix + c));
  }
  return variants;
}

/** What a model column holds before the model reads it. */
export type ModelColumn =
  | { kind: 'number'; encoding: NumericEncoding; value: string; missing: string }
  | { kind: 'category'; encoding: CategoryEncoding; index: string };

/**
 * One entry per `preprocessing.encodings` entry: target-encoded outputs come from their lookup tables (they replace a
 * same-named input), other columns from the sources.
 */
export function modelColumns(
  columns: ColumnBuilder,
  artifact: SingleModelArtifact,
  sources: FeatureSources,
): ModelColumn[] {
  const encoded = new Map<string, string>();
  for (const column of artifact.preprocessing.targetEncoding?.columns ?? []) {
    const index = columns.categoryIndex(sources.category(column.feature), column.categories);
    for (const output of column.outputs) {
      encoded.set(output.name, columns.gatherByIndex(index, output.prior, output.values, 'target_encoding'));
    }
  }
  return artifact.preprocessing.encodings.map((encoding): ModelColumn => {
    if (encoding.type === 'category') {
      return {
        kind: 'category',
        encoding,
        index: columns.categoryIndex(sources.category(encoding.name), encoding.categories),
      };
    }
    const value = encoded.get(encoding.name) ?? sources.number(encoding.name);
    return { kind: 'number', encoding, value, missing: columns.missing(value) };
  });
}
