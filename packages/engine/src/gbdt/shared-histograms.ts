// Tree building shared by several threads over shared memory. A histogram is split by features (each thread sums
// its features over every row, in row order) and a partition by rows (each thread splits a slice, then places it),
// so every result is bit-identical to one thread's. The engine stays free of Node APIs: the host creates the helper
// threads (Web Workers or worker_threads) and relays one message per attach; everything else goes through Atomics.
import type { BinCodes } from './feature-bins.js';
import type { KernelData, NodeKernels } from './node-kernels.js';
import {
  addFeatureRange,
  buildHistogram,
  coversAllRows,
  gatherGradients,
  STRIDE,
  type CodeQuads,
} from './histogram.js';
import { partitionRows, placeRows, splitRows } from './partition.js';
import { addLeafRanges, LEAF_ENTRY, type LeafTable } from './grow-tree.js';
import { computeGradients, computeSoftmaxGradients } from './objectives.js';
import type { GbdtObjective } from '../artifact/model-artifact.js';

/** Helper threads the host provides; each must pass every message it receives to `serveHistograms`. */
export interface HelperThreads {
  /** How many helpers there are (the calling thread works too); at most MAX_HELPERS are used. */
  readonly size: number;
  /** Nodes with fewer bin updates (rows x features) than this stay on the calling thread (default 32768). */
  readonly minParallelUpdates?: number;
  /** How long a thread waits for the others before the training fails (default 120 s: a helper died). */
  readonly stallMs?: number;
  /**
   * How many times a waiting thread checks for work before it sleeps (default 2,000, microseconds). Long spins (e.g.
   * LONG_SPINS, a few ms) keep the helpers awake through the trainer's serial work between jobs, which pays off when
   * every thread of the training has a core to itself; with more busy threads than cores they make training far slower.
   */
  readonly spins?: number;
  post(helper: number, message: HistogramHelperMessage): void;
}

/** What a helper needs to work on a training's trees; typed arrays over SharedArrayBuffers. */
export interface HistogramHelperMessage {
  type: 'modelyard-histograms';
  control: Int32Array;
  part: number;
  parts: number;
  codes: BinCodes;
  quads: CodeQuads | undefined;
  offsets: Int32Array;
  features: Int32Array;
  goLeft: Uint8Array;
  rows: Int32Array[];
  grads: Float64Array[];
  scratch: { g: Float64Array; h: Float64Array };
  left: Int32Array;
  right: Int32Array;
  hists: Float64Array[];
  /** Boosting only: the training target and each class's margins (empty arrays otherwise). */
  y: Float64Array;
  margins: Float64Array[];
  /** The latest tree's leaf table (see leafTable), for adding its leaves to the margins. */
  leaves: Float64Array;
  leafSides: Uint8Array;
}

export const MAX_HELPERS = 31;

// Slots of the control block.
const SEQ = 0;
const DONE = 1;
const COMMAND = 2;
const FAILED = 3;
const BARRIER = 4;
const HIST = 5;
const ROWS = 6;
const GRAD = 7;
const START = 8;
const END = 9;
const ALL = 10;
const N_FEATURES = 11;
const FEATURE = 12;
const OBJECTIVE = 13;
const N_LEAVES = 14;
const COUNTED = 15;
/** Histogram: the next chunk of features a thread may take. */
const NEXT_CHUNK = 16;
/** Partition: how many rows of each part went left. */
const LEFT_COUNTS = 17;
const CONTROL_SLOTS = LEFT_COUNTS + MAX_HELPERS + 3;

const HISTOGRAM = 1;
const PARTITION = 2;
const GRADIENTS = 3;
const LEAVES = 4;
const DETACH = 5;

const OBJECTIVES: GbdtObjective[] = ['squared_error', 'absolute_error', 'poisson', 'logistic', 'softmax'];
/** Most entries and goLeft bytes a shared leaf table holds; bigger trees add their leaves on the calling thread. */
const MAX_SHARED_LEAVES = 1 << 14;
const MAX_SHARED_SIDES = 1 << 20;

