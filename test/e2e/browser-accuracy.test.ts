// Accuracy in the browser: an endpoint's panel shows the empty state before any label, then, after predictions and
// feedback labels, the chart and the rolling 7-day metrics the API computes.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardClient, type ClassPrediction, type Endpoint, type FeatureRecord } from '@modelyard/client';
import { launchChromium } from '../helpers/chromium.js';
import { demoProjectPage } from '../helpers/web-session.js';
import { creditRecords } from '../helpers/golden-data.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const WEB_DIST = fileURLToPath(new URL('../../packages/web/dist/index.html', import.meta.url));

describe('accuracy in the web UI', () => {
  let server: TestServer;
  let browser: Browser;
  let client: ModelyardClient;
  let endpoint: Endpoint;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(WEB_DIST)) throw new Error(`${WEB_DIST} is missing: run \`npm run build\` before this test.`);
    server = await startTestServer({ demoRun: true });
    client = new ModelyardClient({ baseUrl: server.url, token: server.token });
    endpoint = await client.createEndpoint('demo', { name: 'credit-labelled', model: 'credit-glm@champion' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function openPanel() {
    const { context, page } = await demoProjectPage(browser, server, pageErrors, { width: 1360, height: 1000 });
    await page.getByTestId('tab-endpoints').click();
    await page.getByTestId('drift-toggle-credit-labelled').click();
    await page.getByTestId(`accuracy-panel-${endpoint.id}`).waitFor();
    return { context, page };
  }

  it('shows the empty state, then the chart once predictions have feedback labels', async () => {
    const before = await openPanel();
    await before.page.getByTestId('accuracy-empty').waitFor();
    await before.context.close();

    const rows = (await creditRecords(200)) as FeatureRecord[];
    const reply = await client.predict(endpoint.id, rows);
    // The true label of every other record disagrees with the answer: accuracy 0.5.
    const labels = (reply.predictions as ClassPrediction[]).map((answer, index) => ({
      requestId: reply.requestId,
      index,
      label: index % 2 === 0 ? answer.label : Object.keys(answer.probabilities).find((c) => c !== answer.label)!,
    }));
    expect((await client.sendFeedback(endpoint.id, labels)).accepted).toBe(200);
    const series = await client.accuracy(endpoint.id, { bucket: '1h', window: '7d' });
    const rolling = series.buckets.at(-1)!.rolling!;

    const { page, context } = await openPanel();
    await page.getByTestId('chart-accuracy').waitFor();
    // One hour of labels: the bucket's point is drawn as a dot.
    await page.locator('[data-testid="chart-accuracy"] .recharts-line-dots circle').first().waitFor();
    const summary = await page.getByTestId('accuracy-summary').textContent();
    expect(summary).toContain('200 labelled records over the last 7d');
    expect(summary).toContain('accuracy 0.5000');
    expect(summary).toContain(`auc ${rolling.metrics.auc!.toFixed(4)}`);
    await page.getByRole('button', { name: 'daily' }).click();
    await page.getByTestId('chart-accuracy').waitFor();
    expect(await page.getByTestId('accuracy-summary').textContent()).toContain('200 labelled records');
    await page.screenshot({ path: '/tmp/modelyard-web-accuracy.png', fullPage: true });
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
