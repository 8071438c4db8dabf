import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { physicalLineOfRecord } from './csv-physical-line.js';

describe('physicalLineOfRecord', () => {
  let dir: string;
  const file = async (text: string): Promise<string> => {
    const path = join(dir, `f${Math.random().toString(36).slice(2)}.csv`);
    await writeFile(path, text);
    return path;
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'modelyard-lines-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('equals the record number when no field spans lines', async () => {
    const path = await file('a,b\n1,2\n\n3,4,5\n');
    expect(await physicalLineOfRecord(path, 4, ',')).toBe(4);
    expect(await physicalLineOfRecord(path, 1, ',')).toBe(1);
  });

  it('skips line breaks inside quoted fields, with escaped quotes and CRLF', async () => {
    const path = await file('id,text\r\n1,"x\r\n\r\ny ""q"" "\r\n2,z\r\n3,w,extra\r\n');
    expect(await physicalLineOfRecord(path, 3, ',')).toBe(5);
    expect(await physicalLineOfRecord(path, 4, ',')).toBe(6);
  });

  it('treats a quote inside an unquoted field as text', async () => {
    const path = await file('name;n\nO"Brien;1\nx;2;3\n');
    expect(await physicalLineOfRecord(path, 3, ';')).toBe(3);
  });

  it("falls back to DuckDB's number past the end of the file", async () => {
    expect(await physicalLineOfRecord(await file('a\n1\n'), 9, ',')).toBe(9);
  });
});
