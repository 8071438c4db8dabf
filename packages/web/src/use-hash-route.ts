// A tiny hash router: `#/projects/<name>/<tab>/<item>` and `#/search?q=…`, so views survive a reload and can be shared.
import { useCallback, useEffect, useState } from 'react';
import type { SearchKind } from '@modelyard/client';

export const TABS = ['datasets', 'runs', 'models', 'endpoints', 'sql', 'connections'] as const;
export type Tab = (typeof TABS)[number];

/** Every kind search looks through, in the order the filter lists them. */
export const SEARCH_KINDS: readonly SearchKind[] = ['dataset', 'column', 'run', 'model', 'endpoint'];

export interface SearchRoute {
  /** The text searched for; empty before anything was typed. */
  q: string;
  /** The kinds to look through; empty means all of them. */
  kinds: SearchKind[];
}

export interface Route {
  /** The open project's name; absent on the project list and the search page. */
  project?: string;
  tab: Tab;
  /** The selected dataset or run id within the tab. */
  item?: string;
  /** Set on the search page. */
  search?: SearchRoute;
}

function isTab(value: string | undefined): value is Tab {
  return (TABS as readonly (string | undefined)[]).includes(value);
}

function isSearchKind(value: string): value is SearchKind {
  return (SEARCH_KINDS as readonly string[]).includes(value);
}

function parseSearch(query: string): SearchRoute {
  const params = new URLSearchParams(query);
  const kinds = (params.get('kinds') ?? '').split(',').filter(isSearchKind);
  // Listing every kind is the same search as listing none; one spelling keeps links comparable.
  return { q: params.get('q') ?? '', kinds: kinds.length === SEARCH_KINDS.length ? [] : kinds };
}

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#\/?/, '');
  const mark = path.indexOf('?');
  const query = mark === -1 ? '' : path.slice(mark + 1);
  const parts = (mark === -1 ? path : path.slice(0, mark))
    .split('/')
    .filter(Boolean)
    .map((part) => decodeURIComponent(part));
  if (parts[0] === 'search') return { tab: 'datasets', search: parseSearch(query) };
  if (parts[0] !== 'projects' || parts[1] === undefined) return { tab: 'datasets' };
  const tab = isTab(parts[2]) ? parts[2] : 'datasets';
  return { project: parts[1], tab, item: parts[3] };
}

export function routeHref(route: Route): string {
  if (route.search !== undefined) {
    const params = new URLSearchParams();
    if (route.search.q !== '') params.set('q', route.search.q);
    if (route.search.kinds.length > 0 && route.search.kinds.length < SEARCH_KINDS.length) {
      params.set('kinds', route.search.kinds.join(','));
    }
    const query = params.toString();
    return query === '' ? '#/search' : `#/search?${query}`;
  }
  if (route.project === undefined) return '#/';
  const parts = ['projects', route.project, route.tab, ...(route.item === undefined ? [] : [route.item])];
  return `#/${parts.map(encodeURIComponent).join('/')}`;
}

export function useHashRoute(): [Route, (route: Route, options?: { replace?: boolean }) => void] {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  // `replace` swaps the current history entry, so typing into search does not leave one entry per keystroke.
  const navigate = useCallback((next: Route, options: { replace?: boolean } = {}) => {
    const href = routeHref(next);
    if (href === window.location.hash) return;
    if (options.replace) window.location.replace(href);
    else window.location.hash = href;
  }, []);
  return [route, navigate];
}
