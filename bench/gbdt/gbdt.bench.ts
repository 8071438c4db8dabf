// GBDT on the synthetic 1M x 28 binary set: Modelyard's engine against XGBoost hist and scikit-learn
// HistGradientBoosting, same rows (first 80 % train, rest test), same parameters, measured in one run.

import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Frame, LONG_SPINS, predictFrame, rocAuc, trainGbdtModel, type Column } from '@modelyard/engine';
import { HistogramThreads } from '../../packages/server/src/jobs/histogram-threads.js';

const DATA = fileURLToPath(new URL('../.data/synthetic-1m/', import.meta.url));
const meta = JSON.parse(await readFile(`${DATA}meta.json`, 'utf8')) as {
  rows: number;
  features: number;
  train_rows: number;
};
const x = new Float64Array((await readFile(`${DATA}X.f64`)).buffer.slice(0));
const y = new Float64Array((await readFile(`${DATA}y.f64`)).buffer.slice(0));

/** Column-major frames for rows [from, to): the engine's layout, built once outside the timed part. */
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

const train = frameOf(0, meta.train_rows, true);
const test = frameOf(meta.train_rows, meta.rows, false);
const rawBytes = meta.train_rows * meta.features * 8;
// Training blocks the event loop, so the peak comes from the OS (maxRSS, KiB) rather than from sampling.
const rssBefore = process.memoryUsage().rss;

// Two threads like the peers: the training thread plus one histogram helper. `--threads 1` measures one thread.
const threadsArg = process.argv.indexOf('--threads');
const threadCount = threadsArg > 0 ? Number(process.argv[threadsArg + 1]) : 2;
const helpers = new HistogramThreads(threadCount - 1);
// As the server runs a training that has the cores to itself (see TrainRequest.spinWait).
helpers.spins = LONG_SPINS;
// Started before the clock, as the server's helpers live across trainings.
await helpers.ready();
const start = performance.now();
const { artifact } = trainGbdtModel(train, {
  target: 'y',
  task: 'classification',
  params: { nTrees: 100, maxDepth: 6, learningRate: 0.1, maxBins: 256, lambda: 1, testFraction: 0 },
  threads: helpers,
});
const seconds = (performance.now() - start) / 1000;
const peakRss = process.resourceUsage().maxRSS * 1024;
await helpers.close();
const auc = rocAuc(y.subarray(meta.train_rows), predictFrame(artifact, test));

const peers = execFileSync('/usr/bin/python3', [fileURLToPath(new URL('./peers.py', import.meta.url))], {
  env: { ...process.env, OMP_NUM_THREADS: '2' },
})
  .toString()
  .trim()
  .split('\n')
  .map((line) => JSON.parse(line) as { peer: string; train_s: number; auc: number });

console.log(
  `GBDT binary, ${meta.train_rows} x ${meta.features} train / ${meta.rows - meta.train_rows} test, 100 trees depth 6`,
);
console.log(`${'who'.padEnd(40)} ${'train s'.padStart(8)} ${'test AUC'.padStart(9)} ${'peer/ours'.padStart(10)}`);
const ours = `modelyard (${threadCount} thread${threadCount === 1 ? '' : 's'})`;
console.log(`${ours.padEnd(40)} ${seconds.toFixed(2).padStart(8)} ${auc.toFixed(4).padStart(9)}`);
for (const p of peers) {
  console.log(
    `${p.peer.padEnd(40)} ${p.train_s.toFixed(2).padStart(8)} ${p.auc.toFixed(4).padStart(9)} ${(p.train_s / seconds).toFixed(2).padStart(9)}x`,
  );
}
console.log(
  `modelyard peak RSS growth during training: ${((peakRss - rssBefore) / rawBytes).toFixed(2)}x the raw feature bytes`,
);
