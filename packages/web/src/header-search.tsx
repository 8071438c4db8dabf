// The search box in the header: typing (debounced) opens `#/search?q=…`; `/` anywhere focuses it, Escape leaves it.
import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { Route, SearchRoute } from './use-hash-route';

/** Long enough that a word typed at normal speed makes one request, short enough to feel live. */
const DEBOUNCE_MS = 250;

function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function HeaderSearch({
  search,
  navigate,
}: {
  /** The search page's state when it is open. */
  search?: SearchRoute;
  navigate: (route: Route, options?: { replace?: boolean }) => void;
}) {
  const routeQ = search?.q ?? '';
  const [text, setText] = useState(routeQ);
  const input = useRef<HTMLInputElement>(null);
  // The text this box last sent to the URL; a different q in the URL came from elsewhere (back button, a link).
  const sent = useRef(routeQ);
  const kinds = search?.kinds ?? [];
  const onSearchPage = search !== undefined;

  useEffect(() => {
    if (routeQ !== sent.current) {
      sent.current = routeQ;
      setText(routeQ);
    }
  }, [routeQ]);

  // Leaving the search page clears the box, so it does not look like a filter on the page now shown.
  useEffect(() => {
    if (!onSearchPage) {
      sent.current = '';
      setText('');
    }
  }, [onSearchPage]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target)) return;
      event.preventDefault();
      input.current?.focus();
      input.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const go = (q: string): void => {
    sent.current = q;
    // While on the search page each refinement replaces the entry; arriving there adds one, so Back returns.
    navigate({ tab: 'datasets', search: { q, kinds } }, { replace: onSearchPage });
  };

  useEffect(() => {
    const q = text.trim();
    if (q === sent.current.trim() || (q === '' && !onSearchPage)) return;
    const timer = setTimeout(() => go(q), DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // `go` is rebuilt each render; the debounce restarts only when the text changes.
  }, [text]);

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    go(text.trim());
  };

  return (
    <form className="header-search" role="search" onSubmit={submit} data-testid="header-search">
      <svg
        className="header-search-icon"
        viewBox="0 0 24 24"
        width="16"
        height="16"
        fill="none"
        stroke="currentColor"
        strokeWidth="2"
        aria-hidden="true"
      >
        <circle cx="11" cy="11" r="7" />
        <path d="m20 20-3.5-3.5" strokeLinecap="round" />
      </svg>
      <input
        ref={input}
        type="search"
        className="header-search-input"
        placeholder="Search datasets, columns, runs, models…"
        aria-label="Search the catalog"
        value={text}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') event.currentTarget.blur();
        }}
        maxLength={200}
        spellCheck={false}
        autoComplete="off"
        data-testid="search-input"
      />
      <kbd className="header-search-key" aria-hidden="true">
        /
      </kbd>
    </form>
  );
}
