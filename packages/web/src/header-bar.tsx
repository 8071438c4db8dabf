// The top bar: brand, where you are (project breadcrumb), catalog search, who you are, and sign out.
import type { Me } from '@modelyard/client';
import { HeaderSearch } from './header-search';
import { Logo } from './logo';
import { routeHref } from './use-hash-route';
import type { Route } from './use-hash-route';

export function HeaderBar({
  me,
  route,
  navigate,
  onSignOut,
}: {
  me: Me;
  route: Route;
  navigate: (route: Route, options?: { replace?: boolean }) => void;
  onSignOut: () => void;
}) {
  const { project } = route;
  const onHome = project === undefined && route.search === undefined;
  const initial = me.user.name.slice(0, 1).toUpperCase();
  return (
    <header className="header-bar" data-testid="header">
      <div className="header-left">
        <a href={routeHref({ tab: 'datasets' })} className="header-brand" aria-label="Modelyard home">
          <Logo />
        </a>
        <nav className="breadcrumbs" aria-label="Breadcrumb">
          <a href={routeHref({ tab: 'datasets' })} className={onHome ? 'current' : undefined}>
            Projects
          </a>
          {route.search === undefined ? null : (
            <>
              <span className="breadcrumb-sep" aria-hidden="true">
                /
              </span>
              <a href={routeHref(route)} className="current">
                Search
              </a>
            </>
          )}
          {project === undefined ? null : (
            <>
              <span className="breadcrumb-sep" aria-hidden="true">
                /
              </span>
              <a href={routeHref({ project, tab: 'datasets' })} className="current">
                {project}
              </a>
            </>
          )}
        </nav>
      </div>
      <HeaderSearch search={route.search} navigate={navigate} />
      <div className="header-right">
        <span className="user-chip" data-testid="user-name" title={me.user.id}>
          <span className="avatar" aria-hidden="true">
            {initial}
          </span>
          {me.user.name}
          {me.user.isAdmin ? <span className="pill pill-admin">platform admin</span> : null}
        </span>
        <button type="button" className="button button-ghost" onClick={onSignOut} data-testid="sign-out">
          Sign out
        </button>
      </div>
    </header>
  );
}
