// Per-row TreeSHAP of a 100-tree depth-6 GBDT on credit_data against XGBoost's pred_contribs for a model of the same
// shape, measured in one run (see README.md).

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { trainGbdtModel } from '../../packages/engine/src/gbdt/train-gbdt-model.js';
import { csvFrame } from '../../packages/engine/src/test-support/csv-frame.js';
import { treeExplainer, treeInputColumns, treeShap } from '../../packages/engine/src/explain/tree-shap.js';

const DATA = fileURLToPath(new URL('../../../shared/data/credit_data.csv', import.meta.url));
const SINGLE_CALLS = Number(process.argv[2] ?? 2000);
const PARAMS = { nTrees: 100, maxDepth: 6, learningRate: 0.1, maxBins: 256, lambda: 1, testFraction: 0 };

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]!;
}

const frame = csvFrame(readFileSync(DATA, 'utf8'));
const { artifact } = trainGbdtModel(frame, { target: 'Status', task: 'classification', params: PARAMS });
const nodes = artifact.model.trees.reduce((n, tree) => n + tree.feature.length, 0);
const kernel = treeExplainer(artifact);
const columns = treeInputColumns(artifact, frame);
const stride = kernel.nFeatures * kernel.nOutputs;
const out = new Float64Array(stride);
const rows = Math.min(SINGLE_CALLS, frame.nRows);

// Warm-up, then one explainRow call per row, as a serving endpoint explains one record.
for (let i = 0; i < 500; i++) kernel.explainRow(columns, i % frame.nRows, out.fill(0), 0);
const times: number[] = [];
for (let i = 0; i < rows; i++) {
  out.fill(0);
  const started = performance.now();
  kernel.explainRow(columns, i, out, 0);
  times.push((performance.now() - started) * 1000);
}
times.sort((a, b) => a - b);
const started = performance.now();
treeShap(artifact, frame);
const batch = ((performance.now() - started) * 1000) / frame.nRows;
const ours = { p50: percentile(times, 0.5), p99: percentile(times, 0.99), batch };

const script = fileURLToPath(new URL('xgb_contribs.py', import.meta.url));
const peer = JSON.parse(
  execFileSync('/usr/bin/python3', [script, DATA, String(rows)], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .pop()!,
) as { p50_us: number; p99_us: number; batch_us_per_row: number; nodes: number };

const fmt = (v: number) => v.toFixed(1).padStart(8);
console.log(`credit_data: ${frame.nRows} rows, ${kernel.nFeatures} features; ${rows} single-row calls each`);
console.log(
  `models: Modelyard ${artifact.model.trees.length} trees / ${nodes} nodes, XGBoost 100 trees / ${peer.nodes} nodes`,
);
console.log('per-row µs          Modelyard   XGBoost   ratio (XGBoost / Modelyard)');
console.log(`single row p50     ${fmt(ours.p50)}  ${fmt(peer.p50_us)}  ${(peer.p50_us / ours.p50).toFixed(2)}`);
console.log(`single row p99     ${fmt(ours.p99)}  ${fmt(peer.p99_us)}  ${(peer.p99_us / ours.p99).toFixed(2)}`);
console.log(
  `batch (all rows)   ${fmt(ours.batch)}  ${fmt(peer.batch_us_per_row)}  ${(peer.batch_us_per_row / ours.batch).toFixed(2)}`,
);
