// HPO studies: TPE against random search with the same budget and seed, on wa_churn.csv (GBDT, 50 trials,
// parallelism 2), through a real server. Reports each study's best validation (holdout) AUC, the mean of its five
// best trials, and its wall time; repeated for a few seeds so one lucky draw does not decide.
// Usage: node --import tsx bench/hpo/hpo.bench.ts [trials] [seeds]

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ModelyardClient, type Study } from '../../packages/client/src/index.js';
import { startServer } from '../../packages/server/src/start.js';

const TOKEN = 'myd_bench-admin-token-0123456789abcdefghijklmnopqrst';
const DATA = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const TRIALS = Number(process.argv[2] ?? 50);
const SEEDS = Number(process.argv[3] ?? 3);

const SPACE = {
  nTrees: { kind: 'int', low: 20, high: 400, log: true },
  maxDepth: { kind: 'int', low: 2, high: 8 },
  learningRate: { kind: 'loguniform', low: 0.005, high: 0.5 },
  minChildWeight: { kind: 'loguniform', low: 0.1, high: 50 },
  subsample: { kind: 'uniform', low: 0.5, high: 1 },
  colsampleByTree: { kind: 'uniform', low: 0.3, high: 1 },
  lambda: { kind: 'loguniform', low: 0.001, high: 30 },
} as const;

async function runStudy(client: ModelyardClient, kind: 'tpe' | 'random', seed: number) {
  const started = performance.now();
  const created = await client.createStudy('bench', {
    name: `${kind}-${seed}`,
    dataset: 'wa_churn',
    target: 'churn',
    task: 'classification',
    algorithm: 'gbdt',
    space: SPACE,
    params: { seed: 1, testFraction: 0.25 },
    sampler: { kind, seed },
    parallelism: 2,
    maxTrials: TRIALS,
  });
  let study: Study = created;
  while (study.status === 'running') {
    await new Promise((r) => setTimeout(r, 500));
    study = await client.getStudy(created.id);
  }
  const values = (await client.listTrials(study.id)).map((t) => t.value ?? -Infinity).sort((a, b) => b - a);
  const top5 = values.slice(0, 5).reduce((a, b) => a + b, 0) / 5;
  return { best: study.bestValue ?? NaN, top5, seconds: (performance.now() - started) / 1000, done: study.trials };
}

const dataDir = await mkdtemp(join(tmpdir(), 'modelyard-bench-hpo-'));
const server = await startServer({
  port: 0,
  dataDir,
  adminToken: TOKEN,
  seedDemo: false,
  logger: false,
  workers: 2,
  trainThreads: 1,
  allowedRoots: [DATA],
});
try {
  const client = new ModelyardClient({ baseUrl: server.url, token: TOKEN });
  await client.createProject({ name: 'bench' });
  await client.createDatasetFromPath('bench', { name: 'wa_churn', path: 'wa_churn.csv' });
  const rows: string[] = [];
  let wins = 0;
  for (let seed = 1; seed <= SEEDS; seed++) {
    const tpe = await runStudy(client, 'tpe', seed);
    const random = await runStudy(client, 'random', seed);
    if (tpe.best > random.best) wins++;
    rows.push(
      `| ${seed} | ${tpe.best.toFixed(4)} | ${random.best.toFixed(4)} | ${(tpe.best - random.best).toFixed(4)} | ` +
        `${tpe.top5.toFixed(4)} | ${random.top5.toFixed(4)} | ${tpe.seconds.toFixed(0)} s | ${random.seconds.toFixed(0)} s |`,
    );
    console.log(rows.at(-1));
  }
  console.log(
    `\nwa_churn, GBDT, ${TRIALS} trials each, parallelism 2; TPE beat random on best AUC in ${wins}/${SEEDS} seeds`,
  );
  console.log(
    '| seed | TPE best AUC | random best AUC | TPE − random | TPE top-5 mean | random top-5 mean | TPE time | random time |',
  );
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) console.log(row);
} finally {
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
}
