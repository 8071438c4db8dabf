// Catalog search across every project the caller may view: a kinds filter, ranked hits, and more on demand.
import { useState } from 'react';
import type { SearchHit, SearchKind } from '@modelyard/client';
import { EmptyState } from './empty-state';
import { ErrorPanel } from './error-panel';
import { LoadingPanel } from './loading-panel';
import { KIND_LABELS, SearchHitRow } from './search-hit-row';
import { useSession } from './session-context';
import { useAsync } from './use-async';
import { SEARCH_KINDS, routeHref } from './use-hash-route';
import type { Route, SearchRoute } from './use-hash-route';

const PAGE_SIZE = 25;

export function SearchPage({
  search,
  navigate,
}: {
  search: SearchRoute;
  navigate: (route: Route, options?: { replace?: boolean }) => void;
}) {
  const { q, kinds } = search;
  const active = (kind: SearchKind): boolean => kinds.length === 0 || kinds.includes(kind);
  const toggle = (kind: SearchKind): void => {
    const current = kinds.length === 0 ? [...SEARCH_KINDS] : kinds;
    const next = current.includes(kind) ? current.filter((k) => k !== kind) : [...current, kind];
    // Unticking the last kind would search nothing; it means "all" again instead.
    const ordered = SEARCH_KINDS.filter((k) => next.includes(k));
    navigate({ tab: 'datasets', search: { q, kinds: ordered } }, { replace: true });
  };

  return (
    <section className="page" data-testid="search-page">
      <div className="page-header">
        <div>
          <h1>Search</h1>
          <p className="muted">Datasets, columns, runs, models and endpoints in every project you can view.</p>
        </div>
      </div>
      <fieldset className="kind-filter" data-testid="kind-filter">
        <legend className="visually-hidden">Kinds to search</legend>
        {SEARCH_KINDS.map((kind) => (
          <label
            key={kind}
            className={active(kind) ? 'filter-chip active' : 'filter-chip'}
            data-testid={`kind-filter-${kind}`}
          >
            <input type="checkbox" checked={active(kind)} onChange={() => toggle(kind)} />
            {KIND_LABELS[kind]}
          </label>
        ))}
        {kinds.length > 0 ? (
          <a className="filter-reset" href={routeHref({ tab: 'datasets', search: { q, kinds: [] } })}>
            All kinds
          </a>
        ) : null}
      </fieldset>
      {q === '' ? (
        <EmptyState title="Search the catalog" testId="search-start">
          Type a name, part of a description or a column name in the search box at the top (press <kbd>/</kbd> to jump
          there).
        </EmptyState>
      ) : (
        <SearchResults key={`${q}\n${kinds.join(',')}`} q={q} kinds={kinds} />
      )}
    </section>
  );
}

/** One query's hits; keyed by the query, so a new search starts from its first page. */
function SearchResults({ q, kinds }: { q: string; kinds: SearchKind[] }) {
  const { client } = useSession();
  const kindsParam = kinds.length === 0 ? undefined : kinds;
  const first = useAsync(() => client.search({ q, kinds: kindsParam, limit: PAGE_SIZE }), [client, q, kinds.join()]);
  const [later, setLater] = useState<{ hits: SearchHit[]; cursor: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);

  if (first.status === 'loading') return <LoadingPanel label={`Searching for “${q}”…`} />;
  if (first.status === 'error') return <ErrorPanel error={first.error} onRetry={first.reload} />;

  const hits = [...first.data.items, ...(later?.hits ?? [])];
  const cursor = later === null ? first.data.nextCursor : later.cursor;

  const loadMore = async (): Promise<void> => {
    if (cursor === null) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      const page = await client.search({ q, kinds: kindsParam, limit: PAGE_SIZE, cursor });
      setLater((previous) => ({ hits: [...(previous?.hits ?? []), ...page.items], cursor: page.nextCursor }));
    } catch (error) {
      setMoreError(error);
    } finally {
      setLoadingMore(false);
    }
  };

  if (hits.length === 0) {
    return (
      <EmptyState title={`Nothing matches “${q}”`} testId="search-empty">
        Search looks for the text inside names, descriptions and column names, in projects where you have a role.
        {kinds.length > 0 ? (
          <>
            {' '}
            Try <a href={routeHref({ tab: 'datasets', search: { q, kinds: [] } })}>all kinds</a>, or a shorter word.
          </>
        ) : (
          ' Try a shorter word, or ask a project admin for access to the project you expect.'
        )}
      </EmptyState>
    );
  }

  return (
    <>
      <p className="result-summary" data-testid="search-summary">
        {cursor === null
          ? `${hits.length} ${hits.length === 1 ? 'result' : 'results'}`
          : `First ${hits.length} results`}{' '}
        for <strong>“{q}”</strong>, best matches first
      </p>
      <div className="card card-flush">
        <table className="table table-clickable search-table" data-testid="search-results">
          <thead>
            <tr>
              <th>Kind</th>
              <th>Name</th>
              <th>Project</th>
              <th>Why it matched</th>
            </tr>
          </thead>
          <tbody>
            {hits.map((hit) => (
              <SearchHitRow key={`${hit.kind}:${hit.id}:${hit.name}`} hit={hit} q={q} />
            ))}
          </tbody>
        </table>
      </div>
      {moreError === null ? null : <ErrorPanel error={moreError} onRetry={() => void loadMore()} />}
      {cursor === null ? null : (
        <div className="load-more">
          <button
            type="button"
            className="button button-secondary"
            onClick={() => void loadMore()}
            disabled={loadingMore}
            data-testid="search-more"
          >
            {loadingMore ? 'Loading…' : 'Load more'}
          </button>
        </div>
      )}
    </>
  );
}
