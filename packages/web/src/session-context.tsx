// The signed-in session (SDK client + caller) shared by every view below the app shell.
import { createContext, useContext } from 'react';
import type { Me, ModelyardClient } from '@modelyard/client';

export interface Session {
  client: ModelyardClient;
  me: Me;
  /** Called when the API answers 401 mid-session: the token was revoked or expired. */
  onUnauthenticated: () => void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === null) throw new Error('useSession() outside a signed-in <SessionContext.Provider>');
  return session;
}