/** Below this many bin updates a node is summed on the calling thread: waking helpers costs more. */
const MIN_PARALLEL_UPDATES = 1 << 15;
/** Spins before sleeping by default: a helper woken within microseconds saves a futex round trip. */
const SPINS = 2000;
/**
 * Spins for a training whose threads each have a core (about 1-4 ms here): a helper stays awake through the trainer's
 * serial work between two jobs (split finding, bookkeeping), as waking a sleeping thread on a virtual machine costs
 * more than many jobs. Measured on 1M x 28, 2 threads on 2 cores: 2,000 spins 14.4 s, 200,000 spins 13.0 s.
 */
export const LONG_SPINS = 200_000;

/** Whether this runtime can share memory between threads. */
export function canShareMemory(): boolean {
  return typeof SharedArrayBuffer === 'function' && typeof Atomics === 'object';
}

export function sharedFloat64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * 8));
}

export function sharedInt32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * 4));
}

/** Bin-code arrays over shared memory, for binFrame. */
export function sharedCodes(length: number, wide: boolean): Uint8Array | Uint16Array {
  return wide ? new Uint16Array(new SharedArrayBuffer(length * 2)) : new Uint8Array(new SharedArrayBuffer(length));
}

/** Part `part` of `parts` of the range [from, to): contiguous, as even as possible. */
function share(from: number, to: number, part: number, parts: number): [number, number] {
  const n = to - from;
  return [from + Math.floor((part * n) / parts), from + Math.floor(((part + 1) * n) / parts)];
}

/** Waits until all `parts` threads have arrived (the trainer resets the counter before each job). */
function barrier(control: Int32Array, parts: number): void {
  if (Atomics.add(control, BARRIER, 1) + 1 === parts) {
    Atomics.notify(control, BARRIER);
    return;
  }
  waitUntil(control, BARRIER, parts);
}

/**
 * How long a thread waits for the others before it gives up: far beyond any one job (a 100M-row root histogram takes
 * seconds), so it only fires when a thread has died, which would otherwise hang the training for ever.
 */
const STALL_MS = 120_000;
/** Where the trainer leaves its stall limit and spin count for the helpers. */
const STALL = CONTROL_SLOTS - 1;
const SPIN_COUNT = CONTROL_SLOTS - 2;

/** Spins briefly, then sleeps until control[slot] reaches `target`; throws if that takes longer than the limit. */
function waitUntil(control: Int32Array, slot: number, target: number): void {
  const spins = control[SPIN_COUNT]!;
  for (let spin = 0; spin < spins && Atomics.load(control, slot) < target; spin++);
  const limit = control[STALL]!;
  const deadline = Date.now() + limit;
  for (let at = Atomics.load(control, slot); at < target; at = Atomics.load(control, slot)) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`A tree-building thread stopped answering (waited ${limit / 1000} s)`);
    Atomics.wait(control, slot, at, left);
  }
}

