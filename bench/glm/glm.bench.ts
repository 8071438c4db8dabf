// GLM training, Modelyard engine vs scikit-learn, on real data sets: time to fit preprocessing + model and score the
// holdout, median of repeats, both measured in this run on this machine.

import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { trainGlmModel } from '@modelyard/engine';
import { FsArtifactStore } from '../../packages/server/src/artifacts/fs-artifact-store.js';
import { ingestFile, loadFrame, openDuckDb } from '../../packages/server/src/data/index.js';

const PYTHON = '/usr/bin/python3';
const DATA = process.env.MODELYARD_BENCH_DATA ?? fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const REPEATS = Number(process.env.MODELYARD_BENCH_REPEATS ?? 5);
const LAMBDA = 1e-4;

const CASES = [
  { file: 'credit_data.csv', target: 'Status', task: 'classification' as const, metric: 'auc' },
  { file: 'wa_churn.csv', target: 'churn', task: 'classification' as const, metric: 'auc' },
  { file: 'diamonds.csv', target: 'price', task: 'regression' as const, metric: 'rmse' },
  { file: 'ames.csv', target: 'Sale_Price', task: 'regression' as const, metric: 'rmse' },
];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = await mkdtemp(join(tmpdir(), 'modelyard-bench-'));
const duck = await openDuckDb();
const artifacts = new FsArtifactStore(dir);
const hasPeer = ((): boolean => {
  try {
    execFileSync(PYTHON, ['-c', 'import sklearn'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

console.log(`GLM training (lambda ${LAMBDA}, 80/20 holdout, median of ${REPEATS}); peer: scikit-learn via ${PYTHON}`);
console.log('data set           rows   modelyard ms  sklearn ms   ratio   modelyard metric  sklearn metric');
for (const c of CASES) {
  const path = join(DATA, c.file);
  const ingested = await ingestFile(duck, artifacts, { path, originalName: c.file });
  const frame = await artifacts.withLocalFile(ingested.snapshotKey, (p) => loadFrame(duck, p));
  const times: number[] = [];
  let score = NaN;
  for (let i = 0; i < REPEATS; i++) {
    const start = performance.now();
    const result = trainGlmModel(frame, { target: c.target, task: c.task, params: { lambda: LAMBDA } });
    times.push(performance.now() - start);
    score = result.metrics[c.metric]!;
  }
  let peer = { ms: NaN, score: NaN };
  if (hasPeer) {
    const out = execFileSync(PYTHON, [
      fileURLToPath(new URL('./sklearn_peer.py', import.meta.url)),
      path,
      c.target,
      c.task,
      String(LAMBDA),
      String(REPEATS),
    ]);
    peer = JSON.parse(out.toString()) as { ms: number; score: number };
  }
  const ours = median(times);
  console.log(
    `${c.file.padEnd(16)} ${String(frame.nRows).padStart(6)} ${ours.toFixed(1).padStart(13)} ${peer.ms.toFixed(1).padStart(11)}` +
      ` ${(peer.ms / ours).toFixed(2).padStart(6)}x ${score.toFixed(4).padStart(17)} ${peer.score.toFixed(4).padStart(15)}`,
  );
}
console.log('ratio = sklearn time / modelyard time (above 1: Modelyard is faster)');
await duck.close();
await rm(dir, { recursive: true, force: true });
