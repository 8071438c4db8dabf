// The golden path through the TypeScript SDK: upload → train → register → serve → predict.
// Run against a started server:  MODELYARD_TOKEN=$(cat .modelyard/initial-admin-token) npx tsx examples/sdk-quickstart.ts

import { readFile } from 'node:fs/promises';
import { ModelyardClient } from '@modelyard/client';

const client = new ModelyardClient({
  baseUrl: process.env.MODELYARD_URL ?? 'http://127.0.0.1:7420',
  token: process.env.MODELYARD_TOKEN ?? '',
});

const project = 'demo';
const data = new Uint8Array(await readFile(new URL('./data/credit_data.csv', import.meta.url)));
const dataset = await client.createDatasetFromFile(project, { name: 'credit-sdk', data, filename: 'credit_data.csv' });
console.log(`dataset ${dataset.name} version ${dataset.latestVersion?.version.slice(0, 12)}`);

const queued = await client.createRun(project, {
  dataset: dataset.name,
  target: 'Status',
  task: 'classification',
  algorithm: 'glm',
  params: { lambda: 0.001 },
});
const run = await client.waitForRun(queued.id, {
  onProgress: (r) => process.stdout.write(`\r${r.status} ${Math.round(r.progress * 100)}%`),
});
console.log(`\nrun ${run.id} ${run.status}: AUC ${String(run.metrics.auc)}`);
if (run.status !== 'succeeded') process.exit(1);

const models = await client.listModels(project);
const model =
  models.items.find((m) => m.name === 'credit-sdk-glm') ??
  (await client.createModel(project, { name: 'credit-sdk-glm' }));
const version = await client.registerModelVersion(model.id, run.id);
await client.setAlias(model.id, 'champion', version.version);

const endpoints = await client.listEndpoints(project);
const endpoint =
  endpoints.items.find((e) => e.name === 'credit-sdk') ??
  (await client.createEndpoint(project, { name: 'credit-sdk', model: 'credit-sdk-glm@champion' }));
const answer = await client.predict(
  endpoint.id,
  [{ Seniority: 9, Home: 'rent', Time: 60, Age: 30, Marital: 'married', Records: 'no', Job: 'freelance' }].map((r) => ({
    ...r,
    Expenses: 73,
    Income: 129,
    Assets: 0,
    Debt: 0,
    Amount: 800,
    Price: 846,
  })),
);
console.log(JSON.stringify(answer.predictions[0]));