/** One thread's share of a job; the trainer runs part 0 itself. */
function runPart(m: HistogramHelperMessage, part: number): void {
  const { control, parts } = m;
  const rows = m.rows[control[ROWS]!]!;
  const start = control[START]!;
  const end = control[END]!;
  const [from, to] = share(start, end, part, parts);
  const command = control[COMMAND];
  if (command === GRADIENTS) {
    const objective = OBJECTIVES[control[OBJECTIVE]!]!;
    const grads = m.grads.filter((_, i) => i % 2 === 0);
    const hesses = m.grads.filter((_, i) => i % 2 === 1);
    if (objective === 'softmax') computeSoftmaxGradients(m.y, m.margins, grads, hesses, from, to);
    else computeGradients(objective, m.y, m.margins[0]!, grads[0]!, hesses[0]!, from, to);
    return;
  }
  if (command === LEAVES) {
    const c = control[GRAD]!;
    const table = { entries: m.leaves.subarray(0, LEAF_ENTRY * control[N_LEAVES]!), goLeft: m.leafSides };
    addLeafRanges(table, rows, m.codes, m.margins[c]!, from, to);
    return;
  }
  if (command === PARTITION) {
    const codes = m.codes[control[FEATURE]!]!;
    control[LEFT_COUNTS + part] = splitRows(rows, from, to, codes, m.goLeft, m.left, m.right);
    barrier(control, parts);
    let leftTo = start;
    let rightTo = start;
    let lefts = 0;
    for (let p = 0; p < parts; p++) {
      const count = control[LEFT_COUNTS + p]!;
      if (p < part) {
        leftTo += count;
        rightTo += share(start, end, p, parts)[1] - share(start, end, p, parts)[0] - count;
      }
      lefts += count;
    }
    placeRows(rows, from, to, control[LEFT_COUNTS + part]!, m.left, m.right, leftTo, rightTo + lefts);
    return;
  }
  const all = control[ALL] === 1;
  const c = control[GRAD]!;
  if (!all) {
    // Each thread gathers its slice of the node's gradients; all slices must be in before anyone sums.
    const slice = { g: m.scratch.g.subarray(from - start), h: m.scratch.h.subarray(from - start) };
    gatherGradients(rows, from, to, m.grads[2 * c]!, m.grads[2 * c + 1]!, slice);
    barrier(control, parts);
  }
  const g = all ? m.grads[2 * c]! : m.scratch.g;
  const h = all ? m.grads[2 * c + 1]! : m.scratch.h;
  // Threads take chunks of features until none is left: the faster or earlier thread does more, and which thread
  // sums a feature never changes its bits. Eight features (two packed quads, the dense kernel's pass) per chunk, the
  // last eight or more in chunks of four so that the threads finish close together.
  const nFeatures = control[N_FEATURES]!;
  const hist = m.hists[control[HIST]!]!;
  const counted = control[COUNTED] === 1;
  const wide = Math.max(0, Math.floor((nFeatures - 8) / 8));
  for (;;) {
    const chunk = Atomics.add(control, NEXT_CHUNK, 1);
    const first = chunk < wide ? 8 * chunk : 8 * wide + 4 * (chunk - wide);
    if (first >= nFeatures) break;
    const last = Math.min(nFeatures, first + (chunk < wide ? 8 : 4));
    addFeatureRange(hist, m.codes, m.features, first, last, m.offsets, rows, start, end, g, h, all, counted, m.quads);
  }
}

/**
 * The helper's side: attaches to the training's shared arrays, then does its share of each job it is woken for,
 * until the trainer detaches. Blocks its thread meanwhile (Atomics.wait), as a helper thread may.
 */
export function serveHistograms(message: HistogramHelperMessage): void {
  const { control, part } = message;
  let seq = Atomics.load(control, SEQ);
  const finish = () => {
    Atomics.add(control, DONE, 1);
    Atomics.notify(control, DONE);
  };
  finish(); // attached
  for (;;) {
    const spins = control[SPIN_COUNT]!;
    for (let spin = 0; spin < spins && Atomics.load(control, SEQ) === seq; spin++);
    Atomics.wait(control, SEQ, seq);
    seq = Atomics.load(control, SEQ);
    if (Atomics.load(control, COMMAND) === DETACH) {
      finish();
      return;
    }
    try {
      runPart(message, part);
    } catch {
      Atomics.store(control, FAILED, 1);
    }
    finish();
  }
}

/** The shared arrays of one training. */
export interface SharedTrainingArrays {
  /** Row buffers whose prefixes growTree partitions (one per class for softmax). */
  rows: Int32Array[];
  /** Gradient and hessian pairs: grads[2c] and grads[2c + 1]. */
  grads: Float64Array[];
  maxRows: number;
  /** Boosting: the target and each class's margins over the training rows. */
  y?: Float64Array;
  margins?: Float64Array[];
}

/**
 * The trainer's side. Rows, gradient and hessian arrays handed to `build` and `partition` must be views of the
 * shared arrays given here (a node's rows a range of one of `rows`); anything else, and small nodes, are worked on
 * the calling thread alone, which gives the same bits.
 */
