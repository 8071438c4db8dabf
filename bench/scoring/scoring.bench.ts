// Scoring throughput and model loading: Modelyard's artifact scorer against XGBoost inplace_predict, each on its own
// 100-tree model trained on the same rows with the same parameters, measured in one run.

import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  Frame,
  parseArtifact,
  predictFrame,
  predictRecords,
  rocAuc,
  trainGbdtModel,
  type Column,
  type FeatureRecord,
} from '@modelyard/engine';

const { values: args } = parseArgs({
  options: {
    'train-rows': { type: 'string', default: '200000' },
    'single-calls': { type: 'string', default: '20000' },
    'batch-rows': { type: 'string', default: '100000' },
    'load-train-rows': { type: 'string', default: '20000' },
  },
});
const TRAIN_ROWS = Number(args['train-rows']);
const SINGLE_CALLS = Number(args['single-calls']);
const BATCH_ROWS = Number(args['batch-rows']);
const LOAD_TRAIN_ROWS = Number(args['load-train-rows']);
const PARAMS = { maxDepth: 6, learningRate: 0.1, maxBins: 256, lambda: 1, testFraction: 0 };

const DATA = fileURLToPath(new URL('../.data/synthetic-1m/', import.meta.url));
const meta = JSON.parse(await readFile(`${DATA}meta.json`, 'utf8')) as {
  rows: number;
  features: number;
  train_rows: number;
};
const x = new Float64Array((await readFile(`${DATA}X.f64`)).buffer.slice(0));
const y = new Float64Array((await readFile(`${DATA}y.f64`)).buffer.slice(0));
// Scoring rows come from the held-out part of the file, after every row any model was trained on.
const SCORE_FROM = meta.train_rows;
if (TRAIN_ROWS > SCORE_FROM || SCORE_FROM + Math.max(BATCH_ROWS, SINGLE_CALLS) > meta.rows) {
  throw new Error('not enough rows in bench/.data/synthetic-1m for these sizes');
}

/** Column-major frame of rows [from, to), the engine's layout; built outside every timed part. */
function frameOf(from: number, to: number, withTarget: boolean): Frame {
  const columns: Column[] = [];
  for (let f = 0; f < meta.features; f++) {
    const values = new Float64Array(to - from);
    for (let r = from; r < to; r++) values[r - from] = x[r * meta.features + f]!;
    columns.push({ kind: 'number', name: `f${f}`, values });
  }
  if (withTarget) columns.push({ kind: 'number', name: 'y', values: y.slice(from, to) });
  return Frame.fromColumns(columns);
}

