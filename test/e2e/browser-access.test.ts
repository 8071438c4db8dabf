// Roles in the browser: an outsider following a project's link gets a page that says there is no access and what to
// do, not an empty screen; a viewer sees the project without the controls that change it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardClient } from '@modelyard/client';
import { launchChromium } from '../helpers/chromium.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const WEB_DIST = fileURLToPath(new URL('../../packages/web/dist/index.html', import.meta.url));

describe('access in the web UI', () => {
  let server: TestServer;
  let browser: Browser;
  const tokens: Record<string, string> = {};
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(WEB_DIST)) throw new Error(`${WEB_DIST} is missing: run \`npm run build\` before this test.`);
    server = await startTestServer({ demoRun: true });
    const admin = new ModelyardClient({ baseUrl: server.url, token: server.token });
    for (const [name, role] of [
      ['outsider', null],
      ['watcher', 'viewer'],
    ] as const) {
      const user = await admin.createUser({ name });
      tokens[name] = (await admin.createToken(user.id, 'web')).token;
      if (role !== null) await admin.setMember('demo', user.id, role);
    }
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signedIn(token: string, hash = '') {
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(server.url);
    await page.getByTestId('token-input').fill(token);
    await page.getByTestId('sign-in').click();
    await page.getByTestId('header-search').waitFor();
    if (hash !== '') await page.goto(`${server.url}/${hash}`);
    return { context, page };
  }

  it('tells an outsider at a project link that there is no access and what to do', async () => {
    const { context, page } = await signedIn(tokens.outsider!, '#/projects/demo/models');
    const notice = page.getByTestId('no-access');
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(/No access to “demo”/);
    expect(await notice.textContent()).toMatch(/Ask one of its admins to add you/);
    await page.screenshot({ path: '/tmp/modelyard-web-no-access.png', fullPage: true });
    await notice.getByRole('link', { name: 'Your projects' }).click();
    await page.getByTestId('no-access').waitFor({ state: 'detached' });
    expect(await page.getByTestId('project-demo').count()).toBe(0);
    await context.close();
  });

  it('shows a viewer the project without the buttons that change it', async () => {
    const { context, page } = await signedIn(tokens.watcher!);
    await page.getByTestId('project-demo').click();
    await page.getByTestId('tab-models').click();
    await page.getByTestId('model-row-credit-glm').click();
    await page.getByTestId('explain-toggle-1').click();
    await page.getByTestId('explanation-1').waitFor();
    expect(await page.getByRole('button', { name: /Compute/ }).count()).toBe(0);
    await page.getByTestId('tab-endpoints').click();
    await page.getByTestId('drift-toggle-credit-scoring').click();
    await page.locator('[data-testid="drift-empty"], [data-testid="chart-drift"]').first().waitFor();
    expect(await page.getByRole('button', { name: /Compare the last 24 h/ }).count()).toBe(0);
    expect(pageErrors).toEqual([]);
    await context.close();
  });
});
