import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecords } from './read-records.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modelyard-records-'));
  await writeFile(join(dir, 'records.json'), JSON.stringify([{ a: 1 }, { a: 2, b: 'x' }]));
  await writeFile(join(dir, 'one.json'), '{"a": null}');
  await writeFile(join(dir, 'lines.jsonl'), '{"a":1}\n{"a":2}\n\n');
  await writeFile(join(dir, 'bad.json'), '{"a":');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readRecords', () => {
  it('reads an array of records from a file, relative to cwd', async () => {
    expect(await readRecords('records.json', { cwd: dir })).toEqual([{ a: 1 }, { a: 2, b: 'x' }]);
  });

  it('wraps a single record in an array', async () => {
    expect(await readRecords(join(dir, 'one.json'))).toEqual([{ a: null }]);
  });

  it('reads JSON Lines', async () => {
    expect(await readRecords('lines.jsonl', { cwd: dir })).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('parses inline JSON, records-wrapped or not', async () => {
    expect(await readRecords('{"x": 1}')).toEqual([{ x: 1 }]);
    expect(await readRecords(' [{"x": 1}, {"x": 2}]')).toEqual([{ x: 1 }, { x: 2 }]);
    expect(await readRecords('{"records": [{"x": 3}]}')).toEqual([{ x: 3 }]);
  });

  it("reads '-' from stdin", async () => {
    const stdin = Readable.from([Buffer.from('[{"x":'), Buffer.from(' 5}]')]);
    expect(await readRecords('-', { stdin })).toEqual([{ x: 5 }]);
  });

  it('explains bad input with a code', async () => {
    await expect(readRecords('missing.json', { cwd: dir })).rejects.toMatchObject({ code: 'file_not_found' });
    await expect(readRecords('bad.json', { cwd: dir })).rejects.toMatchObject({ code: 'invalid_json' });
    await expect(readRecords('[]')).rejects.toMatchObject({ code: 'no_records' });
    await expect(readRecords('[1, 2]')).rejects.toMatchObject({ code: 'invalid_records' });
    await expect(readRecords('-')).rejects.toMatchObject({ code: 'no_stdin' });
  });
});
