import { describe, expect, it } from 'vitest';
import { collectAll, paginate } from './paginate.js';
import type { Page, PageQuery } from './types.js';

describe('paginate', () => {
  it('yields nothing for an empty first page', async () => {
    const items: number[] = [];
    for await (const item of paginate<number>(async () => ({ items: [], nextCursor: null }))) items.push(item);
    expect(items).toEqual([]);
  });

  it('passes no cursor first, then each nextCursor', async () => {
    const asked: PageQuery[] = [];
    const pages: Page<string>[] = [
      { items: ['a'], nextCursor: 'x' },
      { items: ['b', 'c'], nextCursor: null },
    ];
    const all = await collectAll<string>(async (q) => {
      asked.push(q);
      return pages.shift() ?? { items: [], nextCursor: null };
    });
    expect(all).toEqual(['a', 'b', 'c']);
    expect(asked).toEqual([{}, { cursor: 'x' }]);
  });

  it('stops early when the consumer breaks', async () => {
    let calls = 0;
    for await (const item of paginate<number>(async () => {
      calls += 1;
      return { items: [calls], nextCursor: `c${calls}` };
    })) {
      if (item === 2) break;
    }
    expect(calls).toBe(2);
  });

  it('refuses a repeated cursor instead of looping forever', async () => {
    await expect(collectAll<number>(async () => ({ items: [1], nextCursor: 'same' }))).rejects.toThrow(/repeated/);
  });
});
