import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectCsvDialect } from './csv-dialect.js';

describe('detectCsvDialect', () => {
  let dir: string;
  const file = async (text: string): Promise<string> => {
    const path = join(dir, `f${Math.random().toString(36).slice(2)}.csv`);
    await writeFile(path, text);
    return path;
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'modelyard-dialect-test-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('picks the delimiter that splits the header most, ignoring quoted ones', async () => {
    expect(await detectCsvDialect(await file('a,b,c\n1,2,3\n'))).toEqual({
      delimiter: ',',
      fields: 3,
      names: ['a', 'b', 'c'],
    });
    expect(await detectCsvDialect(await file('a;b\n1,5;2\n'))).toEqual({
      delimiter: ';',
      fields: 2,
      names: ['a', 'b'],
    });
    expect(await detectCsvDialect(await file('a\tb\tc\td\n'))).toEqual({
      delimiter: '\t',
      fields: 4,
      names: ['a', 'b', 'c', 'd'],
    });
    expect(await detectCsvDialect(await file('"x;y;z",b\n'))).toEqual({
      delimiter: ',',
      fields: 2,
      names: ['x;y;z', 'b'],
    });
    expect(await detectCsvDialect(await file('\uFEFFa|b\r\n1|2\r\n'))).toEqual({
      delimiter: '|',
      fields: 2,
      names: ['a', 'b'],
    });
  });

  it('reads one column when nothing splits, and honours a forced delimiter', async () => {
    expect(await detectCsvDialect(await file('value\n1\n'))).toEqual({ delimiter: ',', fields: 1, names: ['value'] });
    expect(await detectCsvDialect(await file('a,b\tc\n'), '\t')).toEqual({
      delimiter: '\t',
      fields: 2,
      names: ['a,b', 'c'],
    });
    expect(await detectCsvDialect(await file('"multi\nline",b\n'))).toEqual({
      delimiter: ',',
      fields: 2,
      names: ['multi\nline', 'b'],
    });
  });
});
