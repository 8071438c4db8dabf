// `modelyard search`: one search over datasets, columns, runs, models and endpoints of every project you may view.

import type { ModelyardClient, SearchHit, SearchKind } from '@modelyard/client';
import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { formatTable } from '../format-table.js';
import { integerOption } from './integer-option.js';

export const SEARCH_KINDS: readonly SearchKind[] = ['dataset', 'column', 'run', 'model', 'endpoint'];
/** The server's largest page; --all asks for pages this big. */
const MAX_PAGE = 100;

interface SearchOptions {
  kind?: string;
  limit?: string;
  all?: boolean;
}

export function registerSearchCommand(program: Command, ctx: CliContext): void {
  program
    .command('search <text...>')
    .description(
      'find datasets, columns, runs, models and endpoints by name or description, in every project you may view',
    )
    .option('--kind <kinds>', `comma-separated kinds to look through: ${SEARCH_KINDS.join(',')} (default: all)`)
    .option('--limit <n>', 'at most this many hits, 1..100 (default: 20)')
    .option('--all', 'every hit, following the pages (--limit then sets the page size)')
    .action(async (words: string[], opts: SearchOptions, cmd: Command) => {
      const q = words.join(' ');
      const kinds = opts.kind !== undefined ? parseKinds(opts.kind) : undefined;
      const limit = opts.limit !== undefined ? integerOption('--limit', opts.limit, 1, MAX_PAGE) : undefined;
      const client = await ctx.client(cmd);
      const { hits, more } = await searchHits(client, { q, kinds, limit, all: opts.all === true });
      ctx.print(cmd, hits, () => {
        if (hits.length === 0) return `Nothing matches '${q}'.`;
        const table = formatSearchHits(hits);
        return more ? `${table}\n\nMore hits: add --all, or raise --limit.` : table;
      });
    });
}

async function searchHits(
  client: ModelyardClient,
  opts: { q: string; kinds: SearchKind[] | undefined; limit: number | undefined; all: boolean },
): Promise<{ hits: SearchHit[]; more: boolean }> {
  const base = { q: opts.q, ...(opts.kinds ? { kinds: opts.kinds } : {}) };
  if (!opts.all) {
    const page = await client.search({ ...base, ...(opts.limit !== undefined ? { limit: opts.limit } : {}) });
    return { hits: page.items, more: page.nextCursor !== null };
  }
  const hits: SearchHit[] = [];
  for await (const hit of client.paginate((p) => client.search({ ...base, ...p, limit: opts.limit ?? MAX_PAGE }))) {
    hits.push(hit);
  }
  return { hits, more: false };
}

/** `dataset,column` → the kinds, refusing unknown ones before asking the server. */
export function parseKinds(text: string): SearchKind[] {
  const kinds = text
    .split(',')
    .map((k) => k.trim().toLowerCase())
    .filter((k) => k !== '');
  const unknown = kinds.filter((k) => !(SEARCH_KINDS as readonly string[]).includes(k));
  if (kinds.length === 0 || unknown.length > 0) {
    throw new CliError(
      'invalid_option',
      `--kind takes ${SEARCH_KINDS.join(', ')} (comma-separated), not '${unknown.join(',') || text}'.`,
    );
  }
  return [...new Set(kinds)] as SearchKind[];
}

/** KIND, PROJECT, NAME, MATCH, ID; a column reads `dataset.column` (its ID is the dataset's). */
export function formatSearchHits(hits: SearchHit[]): string {
  return formatTable(
    ['KIND', 'PROJECT', 'NAME', 'MATCH', 'ID'],
    hits.map((h) => [
      h.kind,
      h.projectName,
      h.kind === 'column' && h.datasetName !== undefined ? `${h.datasetName}.${h.name}` : h.name,
      h.match,
      h.id,
    ]),
    { alignRight: [] },
  );
}
