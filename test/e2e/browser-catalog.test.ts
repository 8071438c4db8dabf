// End to end through a real browser: header search, the SQL workbench (results, errors, paging, saving a derived
// dataset) and database connections (create, test, delete), as an admin and as a viewer who sees less.
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardClient } from '@modelyard/client';
import { launchChromium } from '../helpers/chromium.js';
import { startTestServer } from '../helpers/test-server.js';

const WEB_DIST = fileURLToPath(new URL('../../packages/web/dist/index.html', import.meta.url));
const SCREENS = '/tmp/modelyard-screens';
const DEMO_DATASET = 'credit_data';
const DEMO_ROWS = 4454;
/** More models than one page of search hits (25), to need "Load more". */
const BULK_MODELS = 30;

type TestServer = Awaited<ReturnType<typeof startTestServer>>;

describe('data catalog pages in a browser', () => {
  let server: TestServer;
  let browser: Browser;
  let admin: ModelyardClient;
  let viewerToken: string;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(WEB_DIST)) throw new Error(`${WEB_DIST} is missing: run \`npm run build\` before this test.`);
    mkdirSync(SCREENS, { recursive: true });
    server = await startTestServer({ demo: true });
    admin = new ModelyardClient({ baseUrl: server.url, token: server.token });
    for (let i = 0; i < BULK_MODELS; i++) await admin.createModel('demo', { name: `bulk-model-${i}` });
    const user = await admin.createUser({ name: 'vera' });
    viewerToken = (await admin.createToken(user.id, 'browser')).token;
    await admin.setMember('demo', user.id, 'viewer');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function signedIn(token: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(server.url);
    await page.getByTestId('token-input').fill(token);
    await page.getByTestId('sign-in').click();
    await page.getByTestId('project-list').waitFor();
    return page;
  }

  const hash = (page: Page): Promise<string> => page.evaluate(() => window.location.hash);

  /** A full-page screenshot from the top, so the sticky header is not captured mid-page. */
  async function shoot(page: Page, name: string, fullPage = true): Promise<void> {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `${SCREENS}/${name}.png`, fullPage });
  }

  it('searches from the header, filters by kind, pages, and opens a hit', async () => {
    const page = await signedIn(server.token);

    // `/` focuses the header box; typing (debounced) opens the search page with a shareable URL.
    await page.keyboard.press('/');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('search-input');
    await page.keyboard.type('credit', { delay: 30 });
    const datasetHit = page.getByTestId(`search-hit-dataset-${DEMO_DATASET}`);
    await datasetHit.waitFor();
    expect(await hash(page)).toBe('#/search?q=credit');
    expect(await datasetHit.getByTestId('search-hit-reason').textContent()).toMatch(/starts with/i);
    await page.getByTestId('search-hit-model-credit-glm').waitFor();
    await shoot(page, 'search');

    // Unticking "Dataset" drops the dataset hit and goes into the URL; "All kinds" brings it back.
    await page.getByTestId('kind-filter-dataset').click();
    await datasetHit.waitFor({ state: 'detached' });
    expect(await hash(page)).toBe('#/search?q=credit&kinds=column%2Crun%2Cmodel%2Cendpoint');
    await page.getByTestId('search-hit-model-credit-glm').waitFor();
    await page.getByRole('link', { name: 'All kinds' }).click();
    await datasetHit.waitFor();

    // The URL alone reproduces a search (a reload keeps the session in this tab).
    await page.goto(`${server.url}/#/search?q=income&kinds=column`);
    const columnHit = page.getByTestId('search-hit-column-Income');
    await columnHit.waitFor();
    expect(await columnHit.getByTestId('search-hit-reason').textContent()).toContain(DEMO_DATASET);
    expect(await page.getByTestId('search-input').inputValue()).toBe('income');
    expect(await page.locator('[data-testid^="search-hit-"][data-kind]').count()).toBe(1);

    // More hits than a page: "Load more" follows the cursor to the rest. New text keeps the kinds filter, so clear it.
    await page.getByRole('link', { name: 'All kinds' }).click();
    await page.getByTestId('search-input').fill('bulk-model');
    await page.getByTestId('search-input').press('Enter');
    await page.getByTestId('search-more').waitFor();
    const rows = page.locator('[data-testid^="search-hit-model-bulk-model-"]');
    expect(await rows.count()).toBe(25);
    await page.getByTestId('search-more').click();
    await page.getByTestId('search-more').waitFor({ state: 'detached' });
    expect(await rows.count()).toBe(BULK_MODELS);
    expect(await page.getByTestId('search-summary').textContent()).toMatch(/^30 results/);
    await shoot(page, 'search-more');

    // Nothing found says what to try next.
    await page.getByTestId('search-input').fill('zzz-nothing-here');
    await page.getByTestId('search-empty').waitFor();
    expect(await page.getByTestId('search-empty').textContent()).toMatch(/shorter word/);
    await shoot(page, 'search-empty');

    // A dataset hit opens the dataset in its project.
    await page.getByTestId('search-input').fill(DEMO_DATASET);
    await page.getByTestId('search-input').press('Enter');
    await datasetHit.getByTestId('search-hit-link').click();
    await page.getByTestId('dataset-profile').waitFor();
    expect(await page.getByTestId('project-title').textContent()).toBe('demo');
    expect(await hash(page)).toMatch(/^#\/projects\/demo\/datasets\/.+/);
    expect(await page.getByTestId('search-input').inputValue()).toBe('');

    expect(pageErrors).toEqual([]);
    await page.context().close();
  });

  it('runs SQL, pages, shows errors by code, and saves a query as a dataset', async () => {
    const page = await signedIn(server.token);
    await page.getByTestId('project-demo').click();
    await page.getByTestId('tab-sql').click();
    const editor = page.getByTestId('sql-editor');
    await editor.waitFor();
    expect(await page.getByTestId('sql-datasets').textContent()).toContain(DEMO_DATASET);

    // Ctrl+Enter runs the query; the result shows the column with its type and the count.
    await editor.fill(`SELECT count(*) AS n FROM ${DEMO_DATASET}`);
    await editor.press('Control+Enter');
    const results = page.getByTestId('sql-results');
    await results.waitFor();
    expect(await page.getByTestId('sql-col-n').textContent()).toMatch(/^n\s*BIGINT$/);
    expect(await results.locator('tbody td.num').first().textContent()).toBe(String(DEMO_ROWS));
    expect(await page.getByTestId('sql-summary').textContent()).toMatch(/Rows 1–1 · 1 column · \d/);
    await shoot(page, 'sql-count');

    // Paging: 100 rows a page by default, then the next hundred.
    await editor.fill(`SELECT * FROM ${DEMO_DATASET}`);
    await page.getByTestId('sql-run').click();
    await page.getByText('Rows 1–100 · more available').waitFor();
    expect(await results.locator('tbody tr').count()).toBe(100);
    await page.getByTestId('sql-next').click();
    await page.getByText('Rows 101–200 · more available').waitFor();
    expect(await results.locator('tbody tr').first().locator('td').first().textContent()).toBe('101');
    await page.getByTestId('sql-prev').click();
    await page.getByText('Rows 1–100 · more available').waitFor();
    await shoot(page, 'sql-rows', false);

    // Errors come with the server's code: unknown column, then a statement that is not a SELECT.
    await editor.fill(`SELECT no_such_column FROM ${DEMO_DATASET}`);
    await page.getByTestId('sql-run').click();
    const error = page.getByTestId('sql-error');
    await error.waitFor();
    expect(await error.getByTestId('error-code').textContent()).toBe('sql_error');
    expect(await error.getByTestId('error-message').textContent()).toMatch(/no_such_column/);
    expect(await results.count()).toBe(0);
    await shoot(page, 'sql-error');
    await editor.fill(`DELETE FROM ${DEMO_DATASET}`);
    await page.getByTestId('sql-run').click();
    await page.locator('[data-testid="sql-error"] [data-testid="error-code"]', { hasText: 'not_a_select' }).waitFor();

    // Save a query's whole result as a derived dataset; it shows up in the datasets tab.
    await editor.fill(`SELECT * FROM ${DEMO_DATASET} LIMIT 10`);
    await page.getByTestId('sql-run').click();
    await page.getByText('Rows 1–10 ·').waitFor();
    await page.getByTestId('save-name').fill('credit_sample');
    await page.getByTestId('save-description').fill('Ten rows for a quick look');
    await page.getByTestId('save-submit').click();
    const saved = page.getByTestId('save-success');
    await saved.waitFor();
    expect(await saved.textContent()).toMatch(/Saved credit_sample with 10 rows/);
    await shoot(page, 'sql-saved');
    await page.getByTestId('tab-datasets').click();
    const row = page.getByTestId('dataset-row-credit_sample');
    await row.waitFor();
    expect(await row.getByTestId('dataset-rows').textContent()).toBe('10');
    expect(await page.getByTestId('tab-datasets').textContent()).toBe('Datasets2');
    await shoot(page, 'datasets-after-save');
    const onServer = (await admin.listDatasets('demo')).items.find((d) => d.name === 'credit_sample');
    expect(onServer?.description).toBe('Ten rows for a quick look');

    expect(pageErrors).toEqual([]);
    await page.context().close();
  });

  it('lets an admin add, test and delete a connection, never showing the password', async () => {
    const password = 'pw-that-must-not-show-7f3a';
    const page = await signedIn(server.token);
    await page.goto(`${server.url}/#/projects/demo/connections`);
    await page.getByTestId('connections-empty').waitFor();

    // A bad port is caught before the request.
    await page.getByTestId('conn-name').fill('warehouse');
    await page.getByTestId('conn-kind').selectOption('mysql');
    expect(await page.getByTestId('conn-port').inputValue()).toBe('3306');
    await page.getByTestId('conn-kind').selectOption('postgres');
    expect(await page.getByTestId('conn-port').inputValue()).toBe('5432');
    await page.getByTestId('conn-host').fill('127.0.0.1');
    await page.getByTestId('conn-port').fill('99999');
    await page.getByTestId('conn-database').fill('analytics');
    await page.getByTestId('conn-user').fill('reader');
    await page.getByTestId('conn-password').fill(password);
    expect(await page.getByTestId('conn-password').getAttribute('type')).toBe('password');
    await page.getByTestId('conn-submit').click();
    expect(await page.getByTestId('connection-form-error').textContent()).toMatch(/Port/);

    // Nothing listens on port 1: the connection saves, and its test fails with the server's reason.
    await page.getByTestId('conn-port').fill('1');
    await page.getByTestId('conn-submit').click();
    const row = page.getByTestId('connection-row-warehouse');
    await row.waitFor();
    expect(await row.textContent()).toContain('127.0.0.1:1');
    expect(await row.textContent()).toContain('analytics');
    expect(await row.textContent()).toContain('reader');
    expect(await page.getByTestId('conn-password').inputValue()).toBe('');
    expect(await page.content()).not.toContain(password);

    await row.getByTestId('connection-test').click();
    await row.getByTestId('connection-failed').waitFor();
    const failure = page.getByTestId('connection-error-warehouse');
    expect(await failure.getByTestId('error-code').textContent()).toBe('connection_failed');
    expect(await failure.getByTestId('error-message').textContent()).toMatch(/127\.0\.0\.1/);
    await shoot(page, 'connections');

    // Delete asks first; cancelling keeps it, confirming removes it here and on the server.
    await row.getByTestId('connection-delete').click();
    await row.getByRole('button', { name: 'Cancel' }).click();
    await row.getByTestId('connection-test').waitFor();
    await row.getByTestId('connection-delete').click();
    await shoot(page, 'connections-delete-confirm', false);
    await row.getByTestId('connection-confirm-delete').click();
    await page.getByTestId('connections-empty').waitFor();
    expect(await row.count()).toBe(0);
    expect((await admin.listConnections('demo')).items).toEqual([]);

    expect(pageErrors).toEqual([]);
    await page.context().close();
  });

  it('shows a viewer neither connections nor the save form', async () => {
    const page = await signedIn(viewerToken);
    await page.getByTestId('project-demo').click();
    await page.getByTestId('tab-sql').waitFor();
    expect(await page.getByTestId('role').first().textContent()).toBe('viewer');
    expect(await page.getByTestId('tab-connections').count()).toBe(0);

    // Viewers still query.
    await page.getByTestId('tab-sql').click();
    await page.getByTestId('sql-editor').fill(`SELECT count(*) AS n FROM ${DEMO_DATASET}`);
    await page.getByTestId('sql-run').click();
    await page.getByTestId('sql-results').waitFor();
    expect(await page.getByTestId('save-query-form').count()).toBe(0);
    await shoot(page, 'sql-viewer');

    // Typing the tab's address explains instead of failing with a 403.
    await page.goto(`${server.url}/#/projects/demo/connections`);
    await page.getByTestId('connections-forbidden').waitFor();
    // ...as the API would have answered.
    const viewer = new ModelyardClient({ baseUrl: server.url, token: viewerToken });
    await expect(viewer.listConnections('demo')).rejects.toMatchObject({ status: 403 });

    expect(pageErrors).toEqual([]);
    await page.context().close();
  });
});
