// Sign in with a personal access token; the token is checked against /api/v1/me before it is kept.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { Logo } from './logo';

export interface SignInPageProps {
  /** Resolves when the token works; rejects with the reason otherwise. */
  onSignIn: (token: string) => Promise<void>;
  /** Shown above the form, e.g. after a session expired. */
  notice?: string | null;
  error?: string | null;
}

export function SignInPage({ onSignIn, notice, error: initialError }: SignInPageProps) {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(initialError ?? null);

  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const trimmed = token.trim();
    if (trimmed === '') {
      setError('Paste a personal access token to sign in.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSignIn(trimmed);
    } catch (reason) {
      setError(reason instanceof Error ? reason.message : String(reason));
      setBusy(false);
    }
  };

  return (
    <div className="sign-in-page">
      <form className="sign-in-card" onSubmit={(event) => void submit(event)} data-testid="sign-in-form" noValidate>
        <Logo size={36} />
        <h1>Sign in</h1>
        <p className="muted">Use a personal access token to open your projects, datasets, runs and models.</p>
        {notice ? (
          <p className="notice" data-testid="sign-in-notice">
            {notice}
          </p>
        ) : null}
        <label htmlFor="token">Personal access token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder="myd_…"
          value={token}
          onChange={(event) => setToken(event.target.value)}
          data-testid="token-input"
          aria-invalid={error !== null}
          aria-describedby={error !== null ? 'sign-in-error' : undefined}
          autoFocus
        />
        {error !== null ? (
          <p className="form-error" id="sign-in-error" role="alert" data-testid="sign-in-error">
            {error}
          </p>
        ) : null}
        <button type="submit" className="button button-primary button-block" disabled={busy} data-testid="sign-in">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="sign-in-help">No token yet? Ask your platform admin to create one for you.</p>
      </form>
    </div>
  );
}
