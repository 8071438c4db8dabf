// Walks a cursor-paginated list page by page, yielding its items.

import type { Page, PageQuery } from './types.js';

/** Fetches one page; `page.cursor` is undefined for the first page. */
export type PageFetcher<T> = (page: PageQuery) => Promise<Page<T>>;

/**
 * Yields every item of every page, following `nextCursor` until it is null.
 * Example: `for await (const run of paginate((p) => client.listRuns('demo', p))) …`
 */
export async function* paginate<T>(fetchPage: PageFetcher<T>): AsyncGenerator<T, void, undefined> {
  let cursor: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    const page = await fetchPage(cursor === undefined ? {} : { cursor });
    yield* page.items;
    if (page.nextCursor === null || page.nextCursor === undefined) return;
    // A server that hands back a cursor twice would otherwise loop forever.
    if (seen.has(page.nextCursor)) throw new Error(`Pagination cursor '${page.nextCursor}' repeated.`);
    seen.add(page.nextCursor);
    cursor = page.nextCursor;
  }
}

/** Collects every item of a paginated list into one array. */
export async function collectAll<T>(fetchPage: PageFetcher<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of paginate(fetchPage)) items.push(item);
  return items;
}
