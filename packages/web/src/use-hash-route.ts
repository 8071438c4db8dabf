// A tiny hash router: `#/projects/<name>/<tab>/<item>` so views survive a reload and links can be shared.
import { useCallback, useEffect, useState } from 'react';

export const TABS = ['datasets', 'runs', 'models', 'endpoints'] as const;
export type Tab = (typeof TABS)[number];

export interface Route {
  /** The open project's name; absent on the project list. */
  project?: string;
  tab: Tab;
  /** The selected dataset or run id within the tab. */
  item?: string;
}

function isTab(value: string | undefined): value is Tab {
  return (TABS as readonly (string | undefined)[]).includes(value);
}

export function parseRoute(hash: string): Route {
  const parts = hash
    .replace(/^#\/?/, '')
    .split('/')
    .filter(Boolean)
    .map((part) => decodeURIComponent(part));
  if (parts[0] !== 'projects' || parts[1] === undefined) return { tab: 'datasets' };
  const tab = isTab(parts[2]) ? parts[2] : 'datasets';
  return { project: parts[1], tab, item: parts[3] };
}

export function routeHref(route: Route): string {
  if (route.project === undefined) return '#/';
  const parts = ['projects', route.project, route.tab, ...(route.item === undefined ? [] : [route.item])];
  return `#/${parts.map(encodeURIComponent).join('/')}`;
}

export function useHashRoute(): [Route, (route: Route) => void] {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  const navigate = useCallback((next: Route) => {
    window.location.hash = routeHref(next);
  }, []);
  return [route, navigate];
}
