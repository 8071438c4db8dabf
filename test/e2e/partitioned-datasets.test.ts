// Datasets from many files: a glob over a Hive-partitioned folder becomes one snapshot with the partition keys as
// columns, and a refresh reads the pattern again, so new partitions make a new version.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelyardClient } from '@modelyard/client';
import { apiFailure } from '../helpers/api-calls.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let client: ModelyardClient;
let imports: string;

async function writeCsv(relative: string, rows: number, offset: number): Promise<void> {
  const lines = ['id,amount'];
  for (let i = 0; i < rows; i++) lines.push(`${offset + i},${((offset + i) * 13) % 97}`);
  await mkdir(join(imports, relative, '..'), { recursive: true });
  await writeFile(join(imports, relative), `${lines.join('\n')}\n`);
}

beforeAll(async () => {
  server = await startTestServer({ demo: false });
  client = new ModelyardClient({ baseUrl: server.url, token: server.token });
  imports = join(server.dataDir, 'imports');
  await client.createProject({ name: 'lake' });
});

afterAll(async () => {
  await server?.close();
});

describe('datasets from file patterns', () => {
  it('reads a Hive-partitioned CSV folder as one table and picks up new partitions on refresh', async () => {
    await writeCsv('sales/region=north/year=2023/part-0.csv', 40, 0);
    await writeCsv('sales/region=north/year=2024/part-0.csv', 25, 100);
    await writeCsv('sales/region=south/year=2024/part-0.csv', 10, 200);
    const dataset = await client.createDatasetFromPath('lake', { name: 'sales', path: 'sales/*/*/*.csv' });
    const first = dataset.latestVersion!;
    expect(first.rows).toBe(75);
    expect(first.source).toBe('file:sales/*/*/*.csv');
    const columns = Object.fromEntries(first.profile.columns.map((c) => [c.name, c]));
    expect(Object.keys(columns).sort()).toEqual(['amount', 'id', 'region', 'year']);
    expect(columns.region?.distinct).toBe(2);
    const perRegion = await client.sql('lake', {
      sql: 'SELECT region, year, count(*) AS n FROM sales GROUP BY ALL ORDER BY region, year',
    });
    // Partition values are typed (year is an integer); the workbench sends 64-bit integers as strings.
    expect(perRegion.rows).toEqual([
      ['north', '2023', '40'],
      ['north', '2024', '25'],
      ['south', '2024', '10'],
    ]);
    expect(columns.year?.type).toBe('integer');

    expect((await client.refreshDataset(dataset.id)).latestVersion?.version).toBe(first.version);
    await writeCsv('sales/region=south/year=2025/part-0.csv', 5, 300);
    const refreshed = await client.refreshDataset(dataset.id);
    expect(refreshed.latestVersion?.version).not.toBe(first.version);
    expect(refreshed.latestVersion?.rows).toBe(80);
  });

  it('unites Parquet files whose columns differ, by name', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await mkdir(join(imports, 'events', 'day=1'), { recursive: true });
    await mkdir(join(imports, 'events', 'day=2'), { recursive: true });
    const at = (relative: string) => `'${join(imports, relative)}'`;
    await connection.run(
      `COPY (SELECT range AS id, 'a' AS kind FROM range(3)) TO ${at('events/day=1/p.parquet')} (FORMAT parquet)`,
    );
    await connection.run(
      `COPY (SELECT range AS id, 'b' AS kind, range * 1.5 AS score FROM range(4)) TO ${at('events/day=2/p.parquet')} (FORMAT parquet)`,
    );
    connection.closeSync();
    instance.closeSync();
    const dataset = await client.createDatasetFromPath('lake', { name: 'events', path: 'events/**/*.parquet' });
    expect(dataset.latestVersion?.rows).toBe(7);
    const score = dataset.latestVersion?.profile.columns.find((c) => c.name === 'score');
    expect(score?.nulls).toBe(3);
  });

  it('refuses patterns that match nothing, mix formats, or leave the data roots', async () => {
    await writeCsv('mixed/a.csv', 3, 0);
    await writeFile(join(imports, 'mixed', 'b.json'), '[{"id": 1, "amount": 2}]');
    const nothing = await apiFailure(client.createDatasetFromPath('lake', { name: 'none', path: 'sales/*/*.tsv' }));
    expect([nothing.status, nothing.code]).toEqual([404, 'file_not_found']);
    const mixed = await apiFailure(client.createDatasetFromPath('lake', { name: 'mixed', path: 'mixed/*' }));
    expect([mixed.status, mixed.code]).toEqual([400, 'mixed_formats']);
    const outside = await apiFailure(client.createDatasetFromPath('lake', { name: 'etc', path: '/etc/*.conf' }));
    expect([outside.status, outside.code]).toEqual([400, 'path_not_allowed']);
    const climbing = await apiFailure(client.createDatasetFromPath('lake', { name: 'up', path: 'sales/../../*' }));
    expect(climbing.code).toBe('path_not_allowed');
  });
});
