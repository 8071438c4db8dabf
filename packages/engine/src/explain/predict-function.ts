// The model-agnostic side of explanations: any model that scores a frame, engine artifact or not (e.g. ONNX).
import type { Frame } from '../frame/frame.js';
import { seededRandom, shuffle } from '../validation/random.js';

/**
 * Scores every row of a frame: one value per row, or n × k row-major values (k outputs per row, e.g. class
 * probabilities). `predictFrame` bound to an artifact is one; an ONNX session wrapped to read a frame is another.
 */
export type PredictFunction = (frame: Frame) => Float64Array;

/** A `PredictFunction` whose scorer answers later, e.g. an onnxruntime session; same output shape. */
export type AsyncPredictFunction = (frame: Frame) => Promise<Float64Array>;

/** Up to `n` distinct rows of `rows` in a seeded random order (all of them, shuffled, when there are fewer). */
export function sampleRows(rows: Int32Array, n: number, seed: number): Int32Array {
  const shuffled = rows.slice();
  shuffle(shuffled, seededRandom(seed));
  return n >= shuffled.length ? shuffled : shuffled.subarray(0, n).slice();
}

/** 0, 1, …, n − 1. */
export function allRows(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}
