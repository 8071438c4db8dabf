// Elastic-net GLM, Modelyard engine vs scikit-learn, on the same design matrix: the engine encodes the data once
// (mean imputation, standardisation, one-hot), writes the encoded columns to a temporary CSV, and both libraries fit
// that exact matrix at the same penalty. Prints fit times, their ratio and the largest coefficient difference.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { denseColumn, type DesignMatrix } from '../../packages/engine/src/preprocess/design-matrix.js';
import { encodeFrame } from '../../packages/engine/src/preprocess/encode-frame.js';
import { encodeTarget } from '../../packages/engine/src/preprocess/encode-target.js';
import { fitPreprocessing } from '../../packages/engine/src/preprocess/fit-preprocessing.js';
import { fitGlm } from '../../packages/engine/src/glm/fit-glm.js';
import { csvFrame } from '../../packages/engine/src/test-support/csv-frame.js';

const PYTHON = '/usr/bin/python3';
const DATA = process.env.MODELYARD_BENCH_DATA ?? fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const REPEATS = Number(process.env.MODELYARD_BENCH_REPEATS ?? 3);
const ALPHA = 0.5;
const LAMBDAS = [1e-3, 1e-2];

/**
 * Tolerances that bring each solver's coefficients within about 1e-6 of the optimum on these designs (the engine's
 * threshold is on the weighted squared coefficient change per sweep; diamonds' carat, x, y and z are nearly
 * collinear, which needs a tighter one). scikit-learn: ElasticNet tol 1e-12 (duality gap), saga tol 1e-10.
 */
const CASES = [
  { file: 'diamonds.csv', target: 'price', family: 'gaussian' as const, tolerance: 1e-26 },
  { file: 'wa_churn.csv', target: 'churn', family: 'binomial' as const, tolerance: 1e-18 },
];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function writeDesign(path: string, x: DesignMatrix, y: Float64Array): void {
  const columns = Array.from({ length: x.width }, (_, j) => denseColumn(x, j));
  const lines = [[...columns.map((_, j) => `x${j}`), 'y'].join(',')];
  for (let i = 0; i < x.nRows; i++) lines.push([...columns.map((c) => String(c[i])), String(y[i])].join(','));
  writeFileSync(path, lines.join('\n') + '\n');
}

const dir = mkdtempSync(join(tmpdir(), 'modelyard-enet-'));
console.log(
  `Elastic net, alpha ${ALPHA}, same encoded design for both, fit time median of ${REPEATS}; peer: scikit-learn via ${PYTHON}`,
);
console.log('data set       rows  cols  lambda   modelyard ms  sklearn ms   ratio  max |coef diff|  sklearn model');
for (const c of CASES) {
  const frame = csvFrame(readFileSync(join(DATA, c.file), 'utf8'));
  const features = frame.names.filter((name) => name !== c.target);
  const task = c.family === 'gaussian' ? 'regression' : 'classification';
  const { y } = encodeTarget(frame, c.target, task);
  const x = encodeFrame(frame, fitPreprocessing(frame, features).encodings);
  const designPath = join(dir, `${c.file}.design.csv`);
  writeDesign(designPath, x, y);
  for (const lambda of LAMBDAS) {
    const times: number[] = [];
    let fit = fitGlm(x, y, {
      family: c.family,
      lambda,
      alpha: ALPHA,
      maxIterations: 1_000_000,
      tolerance: c.tolerance,
    });
    for (let r = 0; r < REPEATS; r++) {
      // A fresh design object each time, so no repeat reuses the Gram matrix the solver caches per design.
      const fresh = { ...x };
      const start = performance.now();
      fit = fitGlm(fresh, y, {
        family: c.family,
        lambda,
        alpha: ALPHA,
        maxIterations: 1_000_000,
        tolerance: c.tolerance,
      });
      times.push(performance.now() - start);
    }
    const peer = JSON.parse(
      execFileSync(PYTHON, [
        fileURLToPath(new URL('./sklearn_elastic_net.py', import.meta.url)),
        designPath,
        c.family,
        String(lambda),
        String(ALPHA),
        String(REPEATS),
      ]).toString(),
    ) as { ms: number; intercept: number; coefficients: number[] };
    const ours = [fit.intercepts[0]!, ...fit.coefficients[0]!];
    const theirs = [peer.intercept, ...peer.coefficients];
    const diff = Math.max(...ours.map((b, j) => Math.abs(b - theirs[j]!)));
    const ms = median(times);
    console.log(
      `${c.file.padEnd(13)} ${String(x.nRows).padStart(5)} ${String(x.width).padStart(5)}  ${lambda.toExponential(0).padEnd(6)}` +
        ` ${ms.toFixed(1).padStart(13)} ${peer.ms.toFixed(1).padStart(11)} ${(peer.ms / ms).toFixed(2).padStart(6)}x` +
        ` ${diff.toExponential(2).padStart(16)}  ${c.family === 'gaussian' ? 'ElasticNet' : 'LogisticRegression(saga)'}` +
        `${fit.converged ? '' : ' (modelyard not converged)'}`,
    );
  }
}
console.log('ratio = sklearn time / modelyard time (above 1: Modelyard is faster); coefficients include the intercept');
rmSync(dir, { recursive: true, force: true });
