// Reading `endpoints feedback --file`: CSV and JSON label files.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFeedback } from './read-feedback.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'modelyard-feedback-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function read(name: string, text: string) {
  await writeFile(join(dir, name), text);
  return readFeedback(name, dir);
}

describe('readFeedback', () => {
  it('reads CSV in any column order, numbers as numbers unless they read as class names', async () => {
    const labels = await read(
      'a.csv',
      '\uFEFFlabel,requestId,index\r\ngood,inf_1,\n"bad, really",inf_2,3\n2.50,inf_3,0\n007,inf_4,1\n-1e3,inf_5,\n',
    );
    expect(labels).toEqual([
      { requestId: 'inf_1', label: 'good' },
      { requestId: 'inf_2', index: 3, label: 'bad, really' },
      { requestId: 'inf_3', index: 0, label: 2.5 },
      { requestId: 'inf_4', index: 1, label: '007' },
      { requestId: 'inf_5', label: -1000 },
    ]);
  });

  it('reads JSON arrays and {labels}', async () => {
    const list = [{ requestId: 'inf_1', index: 2, label: true }];
    expect(await read('b.json', JSON.stringify(list))).toEqual(list);
    expect(await read('c.json', JSON.stringify({ labels: list }))).toEqual(list);
  });

  it('names what is wrong', async () => {
    await expect(read('d.csv', 'id,label\ninf_1,good\n')).rejects.toMatchObject({ code: 'invalid_labels' });
    await expect(read('e.csv', 'requestId,index,label\ninf_1,-1,good\n')).rejects.toMatchObject({
      code: 'invalid_labels',
    });
    await expect(read('f.csv', 'requestId,label\n')).rejects.toMatchObject({ code: 'no_labels' });
    await expect(read('g.json', '{"labels": 3}')).rejects.toMatchObject({ code: 'invalid_labels' });
    await expect(read('h.json', '[{"label": 1}]')).rejects.toMatchObject({ code: 'invalid_labels' });
    await expect(readFeedback('missing.csv', dir)).rejects.toMatchObject({ code: 'file_not_found' });
  });
});
