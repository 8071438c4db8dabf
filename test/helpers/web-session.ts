// A browser page signed in to a test server's web UI with the admin token, inside the demo project.
import type { Browser, BrowserContext, Page } from 'playwright-core';

export async function demoProjectPage(
  browser: Browser,
  server: { url: string; token: string },
  pageErrors: string[],
  viewport = { width: 1360, height: 900 },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(server.url);
  await page.getByTestId('token-input').fill(server.token);
  await page.getByTestId('sign-in').click();
  await page.getByTestId('project-demo').click();
  return { context, page };
}
