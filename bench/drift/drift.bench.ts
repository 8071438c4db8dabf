// Drift of 1,000,000 current rows × 28 columns against a 100,000-row reference, per column with Evidently's default
// test (normalised Wasserstein for numbers with many values, Jensen–Shannon for few values and categories), then
// dataset drift. Peer, same data in the same run: SciPy + numpy doing the same tests (`drift_peer.py`, Debian's
// python3-scipy), as Evidently computes them. Only the statistics are timed, on both sides: data generation and
// loading are not.
//
// node --import tsx bench/drift/drift.bench.ts [rounds] [--no-peer]

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { columnDrift, datasetDrift, type ColumnSample } from '../../packages/engine/src/drift/index.js';

const ROUNDS = Number(process.argv[2] ?? 3);
const PEER = !process.argv.includes('--no-peer');
const REFERENCE_ROWS = 100_000;
const CURRENT_ROWS = 1_000_000;
const CONTINUOUS = 20;
const FEW_VALUES = 4;
const CATEGORIES = 4;

let state = 42;
function uniform(): number {
  state = (Math.imul(1664525, state) + 1013904223) >>> 0;
  return state / 2 ** 32;
}
function normal(): number {
  return Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Column j of a side: continuous (every third column shifted in the current data), few integer values, or codes. */
function column(j: number, rows: number, current: boolean): Float64Array {
  const out = new Float64Array(rows);
  const shifted = current && j % 3 === 0;
  for (let i = 0; i < rows; i++) {
    if (j < CONTINUOUS) {
      out[i] = i % 50 === 7 ? NaN : normal() * (1 + j / 10) + j + (shifted ? 0.3 : 0);
    } else if (j < CONTINUOUS + FEW_VALUES) {
      out[i] = Math.floor(uniform() * (shifted ? 3.3 : 3));
    } else {
      const levels = 10 + 10 * (j - CONTINUOUS - FEW_VALUES);
      out[i] = Math.floor(uniform() ** (shifted ? 1.2 : 1) * levels);
    }
  }
  return out;
}

function counts(codes: Float64Array): Map<string, number> {
  const byCode: number[] = [];
  for (const c of codes) byCode[c] = (byCode[c] ?? 0) + 1;
  return new Map(byCode.map((n, c) => [`level_${c}`, n] as [string, number]).filter(([, n]) => n !== undefined));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const columns = CONTINUOUS + FEW_VALUES + CATEGORIES;
const reference = Array.from({ length: columns }, (_, j) => column(j, REFERENCE_ROWS, false));
const current = Array.from({ length: columns }, (_, j) => column(j, CURRENT_ROWS, true));
const isCategory = (j: number) => j >= CONTINUOUS + FEW_VALUES;

const times: number[] = [];
let summary = '';
for (let round = 0; round < ROUNDS; round++) {
  const started = performance.now();
  const results = reference.map((ref, j) => {
    const sample = (values: Float64Array): ColumnSample =>
      isCategory(j) ? { kind: 'category', counts: counts(values) } : { kind: 'number', values };
    return columnDrift(sample(ref), sample(current[j]!));
  });
  const dataset = datasetDrift(results);
  times.push(performance.now() - started);
  const tests = new Map<string, number>();
  for (const r of results) tests.set(r.test, (tests.get(r.test) ?? 0) + 1);
  summary =
    `${dataset.driftedColumns}/${dataset.columns} columns drifted (dataset drift: ${dataset.drifted}); tests: ` +
    [...tests].map(([t, n]) => `${t} ×${n}`).join(', ');
}
console.log(`${CURRENT_ROWS} × ${columns} current vs ${REFERENCE_ROWS} reference rows — ${summary}`);
console.log(
  `Modelyard (one thread, Node ${process.version}): median ${median(times).toFixed(0)} ms ` +
    `(${times.map((t) => t.toFixed(0)).join(', ')})`,
);

if (PEER) {
  const dir = mkdtempSync(join(tmpdir(), 'modelyard-bench-drift-'));
  try {
    const write = (name: string, cols: Float64Array[], rows: number) => {
      const all = new Float64Array(cols.length * rows);
      cols.forEach((c, j) => all.set(c, j * rows));
      writeFileSync(join(dir, name), all);
    };
    write('reference.f64', reference, REFERENCE_ROWS);
    write('current.f64', current, CURRENT_ROWS);
    const script = fileURLToPath(new URL('drift_peer.py', import.meta.url));
    const args = [script, dir, String(REFERENCE_ROWS), String(CURRENT_ROWS), String(columns)];
    const out = execFileSync('/usr/bin/python3', [...args, String(CONTINUOUS + FEW_VALUES), String(ROUNDS)], {
      encoding: 'utf8',
    });
    const peer = JSON.parse(out.trim().split('\n').pop()!) as { ms: number[]; drifted: number };
    const peerMedian = median(peer.ms);
    console.log(
      `SciPy + numpy (drift_peer.py): median ${peerMedian.toFixed(0)} ms (${peer.ms.map((t) => t.toFixed(0)).join(', ')}), ` +
        `${peer.drifted}/${columns} columns drifted; peer time / ours ${(peerMedian / median(times)).toFixed(2)}×`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
