// AutoML against XGBoost tuned with the same time budget, on held-out data neither saw. Each data set is split once
// (80/20, seeded); Modelyard's AutoML runs on the training split through a real server and its leader scores the
// test split; the peer (xgb_tune.py: random search with 3-fold CV, best refitted) gets the same split and budget.
// Usage: node --import tsx bench/automl/automl.bench.ts [seconds] [dataset...]   (datasets: credit_data, ames)

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArtifact, predictRecords, rmse, rocAuc } from '../../packages/engine/src/index.js';
import { seededRandom } from '../../packages/engine/src/validation/random.js';
import { ModelyardClient } from '../../packages/client/src/index.js';
import { startServer } from '../../packages/server/src/start.js';

const TOKEN = 'myd_bench-admin-token-0123456789abcdefghijklmnopqrst';
const SHARED = fileURLToPath(new URL('../../../shared/data/', import.meta.url));
const WORK = fileURLToPath(new URL('../.data/automl/', import.meta.url));
const PEER = fileURLToPath(new URL('./xgb_tune.py', import.meta.url));
const SECONDS = Number(process.argv[2] ?? 120);
const SETS = {
  credit_data: { file: 'credit_data.csv', target: 'Status', task: 'classification' as const },
  ames: { file: 'ames.csv', target: 'Sale_Price', task: 'regression' as const },
};
const wanted = (process.argv.slice(3).length > 0 ? process.argv.slice(3) : Object.keys(SETS)) as (keyof typeof SETS)[];

/** Splits the CSV's lines 80/20 with a seeded shuffle; the header goes to both. */
function split(name: string, file: string): { train: string; test: string } {
  const [header, ...lines] = readFileSync(join(SHARED, file), 'utf8').trimEnd().split('\n');
  const random = seededRandom(20261125);
  const order = lines.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const cut = Math.floor(lines.length * 0.8);
  mkdirSync(WORK, { recursive: true });
  const train = join(WORK, `${name}-train.csv`);
  const test = join(WORK, `${name}-test.csv`);
  writeFileSync(
    train,
    `${header}\n${order
      .slice(0, cut)
      .map((i) => lines[i])
      .join('\n')}\n`,
  );
  writeFileSync(
    test,
    `${header}\n${order
      .slice(cut)
      .map((i) => lines[i])
      .join('\n')}\n`,
  );
  return { train, test };
}

/** CSV rows as records: unquoted cells that read as numbers become numbers, empty and NA cells null. */
function records(path: string): Record<string, string | number | null>[] {
  const [header, ...lines] = readFileSync(path, 'utf8').trimEnd().split('\n');
  const names = parseLine(header!).map((c) => c.text);
  return lines.map((line) => {
    const cells = parseLine(line);
    return Object.fromEntries(
      names.map((name, i) => {
        const cell = cells[i] ?? { text: '', quoted: false };
        if (!cell.quoted && (cell.text === '' || cell.text === 'NA')) return [name, null];
        const number = Number(cell.text);
        return [name, !cell.quoted && Number.isFinite(number) ? number : cell.text];
      }),
    );
  });
}

/** One CSV line's cells (RFC 4180 quotes), each with whether it was quoted. */
function parseLine(line: string): { text: string; quoted: boolean }[] {
  const out: { text: string; quoted: boolean }[] = [];
  let text = '';
  let quoted = false;
  let inQuotes = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (inQuotes) {
      if (c === '"' && line[i + 1] === '"') {
        text += '"';
        i++;
      } else if (c === '"') inQuotes = false;
      else text += c;
    } else if (c === '"') {
      inQuotes = true;
      quoted = true;
    } else if (c === ',') {
      out.push({ text, quoted });
      text = '';
      quoted = false;
    } else text += c;
  }
  out.push({ text, quoted });
  return out;
}

const dataDir = await mkdtemp(join(tmpdir(), 'modelyard-bench-automl-'));
const server = await startServer({
  port: 0,
  dataDir,
  adminToken: TOKEN,
  seedDemo: false,
  logger: false,
  workers: 2,
  trainThreads: 1,
  allowedRoots: [WORK],
});
const rows: string[] = [];
try {
  const client = new ModelyardClient({ baseUrl: server.url, token: TOKEN });
  await client.createProject({ name: 'bench' });
  for (const name of wanted) {
    const set = SETS[name];
    const { train, test } = split(name, set.file);
    await client.createDatasetFromPath('bench', { name, path: train });
    const started = performance.now();
    let job = await client.startAutoml('bench', {
      dataset: name,
      target: set.target,
      task: set.task,
      timeBudgetSeconds: SECONDS,
      seed: 1,
    });
    while (job.status === 'running') {
      await new Promise((r) => setTimeout(r, 1000));
      job = await client.getAutoml(job.id);
    }
    const seconds = (performance.now() - started) / 1000;
    const board = await client.automlLeaderboard(job.id);
    const leader = board[0]!;
    const artifact = parseArtifact(
      JSON.parse(
        await (
          await fetch(`${server.url}/api/v1/runs/${leader.runId}/artifact`, {
            headers: { authorization: `Bearer ${TOKEN}` },
          })
        ).text(),
      ),
    );
    const testRecords = records(test);
    const predictions = predictRecords(
      artifact,
      testRecords.map(({ [set.target]: _, ...features }) => features),
    );
    let ours: number;
    if (set.task === 'classification') {
      const classes = Object.keys((predictions[0] as { probabilities: Record<string, number> }).probabilities).sort();
      const positive = classes.at(-1)!;
      const truth = testRecords.map((r) => (String(r[set.target]) === positive ? 1 : 0));
      ours = rocAuc(
        truth,
        predictions.map((p) => (p as { probabilities: Record<string, number> }).probabilities[positive]!),
      );
    } else {
      ours = rmse(
        testRecords.map((r) => Number(r[set.target])),
        predictions.map((p) => (p as { value: number }).value),
      );
    }
    // Asynchronously: the server in this process keeps its connections alive meanwhile.
    const { stdout } = await promisify(execFile)(
      '/usr/bin/python3',
      [PEER, train, test, set.target, set.task, String(SECONDS), '1'],
      { encoding: 'utf8' },
    );
    const peer = JSON.parse(stdout.trim()) as { value: number; trials: number; seconds: number };
    const gap = set.task === 'classification' ? peer.value - ours : (ours - peer.value) / peer.value;
    const target = set.task === 'classification' ? '≤ 0.01 AUC' : '≤ 2 % RMSE';
    rows.push(
      `| ${name} | ${set.task === 'classification' ? 'AUC' : 'RMSE'} | ${ours.toFixed(4)} (${leader.name}, ` +
        `CV ${leader.metric?.toFixed(4)} ± ${leader.std?.toFixed(4)}; ${board.length} candidates, ${seconds.toFixed(0)} s) | ` +
        `${peer.value.toFixed(4)} (${peer.trials} trials, ${peer.seconds.toFixed(0)} s) | ` +
        `${set.task === 'classification' ? gap.toFixed(4) : `${(gap * 100).toFixed(2)} %`} | ${target} |`,
    );
    console.log(rows.at(-1));
    console.log(board.map((r) => `  ${r.rank}. ${r.name} ${r.metric?.toFixed(4)} ± ${r.std?.toFixed(4)}`).join('\n'));
  }
  console.log(`\nAutoML vs XGBoost tuned with the same budget (${SECONDS} s), scored on a held-out 20 %:`);
  console.log(
    '| data set | metric | Modelyard AutoML leader (test) | XGBoost tuned (test) | gap (XGBoost better by) | target |',
  );
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const row of rows) console.log(row);
} finally {
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
}
