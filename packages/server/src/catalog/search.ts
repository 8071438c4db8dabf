// Governed search: datasets, their columns, runs, models and endpoints by name and text, in viewable projects only.

import type { SearchHit, SearchKind, SearchMatch } from '@modelyard/client';
import type { MetadataStore, SearchRow, UserRecord } from '../store/metadata-store.js';

/** Also the order of ties between kinds. */
export const SEARCH_KINDS: readonly SearchKind[] = ['dataset', 'column', 'run', 'model', 'endpoint'];
export const MAX_SEARCH_LIMIT = 100;
export const DEFAULT_SEARCH_LIMIT = 20;
/** How deep pages may go (offset + limit); past it the ranking would need more rows than we fetch per kind. */
export const MAX_SEARCH_DEPTH = 1000;
/** Datasets whose profiles are read per request for column hits (profile text matches may be false positives). */
const COLUMN_SCAN = 1000;
const SNIPPET_CONTEXT = 40;

export interface SearchRequest {
  q: string;
  kinds: readonly SearchKind[];
  limit: number;
  offset: number;
}

export interface SearchPage {
  hits: SearchHit[];
  /** The offset of the next page, or null at the end. */
  nextOffset: number | null;
}

const TIER: Record<SearchMatch, number> = { name: 0, prefix: 1, contains: 2, description: 3, column: 3, tag: 3 };
const MATCH_OF_RANK: Record<SearchRow['rank'], SearchMatch> = {
  0: 'name',
  1: 'prefix',
  2: 'contains',
  3: 'description',
};

interface Ranked {
  hit: SearchHit;
  tier: number;
  kind: number;
  /** Place within its kind, by name: each kind's list is a prefix of one order, whatever the database's collation. */
  position: number;
}

/** Project ids and names the user may view: every project for platform admins, else every membership (viewer+). */
export async function viewableProjects(store: MetadataStore, user: UserRecord): Promise<Map<string, string>> {
  const projects = new Map<string, string>();
  let after: string | undefined;
  for (;;) {
    const page = await store.listProjects(user.isAdmin ? null : user.id, { limit: 500, after });
    for (const p of page.items) projects.set(p.id, p.name);
    if (page.next === null) return projects;
    after = page.next;
  }
}

function snippetOf(text: string, lowered: string): string | undefined {
  const at = text.toLowerCase().indexOf(lowered);
  if (at < 0) return undefined;
  const start = Math.max(0, at - SNIPPET_CONTEXT);
  const end = Math.min(text.length, at + lowered.length + SNIPPET_CONTEXT);
  return `${start > 0 ? '…' : ''}${text.slice(start, end)}${end < text.length ? '…' : ''}`;
}

/**
 * One ranked page: exact name first, then name prefix, name contains, then description or column text; ties by kind
 * order, then name. Each kind's store query returns its own best `offset + limit + 1` rows, enough to rank the page.
 */
export async function search(store: MetadataStore, user: UserRecord, request: SearchRequest): Promise<SearchPage> {
  const projects = await viewableProjects(store, user);
  const projectIds = [...projects.keys()];
  const lowered = request.q.toLowerCase();
  const want = request.offset + request.limit + 1;
  const kinds = new Set(request.kinds);
  const ranked: Ranked[] = [];

  const add = (kind: SearchKind, position: number, hit: Omit<SearchHit, 'kind' | 'projectName'>) => {
    const projectName = projects.get(hit.projectId);
    // The store already keeps to these projects; checking again costs nothing and keeps governance in one place.
    if (projectName === undefined) return;
    ranked.push({
      hit: { kind, ...hit, projectName },
      tier: TIER[hit.match],
      kind: SEARCH_KINDS.indexOf(kind),
      position,
    });
  };
  const addRows = (kind: SearchKind, rows: SearchRow[]) => {
    rows.forEach((row, position) => {
      const match = MATCH_OF_RANK[row.rank];
      const snippet = match === 'description' ? snippetOf(row.description, lowered) : undefined;
      add(kind, position, {
        id: row.id,
        name: row.name,
        projectId: row.projectId,
        match,
        ...(snippet === undefined ? {} : { snippet }),
      });
    });
  };

  const [datasets, tagged, columns, runs, models, endpoints] = await Promise.all([
    kinds.has('dataset') ? store.searchDatasets(projectIds, request.q, want) : [],
    kinds.has('dataset') ? store.searchDatasetTags(projectIds, request.q, want) : [],
    kinds.has('column') ? store.searchDatasetColumns(projectIds, request.q, Math.max(want, COLUMN_SCAN)) : [],
    kinds.has('run') ? store.searchRuns(projectIds, request.q, want) : [],
    kinds.has('model') ? store.searchModels(projectIds, request.q, want) : [],
    kinds.has('endpoint') ? store.searchEndpoints(projectIds, request.q, want) : [],
  ]);
  addRows('dataset', datasets);
  // A dataset found by name or description is not listed again for its tag.
  const found = new Set(datasets.map((d) => d.id));
  tagged
    .filter((row) => !found.has(row.id))
    .forEach((row, position) =>
      add('dataset', datasets.length + position, {
        id: row.id,
        name: row.name,
        projectId: row.projectId,
        match: 'tag',
        snippet: `${row.key}=${row.value}`,
      }),
    );
  const columnHits = columns
    .flatMap((dataset) =>
      dataset.columns
        .filter((column) => column.toLowerCase().includes(lowered))
        .map((column) => ({ dataset, column, key: column.toLowerCase() })),
    )
    .sort((a, b) => compare(a.key, b.key) || compare(a.column, b.column) || compare(a.dataset.id, b.dataset.id));
  columnHits.forEach(({ dataset, column }, position) =>
    add('column', position, {
      id: dataset.id,
      name: column,
      projectId: dataset.projectId,
      match: 'column',
      datasetName: dataset.name,
    }),
  );
  addRows('run', runs);
  addRows('model', models);
  addRows('endpoint', endpoints);

  ranked.sort((a, b) => a.tier - b.tier || a.kind - b.kind || a.position - b.position);
  const end = request.offset + request.limit;
  return {
    hits: ranked.slice(request.offset, end).map((r) => r.hit),
    nextOffset: ranked.length > end && end < MAX_SEARCH_DEPTH ? end : null,
  };
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
