// GBDT regression on flights-3m (vega-datasets): Modelyard's engine against XGBoost hist with native categoricals,
// same rows, same split, same parameters, measured in one run.

import { execFileSync } from 'node:child_process';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import {
  holdoutSplit,
  LONG_SPINS,
  predictFrame,
  rmse,
  trainGbdtModel,
  type Column,
  type Frame,
} from '@modelyard/engine';
import { HistogramThreads } from '../../packages/server/src/jobs/histogram-threads.js';
import { loadFrame, openDuckDb } from '../../packages/server/src/data/index.js';
import { quoteLiteral } from '../../packages/server/src/data/sql-quote.js';

const { values: args } = parseArgs({
  options: {
    trees: { type: 'string', default: '100' },
    depth: { type: 'string', default: '6' },
    rows: { type: 'string', default: '0' },
  },
});
const params = { nTrees: Number(args.trees), maxDepth: Number(args.depth), learningRate: 0.1, maxBins: 256, lambda: 1 };
const rowLimit = Number(args.rows);

const SOURCE = fileURLToPath(new URL('../../node_modules/vega-datasets/data/flights-3m.parquet', import.meta.url));
const DATA = fileURLToPath(new URL('../.data/flights/', import.meta.url));
const NUMBERS = ['hour', 'dow', 'month', 'distance', 'delay'] as const;
const CATEGORIES = ['origin', 'destination'] as const;
const FEATURES = ['hour', 'dow', 'month', 'distance', 'origin', 'destination'];

// The derived columns in SQL, written as a Parquet snapshot and read back by the server's own loader (the path a
// user's dataset takes), so the frame is what training in the product would see. Rows stay in file order.
await rm(DATA, { recursive: true, force: true });
await mkdir(DATA, { recursive: true });
const prepared = `${DATA}prepared.parquet`;
const db = await openDuckDb({ threads: 2 });
const loadStart = performance.now();
await db.withConnection(async (connection) => {
  await connection.run(
    `COPY (SELECT hour(date) AS hour, isodow(date) AS dow, month(date) AS month, distance, origin, destination, delay
       FROM read_parquet(${quoteLiteral(SOURCE)}) ${rowLimit > 0 ? `LIMIT ${rowLimit}` : ''})
     TO ${quoteLiteral(prepared)} (FORMAT parquet)`,
  );
});
const frame = await loadFrame(db, prepared);
await db.close();
const loadSeconds = (performance.now() - loadStart) / 1000;

// A seeded 80/20 split of the rows (the file is sorted by date, so a tail split would hold out unseen months).
const split = holdoutSplit(frame.nRows, { testFraction: 0.2, seed: 42 });
const train = frame.take(split.train);
const test = frame.take(split.test);

// The same columns and split for Python (which has no Parquet reader here): raw little-endian arrays + a JSON header.
const isTest = new Uint8Array(frame.nRows);
for (const row of split.test) isTest[row] = 1;
const bytesOf = (array: Float64Array | Int32Array | Uint8Array) =>
  new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
const dictionaries: Record<string, string[]> = {};
for (const name of [...NUMBERS, ...CATEGORIES]) {
  const column: Column = frame.column(name);
  if (column.kind === 'number') await writeFile(`${DATA}${name}.f64`, bytesOf(column.values));
  else {
    await writeFile(`${DATA}${name}.i32`, bytesOf(column.codes));
    dictionaries[name] = column.dictionary;
  }
}
await writeFile(`${DATA}is_test.u8`, bytesOf(isTest));
await writeFile(
  `${DATA}meta.json`,
  JSON.stringify({ rows: frame.nRows, numbers: NUMBERS, categories: CATEGORIES, dictionaries, params }),
);

function fit(trainFrame: Frame): { seconds: number; predict: (f: Frame) => Float64Array } {
  // Two threads like the peer: the training thread plus one histogram helper.
  const start = performance.now();
  const { artifact } = trainGbdtModel(trainFrame.select([...FEATURES, 'delay']), {
    target: 'delay',
    task: 'regression',
    params: { ...params, objective: 'squared_error', testFraction: 0 },
    threads: helpers,
  });
  return { seconds: (performance.now() - start) / 1000, predict: (f) => predictFrame(artifact, f) };
}

const helpers = new HistogramThreads(1);
// As the server runs a training that has the cores to itself (see TrainRequest.spinWait).
helpers.spins = LONG_SPINS;
// Started before the clock, as the server's helpers live across trainings.
await helpers.ready();

const ours = fit(train);
await helpers.close();
const delay = test.column('delay');
if (delay.kind !== 'number') throw new Error('delay should be numeric');
const ourRmse = rmse(delay.values, ours.predict(test.select(FEATURES)));

const peer = JSON.parse(
  execFileSync('/usr/bin/python3', [fileURLToPath(new URL('./peer.py', import.meta.url))], {
    env: { ...process.env, OMP_NUM_THREADS: '2' },
  }).toString(),
) as { peer: string; train_s: number; rmse: number; train_rows: number; test_rows: number };
if (peer.train_rows !== train.nRows || peer.test_rows !== test.nRows) throw new Error('the peer saw other rows');

console.log(
  `GBDT regression on flights-3m: ${train.nRows} train / ${test.nRows} test rows (seeded 80/20), ` +
    `${params.nTrees} trees, depth ${params.maxDepth}, learning rate 0.1, 256 bins, lambda 1`,
);
console.log(`features: hour, day of week, month, distance (numbers); origin, destination (categories)`);
console.log(`load (DuckDB → Parquet → frame, untimed in the ratio): ${loadSeconds.toFixed(2)} s`);
console.log(`${'who'.padEnd(40)} ${'train s'.padStart(8)} ${'test RMSE'.padStart(10)}`);
console.log(
  `${'modelyard (2 threads)'.padEnd(40)} ${ours.seconds.toFixed(2).padStart(8)} ${ourRmse.toFixed(4).padStart(10)}`,
);
console.log(`${peer.peer.padEnd(40)} ${peer.train_s.toFixed(2).padStart(8)} ${peer.rmse.toFixed(4).padStart(10)}`);
const rmseRatio = ourRmse / peer.rmse;
console.log(`time ratio (peer / ours): ${(peer.train_s / ours.seconds).toFixed(2)}x`);
console.log(
  `RMSE ratio (ours / peer): ${rmseRatio.toFixed(4)} → ${rmseRatio <= 1.01 ? 'within' : 'NOT within'} 1 % of XGBoost`,
);
