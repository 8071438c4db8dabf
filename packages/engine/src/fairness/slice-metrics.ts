// Fairness slices: metrics per segment of one or two columns (and their intersection), with the disparity between
// the segments. Small groups are reported but left out of the disparity.
import { EngineError } from '../errors.js';
import { disparity, type Disparity } from './disparity.js';
import { groupMetrics, type GroupMetrics, type ScoredRows } from './group-metrics.js';
import { segmentGroups, type SegmentColumn, type SegmentGroups } from './segment-groups.js';

export interface SliceMetricsInput {
  task: 'classification' | 'regression';
  /** The truth per row: class labels (classification) or finite numbers (regression). */
  y: readonly string[] | ArrayLike<number>;
  /** The model's answer per row: predicted labels (classification) or values (regression). */
  predictions: readonly string[] | ArrayLike<number>;
  /** Classification: P(positiveClass) per row, for the groups' AUC. */
  scores?: ArrayLike<number> | undefined;
  /** Classification: the model's classes; the positive class defaults to the second of two. */
  classes?: readonly string[] | undefined;
  positiveClass?: string | undefined;
  /** One or two columns; with two, their intersection is sliced too. */
  segments: SegmentColumn[];
  /** Groups with fewer rows are reported (`small: true`) but not compared. Default 30. */
  minGroupSize?: number | undefined;
  /** Quantile bins of a numeric segment with more distinct values than this. Default 4. */
  bins?: number | undefined;
}

export interface SliceGroup extends GroupMetrics {
  /** One label per column of the table. */
  values: string[];
  small: boolean;
}

export interface SliceTable {
  columns: string[];
  groups: SliceGroup[];
  disparity: Disparity;
}

export interface SliceMetrics {
  task: 'classification' | 'regression';
  /** null for regression. */
  positiveClass: string | null;
  minGroupSize: number;
  overall: GroupMetrics;
  /** Edges of each binned numeric column (lowest, cut points…, highest). */
  bins: { column: string; edges: number[] }[];
  /** One table per column, then the intersection of two columns. */
  tables: SliceTable[];
}

export const DEFAULT_MIN_GROUP_SIZE = 30;
const DEFAULT_BINS = 4;

export function sliceMetrics(input: SliceMetricsInput): SliceMetrics {
  const { task, segments } = input;
  const minGroupSize = input.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE;
  const bins = input.bins ?? DEFAULT_BINS;
  if (segments.length < 1 || segments.length > 2) {
    throw new EngineError('invalid_param', `Slice by one or two columns, got ${segments.length}`);
  }
  if (segments.length === 2 && segments[0]!.name === segments[1]!.name) {
    throw new EngineError('invalid_param', `Column "${segments[0]!.name}" is listed twice`);
  }
  if (!(Number.isInteger(minGroupSize) && minGroupSize >= 1)) {
    throw new EngineError('invalid_param', `minGroupSize must be a positive integer`, { minGroupSize });
  }
  if (!(Number.isInteger(bins) && bins >= 2 && bins <= 100)) {
    throw new EngineError('invalid_param', `bins must be an integer in [2, 100]`, { bins });
  }
  const n = input.y.length;
  if (input.predictions.length !== n || (input.scores !== undefined && input.scores.length !== n)) {
    throw new EngineError('length_mismatch', `y, predictions and scores need one value per row`);
  }
  const { rows, positiveClass } = task === 'regression' ? regressionRows(input) : classificationRows(input);
  const groups = segments.map((s) => segmentGroups(s, n, bins));
  const tables = groups.map((g) => sliceTable(rows, [g], minGroupSize));
  if (groups.length === 2) tables.push(sliceTable(rows, groups, minGroupSize));
  return {
    task,
    positiveClass,
    minGroupSize,
    overall: groupMetrics(
      rows,
      Int32Array.from({ length: n }, (_, i) => i),
      n,
    ),
    bins: groups.flatMap((g) => (g.edges === undefined ? [] : [{ column: g.name, edges: g.edges }])),
    tables,
  };
}

