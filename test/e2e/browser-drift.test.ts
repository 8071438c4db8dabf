// Monitoring in the browser: an endpoint's drift (the empty state, a comparison started by a click, the chart over
// time and the newest report's columns) and a version's global explanation computed by a click (an imported ONNX
// version's on a dataset named in the panel).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardClient, type FeatureRecord } from '@modelyard/client';
import { launchChromium } from '../helpers/chromium.js';
import { ONNX_FIXTURES, uploadCreditCards } from '../helpers/onnx-fixtures.js';
import { demoProjectPage } from '../helpers/web-session.js';
import { creditRecords } from '../helpers/golden-data.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const WEB_DIST = fileURLToPath(new URL('../../packages/web/dist/index.html', import.meta.url));

describe('drift in the web UI', () => {
  let server: TestServer;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(WEB_DIST)) throw new Error(`${WEB_DIST} is missing: run \`npm run build\` before this test.`);
    server = await startTestServer({ demoRun: true });
    const client = new ModelyardClient({ baseUrl: server.url, token: server.token });
    const endpoint = await client.createEndpoint('demo', { name: 'credit-live', model: 'credit-glm@champion' });
    const rows = ((await creditRecords(4454)) as FeatureRecord[]).filter((_, i) => i % 8 === 0);
    for (let i = 0; i < rows.length; i += 100) await client.predict(endpoint.id, rows.slice(i, i + 100));
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('compares traffic with training on a click and draws the result', async () => {
    const { context, page } = await demoProjectPage(browser, server, pageErrors);
    await page.getByTestId('tab-endpoints').click();
    await page.getByTestId('drift-toggle-credit-live').click();
    await page.getByTestId('drift-empty').waitFor();
    await page.getByRole('button', { name: /Compare the last 24 h/ }).click();
    await page.getByTestId('chart-drift').waitFor();
    const summary = await page.getByTestId('drift-summary').textContent();
    expect(summary).toMatch(/of 13 features drifted/);
    expect(summary).toMatch(/557 rows/);
    expect(await page.getByTestId('drift-row-Income').textContent()).toMatch(/wasserstein/);
    expect(await page.getByTestId('drift-row-prediction').isVisible()).toBe(true);
    await page.screenshot({ path: '/tmp/modelyard-web-drift.png', fullPage: true });
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it("computes a version's explanation on a click and draws the importances", async () => {
    const { context, page } = await demoProjectPage(browser, server, pageErrors);
    await page.getByTestId('tab-models').click();
    await page.getByTestId('model-row-credit-glm').click();
    await page.getByTestId('explain-toggle-1').click();
    const panel = page.getByTestId('explanation-1');
    await panel.waitFor();
    expect(await panel.textContent()).toMatch(/No explanation is stored/);
    await panel.getByRole('button', { name: 'Compute the explanation' }).click();
    await page.getByTestId('chart-importance').waitFor();
    expect(await panel.textContent()).toMatch(/Computed on 2000 rows/);
    // Fairness slices by a column the editor names, then the model card as Markdown.
    await page.getByTestId('fairness-columns-1').fill('Marital');
    await page.getByRole('button', { name: 'Compute fairness slices' }).click();
    const table = page.getByTestId('fairness-table-Marital');
    await table.waitFor();
    expect(await table.textContent()).toMatch(/demographic parity ratio 0\.\d{3}/);
    expect(await table.textContent()).toMatch(/married/);
    const [card] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('model-card-1').getByRole('button', { name: 'Markdown' }).click(),
    ]);
    expect(card.suggestedFilename()).toBe('credit-glm-v1-model-card.md');
    expect(readFileSync(await card.path(), 'utf8')).toMatch(/credit-glm/);
    await page.screenshot({ path: '/tmp/modelyard-web-explanation.png', fullPage: true });
    expect(pageErrors).toEqual([]);
    await context.close();
  });

  it('explains an imported ONNX version on a dataset named in the panel', async () => {
    const client = new ModelyardClient({ baseUrl: server.url, token: server.token });
    await uploadCreditCards(client, 'demo', 'credit_cards');
    const imported = await client.createModel('demo', { name: 'sk-forest' });
    await client.importOnnx(imported.id, readFileSync(join(ONNX_FIXTURES, 'credit-forest.onnx')));

    const { context, page } = await demoProjectPage(browser, server, pageErrors);
    await page.getByTestId('tab-models').click();
    await page.getByTestId('model-row-sk-forest').click();
    await page.getByTestId('explain-toggle-1').click();
    const panel = page.getByTestId('explanation-1');
    await panel.waitFor();
    const compute = panel.getByRole('button', { name: 'Compute the explanation' });
    expect(await compute.isDisabled()).toBe(true);
    await page.getByTestId('explanation-dataset-1').fill('credit_cards');
    await compute.click();
    await page.getByTestId('chart-importance').waitFor();
    expect(await panel.textContent()).toMatch(/Computed on 200 rows of dataset version [0-9a-f]+; baseline log_loss/);
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