function recordOf(row: number): FeatureRecord {
  const record: FeatureRecord = {};
  for (let f = 0; f < meta.features; f++) record[`f${f}`] = x[row * meta.features + f]!;
  return record;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function train(rows: number, nTrees: number) {
  return trainGbdtModel(frameOf(0, rows, true), {
    target: 'y',
    task: 'classification',
    params: { ...PARAMS, nTrees },
  }).artifact;
}

// Single rows: one record per predictRecords call, as a serving endpoint sees them (validation included).
const artifact = train(TRAIN_ROWS, 100);
const records = Array.from({ length: SINGLE_CALLS }, (_, i) => recordOf(SCORE_FROM + i));
for (let i = 0; i < Math.min(2000, SINGLE_CALLS); i++) predictRecords(artifact, [records[i]!]);
const singleStart = performance.now();
for (let i = 0; i < SINGLE_CALLS; i++) predictRecords(artifact, [records[i]!]);
const singleMicros = ((performance.now() - singleStart) * 1000) / SINGLE_CALLS;

// Batch: one predictFrame call over BATCH_ROWS rows; median of 5 after one warm-up.
const batch = frameOf(SCORE_FROM, SCORE_FROM + BATCH_ROWS, false);
predictFrame(artifact, batch);
const batchSeconds = median(
  Array.from({ length: 5 }, () => {
    const start = performance.now();
    predictFrame(artifact, batch);
    return (performance.now() - start) / 1000;
  }),
);
const batchAuc = rocAuc(y.subarray(SCORE_FROM, SCORE_FROM + BATCH_ROWS), predictFrame(artifact, batch));

// Loading: JSON text of a 500-tree model to a checked artifact; median of 10 after one warm-up.
const bigText = JSON.stringify(train(LOAD_TRAIN_ROWS, 500));
const big = parseArtifact(JSON.parse(bigText));
const nodes = big.model.kind === 'gbdt' ? big.model.trees.reduce((n, t) => n + t.feature.length, 0) : 0;
const loads = Array.from({ length: 11 }, () => {
  const start = performance.now();
  const json: unknown = JSON.parse(bigText);
  const parsed = performance.now();
  parseArtifact(json);
  return { json: parsed - start, check: performance.now() - parsed };
}).slice(1);
const loadJsonMs = median(loads.map((l) => l.json));
const loadCheckMs = median(loads.map((l) => l.check));
const loadMs = median(loads.map((l) => l.json + l.check));

const peer = JSON.parse(
  execFileSync(
    '/usr/bin/python3',
    [
      fileURLToPath(new URL('./peer.py', import.meta.url)),
      JSON.stringify({
        train_rows: TRAIN_ROWS,
        single_calls: SINGLE_CALLS,
        batch_rows: BATCH_ROWS,
        load_train_rows: LOAD_TRAIN_ROWS,
        score_from: SCORE_FROM,
      }),
    ],
    { env: { ...process.env, OMP_NUM_THREADS: '2' } },
  ).toString(),
) as {
  peer: string;
  single_us: number;
  single_us_1thread: number;
  batch_s: number;
  batch_auc: number;
  load_ms: number;
  load_nodes: number;
  load_bytes: number;
};

const rowsPerSecond = (seconds: number) => Math.round(BATCH_ROWS / seconds).toLocaleString('en-US');
console.log(
  `GBDT scoring: binary, 100 trees depth 6 trained on the first ${TRAIN_ROWS} rows of synthetic-1m (28 features); ` +
    `scored rows are held out`,
);
console.log(`peer: ${peer.peer}`);
console.log(`${'figure'.padEnd(34)} ${'modelyard'.padStart(12)} ${'xgboost'.padStart(12)} ${'ratio'.padStart(8)}`);
const line = (label: string, ours: string, theirs: string, ratio: number) =>
  console.log(`${label.padEnd(34)} ${ours.padStart(12)} ${theirs.padStart(12)} ${`${ratio.toFixed(2)}x`.padStart(8)}`);
line(
  `single row, µs/call (${SINGLE_CALLS} calls)`,
  singleMicros.toFixed(1),
  peer.single_us.toFixed(1),
  peer.single_us / singleMicros,
);
line(
  `single row, µs/call, xgboost 1 thr`,
  singleMicros.toFixed(1),
  peer.single_us_1thread.toFixed(1),
  peer.single_us_1thread / singleMicros,
);
line(
  `batch ${BATCH_ROWS} rows, rows/s`,
  rowsPerSecond(batchSeconds),
  rowsPerSecond(peer.batch_s),
  peer.batch_s / batchSeconds,
);
line(`load 500 trees, ms`, loadMs.toFixed(1), peer.load_ms.toFixed(1), peer.load_ms / loadMs);
console.log(`ratios are XGBoost time / Modelyard time (above 1: Modelyard is faster)`);
console.log(`batch AUC (sanity): modelyard ${batchAuc.toFixed(4)}, xgboost ${peer.batch_auc.toFixed(4)}`);
console.log(
  `load: modelyard ${(bigText.length / 1e6).toFixed(2)} MB JSON, ${nodes} nodes ` +
    `(JSON.parse ${loadJsonMs.toFixed(1)} ms + parseArtifact ${loadCheckMs.toFixed(1)} ms); ` +
    `xgboost ${(peer.load_bytes / 1e6).toFixed(2)} MB JSON, ${peer.load_nodes} nodes (Booster.load_model)`,
);