/** Groups of one column, or every combination of two that has rows (the first column's order first). */
function sliceTable(rows: ScoredRows, columns: SegmentGroups[], minGroupSize: number): SliceTable {
  const n = rows.truth.length;
  const width = columns.length === 2 ? columns[1]!.labels.length : 1;
  const cells = columns[0]!.labels.length * width;
  const cellOf = new Int32Array(n);
  const sizes = new Int32Array(cells);
  for (let i = 0; i < n; i++) {
    const cell = columns[0]!.group[i]! * width + (columns.length === 2 ? columns[1]!.group[i]! : 0);
    cellOf[i] = cell;
    sizes[cell]!++;
  }
  // Rows grouped by cell in one array (no per-row objects), each cell's slice ascending.
  const starts = new Int32Array(cells + 1);
  for (let c = 0; c < cells; c++) starts[c + 1] = starts[c]! + sizes[c]!;
  const order = new Int32Array(n);
  const filled = starts.slice(0, cells);
  for (let i = 0; i < n; i++) order[filled[cellOf[i]!]!++] = i;
  const groups: SliceGroup[] = [];
  for (let c = 0; c < cells; c++) {
    if (sizes[c] === 0) continue;
    const values = [columns[0]!.labels[Math.floor(c / width)]!];
    if (columns.length === 2) values.push(columns[1]!.labels[c % width]!);
    const members = order.subarray(starts[c]!, starts[c + 1]!);
    groups.push({ values, small: members.length < minGroupSize, ...groupMetrics(rows, members, n) });
  }
  return {
    columns: columns.map((c) => c.name),
    groups,
    disparity: disparity(groups.filter((g) => !g.small)),
  };
}

function regressionRows(input: SliceMetricsInput): { rows: ScoredRows; positiveClass: null } {
  const truth = numbers(input.y, 'y');
  const predicted = numbers(input.predictions, 'predictions');
  return {
    rows: {
      task: 'regression',
      truth,
      predicted,
      trueClass: new Int32Array(0),
      predictedClass: new Int32Array(0),
      scores: undefined,
    },
    positiveClass: null,
  };
}

function numbers(values: readonly string[] | ArrayLike<number>, field: string): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new EngineError('invalid_input', `${field}[${i}] must be a finite number for regression`, { row: i });
    }
    out[i] = v;
  }
  return out;
}

function classificationRows(input: SliceMetricsInput): { rows: ScoredRows; positiveClass: string } {
  const truthLabels = labels(input.y, 'y');
  const predictedLabels = labels(input.predictions, 'predictions');
  const classes = input.classes ?? [...new Set([...truthLabels, ...predictedLabels])].sort();
  const positiveClass = input.positiveClass ?? (classes.length === 2 ? classes[1] : undefined);
  if (positiveClass === undefined) {
    throw new EngineError('invalid_param', 'Name the positive class: the model has more than two classes', {
      classes,
    });
  }
  if (!classes.includes(positiveClass)) {
    throw new EngineError('invalid_param', `"${positiveClass}" is not one of the classes`, { positiveClass, classes });
  }
  // Codes for every label seen, known classes first, so a label the model never predicts still counts as wrong.
  const codes = new Map(classes.map((c, i) => [c, i]));
  const code = (label: string) => {
    let k = codes.get(label);
    if (k === undefined) codes.set(label, (k = codes.size));
    return k;
  };
  const n = truthLabels.length;
  const rows: ScoredRows = {
    task: 'classification',
    truth: new Float64Array(n),
    predicted: new Float64Array(n),
    trueClass: new Int32Array(n),
    predictedClass: new Int32Array(n),
    scores: input.scores === undefined ? undefined : Float64Array.from(input.scores),
  };
  for (let i = 0; i < n; i++) {
    rows.truth[i] = truthLabels[i] === positiveClass ? 1 : 0;
    rows.predicted[i] = predictedLabels[i] === positiveClass ? 1 : 0;
    rows.trueClass[i] = code(truthLabels[i]!);
    rows.predictedClass[i] = code(predictedLabels[i]!);
  }
  if (rows.scores !== undefined && rows.scores.some((s) => !Number.isFinite(s))) {
    throw new EngineError('invalid_input', 'scores must be finite numbers');
  }
  return { rows, positiveClass };
}

function labels(values: readonly string[] | ArrayLike<number>, field: string): string[] {
  return Array.from(values as ArrayLike<string | number>, (v) => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    throw new EngineError('invalid_input', `${field} holds a missing label`, { field });
  });
}