export class SharedKernels implements NodeKernels {
  private readonly control = sharedInt32(CONTROL_SLOTS);
  private readonly hists: Float64Array[] = [];
  private readonly slotOf = new Map<Float64Array, number>();
  private readonly free: Float64Array[] = [];
  private readonly message: HistogramHelperMessage;
  private readonly helpers: number;
  private attached = false;
  /** A thread stopped answering: the helpers are in an unknown state and must not be waited for again. */
  private broken = false;

  constructor(
    private readonly threads: HelperThreads,
    private readonly data: KernelData,
    arrays: SharedTrainingArrays,
  ) {
    const { rows, grads, maxRows } = arrays;
    this.helpers = Math.min(threads.size, MAX_HELPERS);
    this.control[STALL] = threads.stallMs ?? STALL_MS;
    this.control[SPIN_COUNT] = threads.spins ?? SPINS;
    let maxBins = 1;
    for (const codes of data.codes) maxBins = Math.max(maxBins, codes instanceof Uint8Array ? 256 : 65536);
    this.message = {
      type: 'modelyard-histograms',
      control: this.control,
      part: 0,
      parts: this.helpers + 1,
      codes: data.codes,
      quads: data.quads,
      offsets: data.layout.offsets,
      features: sharedInt32(data.layout.offsets.length),
      goLeft: new Uint8Array(new SharedArrayBuffer(maxBins)),
      rows,
      grads,
      scratch: { g: sharedFloat64(maxRows), h: sharedFloat64(maxRows) },
      left: sharedInt32(maxRows),
      right: sharedInt32(maxRows),
      hists: this.hists,
      y: arrays.y ?? new Float64Array(0),
      margins: arrays.margins ?? [],
      leaves: sharedFloat64(LEAF_ENTRY * MAX_SHARED_LEAVES),
      leafSides: new Uint8Array(new SharedArrayBuffer(MAX_SHARED_SIDES)),
    };
  }

  /** Gradients and hessians of every class at the current margins (boosting; needs `y` and `margins`). */
  gradients(objective: GbdtObjective): void {
    const m = this.message;
    const n = m.y.length;
    if (n < (this.threads.minParallelUpdates ?? MIN_PARALLEL_UPDATES) || this.helpers === 0) {
      const grads = m.grads.filter((_, i) => i % 2 === 0);
      const hesses = m.grads.filter((_, i) => i % 2 === 1);
      if (objective === 'softmax') computeSoftmaxGradients(m.y, m.margins, grads, hesses);
      else computeGradients(objective, m.y, m.margins[0]!, grads[0]!, hesses[0]!);
      return;
    }
    this.control[OBJECTIVE] = OBJECTIVES.indexOf(objective);
    this.run(GRADIENTS, 0, 0, n);
  }

  /** Adds a grown tree's leaf values (see leafTable) to class c's margin for the rows rows[0..end) it was grown on. */
  addLeaves(table: LeafTable, rows: Int32Array, c: number): void {
    const m = this.message;
    const r = this.rowsIndex(rows);
    const small = rows.length < (this.threads.minParallelUpdates ?? MIN_PARALLEL_UPDATES);
    const fits = table.entries.length <= m.leaves.length && table.goLeft.length <= m.leafSides.length;
    if (small || r < 0 || !fits || this.helpers === 0) {
      addLeafRanges(table, rows, this.data.codes, m.margins[c]!);
      return;
    }
    m.leaves.set(table.entries);
    m.leafSides.set(table.goLeft);
    this.control[N_LEAVES] = table.entries.length / LEAF_ENTRY;
    this.control[GRAD] = c;
    this.run(LEAVES, r, 0, rows.length);
  }

  take(): Float64Array {
    const reused = this.free.pop();
    if (reused !== undefined) return reused.fill(0);
    const hist = sharedFloat64(this.data.totalBins * STRIDE);
    this.slotOf.set(hist, this.hists.length);
    this.hists.push(hist);
    // Helpers hold the slot list they were given: they must re-attach to see the new one.
    this.detach();
    return hist;
  }

