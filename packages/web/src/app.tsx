// The app shell: signs in with a token, then routes between the project list, a project's pages and search.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, ModelyardClient } from '@modelyard/client';
import type { Me } from '@modelyard/client';
import { errorMessage } from './error-message';
import { HeaderBar } from './header-bar';
import { LoadingPanel } from './loading-panel';
import { ProjectList } from './project-list';
import { ProjectPage } from './project-page';
import { SearchPage } from './search-page';
import { SessionContext } from './session-context';
import type { Session } from './session-context';
import { SignInPage } from './sign-in-page';
import { clearToken, readToken, writeToken } from './token-storage';
import { useHashRoute } from './use-hash-route';

type AuthState =
  | { phase: 'checking'; token: string }
  | { phase: 'signed-out'; notice?: string }
  | { phase: 'signed-in'; client: ModelyardClient; me: Me };

function clientFor(token: string): ModelyardClient {
  return new ModelyardClient({ baseUrl: window.location.origin, token });
}

/** Checks a token; rejects with a message fit for the sign-in form. */
async function verify(token: string): Promise<{ client: ModelyardClient; me: Me }> {
  const client = clientFor(token);
  try {
    return { client, me: await client.me() };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      throw new Error('That token was not accepted. Check that you copied all of it and that it has not been revoked.');
    }
    throw new Error(errorMessage(error));
  }
}

export function App() {
  const [auth, setAuth] = useState<AuthState>(() => {
    const token = readToken();
    return token === null ? { phase: 'signed-out' } : { phase: 'checking', token };
  });
  const [route, navigate] = useHashRoute();

  // A token left from earlier in this tab: check it once before showing anything behind it.
  useEffect(() => {
    if (auth.phase !== 'checking') return;
    let cancelled = false;
    verify(auth.token).then(
      ({ client, me }) => {
        if (!cancelled) setAuth({ phase: 'signed-in', client, me });
      },
      (error: unknown) => {
        if (cancelled) return;
        clearToken();
        setAuth({ phase: 'signed-out', notice: error instanceof Error ? error.message : String(error) });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [auth]);

  const signIn = useCallback(async (token: string) => {
    const { client, me } = await verify(token);
    writeToken(token);
    setAuth({ phase: 'signed-in', client, me });
  }, []);

  const signOut = useCallback(() => {
    clearToken();
    setAuth({ phase: 'signed-out' });
  }, []);

  const onUnauthenticated = useCallback(() => {
    clearToken();
    setAuth({ phase: 'signed-out', notice: 'Your session ended: the token is no longer accepted. Sign in again.' });
  }, []);

  const session = useMemo<Session | null>(
    () => (auth.phase === 'signed-in' ? { client: auth.client, me: auth.me, onUnauthenticated } : null),
    [auth, onUnauthenticated],
  );

  if (auth.phase === 'checking') {
    return (
      <div className="splash">
        <LoadingPanel label="Signing in…" />
      </div>
    );
  }
  if (session === null) {
    return <SignInPage onSignIn={signIn} notice={auth.phase === 'signed-out' ? auth.notice : null} />;
  }
  return (
    <SessionContext.Provider value={session}>
      <div className="app">
        <HeaderBar me={session.me} route={route} navigate={navigate} onSignOut={signOut} />
        <main className="main">
          {route.search !== undefined ? <SearchPage search={route.search} navigate={navigate} /> : null}
          {route.search === undefined && route.project === undefined ? <ProjectList /> : null}
          {route.search === undefined && route.project !== undefined ? (
            <ProjectPage key={route.project} project={route.project} route={route} />
          ) : null}
        </main>
      </div>
    </SessionContext.Provider>
  );
}
