// Files that are hard to read, registered through the SDK: each gives a dataset or a clear 4xx, never a half-written
// dataset: malformed rows (refused with their line, or skipped on request), mixed types, non-UTF-8 bytes, 2,000
// columns, repeated column names.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardClient } from '@modelyard/client';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { apiFailure } from '../helpers/api-calls.js';

let server: TestServer;
let client: ModelyardClient;

const upload = (name: string, content: string | Uint8Array<ArrayBuffer>, extra: { skipBadRows?: boolean } = {}) =>
  client.createDatasetFromFile('files', { name, data: new Blob([content]), filename: `${name}.csv`, ...extra });

beforeAll(async () => {
  server = await startTestServer({ demo: false });
  client = new ModelyardClient({ baseUrl: server.url, token: server.token });
  await client.createProject({ name: 'files' });
}, 60_000);

afterAll(async () => {
  await server?.close();
});

describe('registering difficult files', () => {
  // 40 rows; the one on line 5 has a field too many, the one on line 20 a field too few.
  const lines = Array.from({ length: 40 }, (_, i) =>
    i === 3 ? `${i + 1},${i * 10},extra` : i === 18 ? `${i + 1}` : `${i + 1},${i * 10}`,
  );
  const malformed = `id,amount\n${lines.join('\n')}\n`;

  it('refuses malformed rows with the line of the first one, and registers nothing', async () => {
    const refused = await apiFailure(upload('malformed', malformed));
    expect([refused.status, refused.code]).toEqual([422, 'invalid_csv']);
    expect(refused.details?.line).toBe(5);
    expect((await client.listDatasets('files')).items.map((d) => d.name)).not.toContain('malformed');
  });

  it('skips malformed rows on request and says which', async () => {
    const dataset = await upload('skipped', malformed, { skipBadRows: true });
    const version = dataset.latestVersion!;
    expect(version.rows).toBe(38);
    expect(version.profile.summary?.skippedRows).toBe(2);
    expect(version.profile.summary?.skippedLines).toEqual([5, 20]);
    const ids = await client.sql('files', { sql: 'SELECT id FROM skipped WHERE id IN (3, 4, 5, 19, 20) ORDER BY id' });
    expect(ids.rows.map((r) => Number(r[0]))).toEqual([3, 5, 20]);
  });

  it('reads a column of mixed numbers and words as text, keeping every value', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `${i},${i === 2500 ? 'n/a' : i * 2}`);
    const dataset = await upload('mixed', `id,value\n${rows.join('\n')}\n`);
    const value = dataset.latestVersion!.profile.columns.find((c) => c.name === 'value')!;
    expect(value.type).toBe('string');
    expect(dataset.latestVersion!.rows).toBe(3000);
    const found = await client.sql('files', { sql: "SELECT id FROM mixed WHERE value = 'n/a'" });
    expect(found.rows).toEqual([['2500']]);
  });

  it('refuses bytes that are not UTF-8 with the line they are on', async () => {
    const bytes = Uint8Array.from([...Buffer.from('name,city\nann,Bern\nbob,Z'), 0xfc, ...Buffer.from('rich\n')]);
    const refused = await apiFailure(upload('latin1', bytes));
    expect([refused.status, refused.code]).toEqual([422, 'invalid_csv']);
    expect(refused.details?.line).toBe(3);
  });

  it('registers 2,000 columns', async () => {
    const names = Array.from({ length: 2000 }, (_, i) => `c${i}`);
    const rows = Array.from({ length: 50 }, (_, r) => names.map((_, c) => (r * 7 + c) % 13).join(','));
    const dataset = await upload('wide', `${names.join(',')}\n${rows.join('\n')}\n`);
    expect(dataset.latestVersion!.profile.columns).toHaveLength(2000);
    expect(dataset.latestVersion!.rows).toBe(50);
    expect(dataset.latestVersion!.profile.columns[1999]!.histogram?.counts.reduce((a, b) => a + b, 0)).toBe(50);
  });

  it('refuses repeated column names, naming the column', async () => {
    const refused = await apiFailure(upload('twice', 'a,b,a\n1,2,3\n'));
    expect([refused.status, refused.code]).toEqual([422, 'invalid_columns']);
    expect(JSON.stringify(refused.details)).toContain('a');
  });
});