  give(hist: Float64Array): void {
    this.free.push(hist);
  }

  build(
    hist: Float64Array,
    features: Int32Array,
    rows: Int32Array,
    start: number,
    end: number,
    grad: Float64Array,
    hess: Float64Array,
    counted: boolean,
  ): void {
    const m = this.message;
    const slot = this.slotOf.get(hist);
    const r = this.rowsIndex(rows);
    const c = m.grads.findIndex((shared, i) => i % 2 === 0 && shared === grad && m.grads[i + 1] === hess);
    const threshold = this.threads.minParallelUpdates ?? MIN_PARALLEL_UPDATES;
    const big = (end - start) * features.length >= threshold && features.length > 1;
    if (!big || slot === undefined || r < 0 || c < 0 || this.helpers === 0) {
      const { codes, layout } = this.data;
      buildHistogram(hist, codes, features, layout.offsets, rows, start, end, grad, hess, m.scratch, counted, m.quads);
      return;
    }
    m.features.set(features);
    const control = this.control;
    control[HIST] = slot;
    control[GRAD] = c / 2;
    control[ALL] = coversAllRows(rows, start, end, grad.length) ? 1 : 0;
    control[N_FEATURES] = features.length;
    control[COUNTED] = counted ? 1 : 0;
    this.run(HISTOGRAM, r, start, end);
  }

  partition(rows: Int32Array, start: number, end: number, feature: number, goLeft: Uint8Array): number {
    const m = this.message;
    const r = this.rowsIndex(rows);
    const threshold = this.threads.minParallelUpdates ?? MIN_PARALLEL_UPDATES;
    if (end - start < threshold || r < 0 || this.helpers === 0) {
      return partitionRows(rows, start, end, this.data.codes[feature]!, goLeft, m.left, m.right);
    }
    m.goLeft.set(goLeft);
    this.control[FEATURE] = feature;
    this.run(PARTITION, r, start, end);
    let lefts = 0;
    for (let p = 0; p <= this.helpers; p++) lefts += this.control[LEFT_COUNTS + p]!;
    return start + lefts;
  }

  /** Sends the helpers back to their event loops; call when training ends (also on failure). */
  detach(): void {
    if (!this.attached || this.broken) return;
    this.wake(DETACH);
    this.awaitHelpers();
    this.attached = false;
  }

  private rowsIndex(rows: Int32Array): number {
    return rows.byteOffset === 0 ? this.message.rows.findIndex((shared) => shared.buffer === rows.buffer) : -1;
  }

  private run(command: number, rows: number, start: number, end: number): void {
    if (this.broken) throw new Error('The tree-building helper threads stopped answering earlier');
    const control = this.control;
    try {
      this.attach();
      control[ROWS] = rows;
      control[START] = start;
      control[END] = end;
      Atomics.store(control, BARRIER, 0);
      Atomics.store(control, NEXT_CHUNK, 0);
      this.wake(command);
      runPart(this.message, 0);
      this.awaitHelpers();
    } catch (error) {
      this.broken = true;
      throw error;
    }
    if (Atomics.load(control, FAILED) === 1) {
      // Not the caller's doing, so not an EngineError: the kernels only throw on a bug.
      throw new Error('A tree-building helper thread failed');
    }
  }

  private attach(): void {
    if (this.attached) return;
    Atomics.store(this.control, DONE, 0);
    for (let i = 0; i < this.helpers; i++) this.threads.post(i, { ...this.message, part: i + 1 });
    this.awaitHelpers();
    this.attached = true;
  }

  private wake(command: number): void {
    Atomics.store(this.control, DONE, 0);
    Atomics.store(this.control, COMMAND, command);
    Atomics.add(this.control, SEQ, 1);
    Atomics.notify(this.control, SEQ);
  }

  private awaitHelpers(): void {
    waitUntil(this.control, DONE, this.helpers);
  }
}
