// End to end through a real browser: sign in to the built web UI and read the demo project's datasets, runs and models.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/chromium.js';
import { startTestServer } from '../helpers/test-server.js';

const WEB_DIST = fileURLToPath(new URL('../../packages/web/dist/index.html', import.meta.url));
const SCREENSHOT = '/tmp/modelyard-web.png';

type TestServer = Awaited<ReturnType<typeof startTestServer>>;

describe('web UI in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(WEB_DIST)) throw new Error(`${WEB_DIST} is missing: run \`npm run build\` before this test.`);
    server = await startTestServer({ demoRun: true });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function openPage(): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(server.url);
    return page;
  }

  async function signIn(page: Page, token: string): Promise<void> {
    await page.getByTestId('token-input').fill(token);
    await page.getByTestId('sign-in').click();
  }

  it('tells the user when a token is not accepted', async () => {
    const page = await openPage();
    await signIn(page, 'myd_this-token-does-not-exist');
    const error = page.getByTestId('sign-in-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/token was not accepted/i);
    // Still on the sign-in form, and nothing was kept.
    expect(await page.getByTestId('sign-in-form').isVisible()).toBe(true);
    expect(await page.evaluate(() => sessionStorage.getItem('modelyard.token'))).toBeNull();
    await page.context().close();
  });

  it('signs in and shows the demo dataset, run and model', async () => {
    const page = await openPage();
    await signIn(page, server.token);

    // Project list → demo.
    const project = page.getByTestId('project-demo');
    await project.waitFor();
    expect(await project.getByTestId('role').textContent()).toMatch(/admin|editor|viewer/);
    await project.click();
    await page.getByTestId('project-title').waitFor();
    expect(await page.getByTestId('project-title').textContent()).toBe('demo');

    // Datasets: credit_data with its row count, then its profile.
    const dataset = page.getByTestId('dataset-row-credit_data');
    await dataset.waitFor();
    expect(digits(await dataset.getByTestId('dataset-rows').textContent())).toBe(4454);
    expect(await dataset.getByTestId('dataset-version').textContent()).toMatch(/^[0-9a-f]{12}$/);
    await dataset.click();
    const profile = page.getByTestId('dataset-profile');
    await profile.waitFor();
    expect(digits(await profile.getByTestId('profile-rows').textContent())).toBe(4454);
    expect(await profile.locator('[data-testid^="profile-column-"]').count()).toBeGreaterThan(1);
    // The charts rendered bars, not just an empty frame.
    await profile.getByTestId('chart-null-rate').locator('.recharts-bar-rectangle').first().waitFor();
    await profile.getByTestId('chart-top-values').locator('.recharts-bar-rectangle').first().waitFor();
    // A numeric column shows its distribution as a histogram.
    await profile.getByTestId('profile-column-Income').click();
    await profile.getByTestId('chart-histogram').locator('.recharts-bar-rectangle').first().waitFor();
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // Runs: the demo GLM run, succeeded, with an AUC shown to 4 decimals.
    await page.getByTestId('tab-runs').click();
    const run = page.locator('[data-testid^="run-row-"]').first();
    await run.waitFor();
    await run.locator('[data-testid="run-status"][data-status="succeeded"]').waitFor({ timeout: 60_000 });
    const aucText = (await run.getByTestId('metric-auc').textContent()) ?? '';
    expect(aucText).toMatch(/^\d\.\d{4}$/);
    const auc = Number(aucText);
    expect(auc).toBeGreaterThan(0.5);
    expect(auc).toBeLessThanOrEqual(1);
    await run.click();
    await page.getByTestId('run-detail').waitFor();
    await page.screenshot({ path: '/tmp/modelyard-web-runs.png', fullPage: true });

    // Models: credit-glm with its champion alias.
    await page.getByTestId('tab-models').click();
    const model = page.getByTestId('model-row-credit-glm');
    await model.waitFor();
    expect(await model.getByTestId('alias-champion').textContent()).toMatch(/^champion\s*→\s*v\d+$/);
    await page.screenshot({ path: '/tmp/modelyard-web-models.png', fullPage: true });
    // Its versions offer exports: the JavaScript download is the module itself.
    await model.click();
    const exports = page.getByTestId('exports-1');
    await exports.waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      exports.getByRole('button', { name: 'JS', exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('credit-glm-v1.mjs');
    const saved = await download.path();
    expect(readFileSync(saved, 'utf8')).toMatch(/export function predict\(/);
    await page.screenshot({ path: '/tmp/modelyard-web-model-versions.png', fullPage: true });

    // Endpoints: the tab renders (a table or its empty state).
    await page.getByTestId('tab-endpoints').click();
    await page.locator('[data-testid="endpoints-table"], [data-testid="endpoints-empty"]').first().waitFor();

    // Sign out returns to the form and forgets the token.
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in-form').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('modelyard.token'))).toBeNull();

    expect(pageErrors).toEqual([]);
    await page.context().close();
  });
});

/** "4,454" → 4454. */
function digits(text: string | null): number {
  return Number((text ?? '').replace(/[^\d.]/g, ''));
}
