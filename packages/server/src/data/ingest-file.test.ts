import { copyFile, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArtifactStore } from '../artifacts/artifact-store.js';
import { FsArtifactStore } from '../artifacts/fs-artifact-store.js';
import { openDuckDb, type DuckDb } from './duckdb.js';
import { ingestFile } from './ingest-file.js';

const CREDIT = fileURLToPath(new URL('../../../../examples/data/credit_data.csv', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/data/', import.meta.url));

/** Counts putFile calls so a test can see that an existing snapshot is not written again. */
class CountingStore implements ArtifactStore {
  puts = 0;
  constructor(private readonly inner: FsArtifactStore) {}
  putFile(key: string, localPath: string): Promise<{ bytes: number }> {
    this.puts++;
    return this.inner.putFile(key, localPath);
  }
  putBytes(key: string, bytes: Uint8Array): Promise<{ bytes: number }> {
    return this.inner.putBytes(key, bytes);
  }
  getBytes(key: string): Promise<Uint8Array> {
    return this.inner.getBytes(key);
  }
  exists(key: string): Promise<boolean> {
    return this.inner.exists(key);
  }
  withLocalFile<T>(key: string, fn: (path: string) => Promise<T>): Promise<T> {
    return this.inner.withLocalFile(key, fn);
  }
  remove(key: string): Promise<void> {
    return this.inner.remove(key);
  }
  move(from: string, to: string): Promise<boolean> {
    return this.inner.move(from, to);
  }
}

async function ingestTempDirs(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith('modelyard-ingest-'));
}

describe('ingestFile', () => {
  let db: DuckDb;
  let dir: string;
  let fsStore: FsArtifactStore;
  let store: CountingStore;

  const write = async (name: string, text: string): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };
  const ingest = (path: string, originalName = path.split('/').pop() ?? path) =>
    ingestFile(db, store, { path, originalName });

  beforeAll(async () => {
    db = await openDuckDb();
    dir = await mkdtemp(join(tmpdir(), 'modelyard-ingest-test-'));
    fsStore = new FsArtifactStore(join(dir, 'artifacts'));
    store = new CountingStore(fsStore);
  });
  afterAll(async () => {
    await db.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('snapshots credit_data.csv into the artifact store under its content hash', async () => {
    const result = await ingest(CREDIT, 'credit_data.csv');
    expect(result.version).toMatch(/^[0-9a-f]{64}$/);
    expect(result.snapshotKey).toBe(`snapshots/${result.version}.parquet`);
    expect(result.rows).toBe(4454);
    expect(result.profile.rows).toBe(4454);
    expect(result.profile.columns.map((c) => c.name)).toEqual([
      'Status', 'Seniority', 'Home', 'Time', 'Age', 'Marital', 'Records',
      'Job', 'Expenses', 'Income', 'Assets', 'Debt', 'Amount', 'Price',
    ]); // prettier-ignore
    // "yes"/"no" stays text rather than becoming a boolean, so labels keep their spelling.
    expect(result.profile.columns.find((c) => c.name === 'Records')).toMatchObject({
      dbType: 'VARCHAR',
      type: 'string',
      topValues: [
        { value: 'no', count: 3681 },
        { value: 'yes', count: 773 },
      ],
    });
    expect(await fsStore.exists(result.snapshotKey)).toBe(true);
    const stored = await fsStore.getBytes(result.snapshotKey);
    expect(stored.byteLength).toBe(result.bytes);
    expect(Buffer.from(stored.subarray(0, 4)).toString()).toBe('PAR1');
    const { createHash } = await import('node:crypto');
    expect(createHash('sha256').update(stored).digest('hex')).toBe(result.version);
  });

  it('gives the same version for the same content, under any name, and stores it once', async () => {
    const first = await ingest(CREDIT, 'credit_data.csv');
    const putsBefore = store.puts;
    const again = await ingest(CREDIT, 'credit_data.csv');
    const copy = join(dir, 'upload-1234.tmp');
    await copyFile(CREDIT, copy);
    const renamed = await ingest(copy, 'Credit Copy.TXT');
    expect(again.version).toBe(first.version);
    expect(renamed.version).toBe(first.version);
    expect(store.puts).toBe(putsBefore);
  });

  it('gives the same version from a fresh single-threaded DuckDB', async () => {
    const other = await openDuckDb({ threads: 1 });
    try {
      const a = await ingest(CREDIT, 'credit_data.csv');
      const b = await ingestFile(other, store, { path: CREDIT, originalName: 'credit_data.csv' });
      expect(b.version).toBe(a.version);
    } finally {
      await other.close();
    }
  });

  it('is deterministic for a file spanning many row groups and parallel reads', async () => {
    const lines = ['id,x,label'];
    for (let i = 0; i < 300_000; i++) lines.push(`${i},${((i * 7919) % 1000) / 7},${i % 3 === 0 ? '' : `c${i % 11}`}`);
    const path = await write('large.csv', lines.join('\n') + '\n');
    const a = await ingest(path);
    const b = await ingest(path);
    expect(a.rows).toBe(300_000);
    expect(b.version).toBe(a.version);
  });

  it('agrees with itself when ingests run in parallel on one instance, and honours tempDir', async () => {
    const alone = await ingest(CREDIT, 'credit_data.csv');
    const scratch = await mkdtemp(join(dir, 'scratch-'));
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        ingestFile(db, store, { path: CREDIT, originalName: `credit-${i}.csv` }, { tempDir: scratch }),
      ),
    );
    expect(results.map((r) => r.version)).toEqual(Array(4).fill(alone.version));
    expect(await readdir(scratch)).toEqual([]);
    await expect(
      ingestFile(db, store, { path: CREDIT, originalName: 'c.csv' }, { tempDir: join(dir, 'missing') }),
    ).rejects.toThrow(/ENOENT/);
  });

  it('gives a new version when one cell changes', async () => {
    const original = await ingest(CREDIT, 'credit_data.csv');
    const text = await readFile(CREDIT, 'utf8');
    const changed = text.replace('"good",9,"rent",60,30,', '"good",9,"rent",60,31,');
    expect(changed).not.toBe(text);
    const result = await ingest(await write('changed.csv', changed));
    expect(result.rows).toBe(4454);
    expect(result.version).not.toBe(original.version);
  });

  it('re-ingesting its own snapshot as Parquet keeps the version', async () => {
    const original = await ingest(CREDIT, 'credit_data.csv');
    const result = await fsStore.withLocalFile(original.snapshotKey, (path) => ingest(path, 'snapshot.PARQUET'));
    expect(result.version).toBe(original.version);
  });

  it('reads empty fields as NULL, tabs in .tsv and semicolons by sniffing', async () => {
    const csv = await ingest(await write('nulls.csv', 'a,b\n1,\n2,x\n3,""\n'));
    expect(csv.profile.columns.find((c) => c.name === 'b')?.nulls).toBe(2);
    const tsv = await ingest(await write('t.tsv', 'a\tb\n1\tx,y\n2\tz\n'));
    expect(tsv.profile.columns.map((c) => c.name)).toEqual(['a', 'b']);
    expect(tsv.profile.columns[1]?.topValues?.map((t) => t.value)).toEqual(['x,y', 'z']);
    const semi = await ingest(await write('s.csv', 'a;b\n1;2\n3;4\n'));
    expect(semi.profile.columns.map((c) => c.name)).toEqual(['a', 'b']);
    expect(semi.rows).toBe(2);
  });

  it('reads valid but awkward CSV: quoted newlines and quotes, BOM, CRLF, no final newline, one row, one column', async () => {
    const cases: [string, string, number, string[]][] = [
      ['quoted.csv', 'id,text\n1,"line one\nline two"\n2,"say ""hi"""\n', 2, ['id', 'text']],
      ['bom.csv', '\uFEFFid,name\r\n1,a\r\n2,b', 2, ['id', 'name']],
      ['single-row.csv', 'a,b,c\n1,2,3\n', 1, ['a', 'b', 'c']],
      ['single-col.csv', 'value\n1\n2\n3\n', 3, ['value']],
      ['trailing-blank.csv', 'a,b\n1,2\n3,4\n\n', 2, ['a', 'b']],
      ['strings.csv', 'name,city\nalice,paris\nbob,rome\n', 2, ['name', 'city']],
      // An empty header name gets DuckDB's column<i>; repeated names are refused (see dataset-bad-input.test.ts).
      ['empty-name.csv', 'a,b,\n1,2,3\n', 1, ['a', 'b', 'column2']],
    ];
    for (const [name, text, rows, columns] of cases) {
      const result = await ingest(await write(name, text));
      expect({ name, rows: result.rows, columns: result.profile.columns.map((c) => c.name) }).toEqual({
        name,
        rows,
        columns,
      });
    }
  });

  it('reads newline-delimited and array JSON', async () => {
    const nd = await ingest(await write('r.ndjson', '{"a":1,"b":"x"}\n{"a":2,"b":null}\n'));
    expect(nd.rows).toBe(2);
    expect(nd.profile.columns.find((c) => c.name === 'b')?.nulls).toBe(1);
    const arr = await ingest(await write('r.json', '[{"a":1},{"a":2},{"a":3}]'));
    expect(arr.rows).toBe(3);
  });

  it('reads exactly the named file even when its name looks like a glob', async () => {
    const globDir = await mkdtemp(join(dir, 'glob-'));
    await writeFile(join(globDir, 'other.csv'), 'a,b\n10,20\n30,40\n');
    const path = join(globDir, '*.csv');
    await writeFile(path, 'a,b\n1,2\n');
    const result = await ingest(path, 'upload.csv');
    expect(result.rows).toBe(1);
    const quoted = join(globDir, "it's [1].csv");
    await writeFile(quoted, 'a,b\n1,2\n3,4\n5,6\n');
    expect((await ingest(quoted)).rows).toBe(3);
  });

  it('refuses a file that is not UTF-8 with the line it fails on', async () => {
    const path = join(dir, 'latin1.csv');
    await writeFile(path, Buffer.from('name,city\nx,Paris\ny,Montr\xe9al\n', 'latin1'));
    await expect(ingest(path)).rejects.toMatchObject({
      code: 'invalid_csv',
      details: { line: 3, reason: expect.stringMatching(/not utf-8/) },
    });
  });

  it('refuses an unknown extension with 400 unsupported_format', async () => {
    const path = await write('sheet.xlsx', 'a,b\n1,2\n');
    await expect(ingest(path)).rejects.toMatchObject({ status: 400, code: 'unsupported_format' });
    await expect(ingest(path, 'noextension')).rejects.toMatchObject({ code: 'unsupported_format' });
  });

  it('refuses an empty file, a header-only file and an empty JSON array with 422 empty_dataset', async () => {
    await expect(ingest(await write('empty.csv', ''))).rejects.toMatchObject({ status: 422, code: 'empty_dataset' });
    await expect(ingest(join(FIXTURES, 'header-only.csv'))).rejects.toMatchObject({
      status: 422,
      code: 'empty_dataset',
    });
    await expect(ingest(await write('empty.json', '[]'))).rejects.toMatchObject({ code: 'empty_dataset' });
  });

  it('reports the line of a row with too many fields', async () => {
    const error = await ingest(join(FIXTURES, 'broken-line-7.csv')).catch((e: unknown) => e);
    expect(error).toMatchObject({
      status: 422,
      code: 'invalid_csv',
      details: { line: 7, reason: 'Expected Number of Columns: 3 Found: 4' },
    });
    expect(JSON.stringify(error)).not.toContain(FIXTURES);
  });

  it('reports the line of an unterminated quote and of a short row', async () => {
    await expect(ingest(join(FIXTURES, 'unterminated-quote.csv'))).rejects.toMatchObject({
      code: 'invalid_csv',
      details: { line: 3, reason: 'Value with unterminated quote found' },
    });
    await expect(ingest(await write('short.csv', 'a,b,c\n1,2,3\n4,5,6\n7,8\n9,10,11\n'))).rejects.toMatchObject({
      code: 'invalid_csv',
      details: { line: 4 },
    });
    await expect(ingest(await write('multiline.csv', 'id,text\n1,"a\nb\nc"\n2,z\n3,w,extra\n'))).rejects.toMatchObject({
      code: 'invalid_csv',
      details: { line: 6 },
    });
    await expect(ingest(await write('crlf.csv', 'x\r\n1\r\n2,3\r\n'))).rejects.toMatchObject({
      code: 'invalid_csv',
      details: { line: 3 },
    });
  });

  it('reports the line of a broken row far past the sniffer sample', async () => {
    const lines = ['a,b,c'];
    for (let i = 0; i < 30_000; i++) lines.push(`${i},${i + 1},${i + 2}`);
    lines[25_000] = '1,2,3,4';
    await expect(ingest(await write('late.csv', lines.join('\n') + '\n'))).rejects.toMatchObject({
      code: 'invalid_csv',
      details: { line: 25_001 },
    });
  });

  it('reads a column whose late values do not fit the sampled type', async () => {
    const lines = ['a,b'];
    for (let i = 0; i < 100_000; i++) lines.push(`${i},${i}`);
    lines[90_000] = '89999,not a number';
    const result = await ingest(await write('late-type.csv', lines.join('\n') + '\n'));
    expect(result.rows).toBe(100_000);
    expect(result.profile.columns.find((c) => c.name === 'b')?.type).toBe('string');
    const records: string[] = [];
    for (let i = 0; i < 30_000; i++) records.push(JSON.stringify({ a: i === 25_000 ? 'x' : i, b: i }));
    const json = await ingest(await write('late-type.ndjson', records.join('\n') + '\n'));
    expect(json.rows).toBe(30_000);
    expect(json.profile.columns.find((c) => c.name === 'b')?.type).toBe('integer');
  });

  it('refuses malformed JSON and Parquet with 422', async () => {
    await expect(ingest(await write('bad.jsonl', '{"a":1}\n{"a":'))).rejects.toMatchObject({
      status: 422,
      code: 'invalid_json',
    });
    await expect(ingest(await write('bad.parquet', 'not parquet at all'))).rejects.toMatchObject({
      status: 422,
      code: 'invalid_parquet',
    });
  });

  it('answers 404 file_not_found when the local file is gone, 400 not_a_file for a folder', async () => {
    await expect(ingest(join(dir, 'gone.csv'))).rejects.toMatchObject({ status: 404, code: 'file_not_found' });
    await expect(ingest(dir, 'folder.csv')).rejects.toMatchObject({ status: 400, code: 'not_a_file' });
  });

  it('leaves no temporary files behind, on success or failure', async () => {
    const before = await ingestTempDirs();
    await ingest(CREDIT, 'credit_data.csv');
    await ingest(join(FIXTURES, 'broken-line-7.csv')).catch(() => undefined);
    await ingest(join(FIXTURES, 'header-only.csv')).catch(() => undefined);
    expect(await ingestTempDirs()).toEqual(before);
    expect((await stat(CREDIT)).isFile()).toBe(true);
  });
});
