// Loads data for a view and tracks loading / error / data; optionally refreshes it on a schedule the data decides.
import { useCallback, useEffect, useRef, useState } from 'react';
import { isUnauthenticated } from './error-message';
import { useSession } from './session-context';

export type AsyncState<T> =
  | { status: 'loading'; data?: undefined; error?: undefined }
  | { status: 'error'; data?: T; error: unknown }
  | { status: 'ready'; data: T; error?: undefined };

export interface AsyncOptions<T> {
  /** How long to wait before loading again, given the latest data (e.g. sooner while a run trains); null: never. */
  refreshMs?: (data: T) => number | null;
}

export function useAsync<T>(
  load: () => Promise<T>,
  deps: readonly unknown[],
  options: AsyncOptions<T> = {},
): AsyncState<T> & { reload: () => void } {
  const { onUnauthenticated } = useSession();
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const optionsRef = useRef(options);
  optionsRef.current = options;

  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let delay: number | null = null;
    const schedule = (): void => {
      if (delay !== null && !cancelled) timer = setTimeout(() => void refresh(), delay);
    };
    const fetchOnce = async (): Promise<void> => {
      try {
        const data = await loadRef.current();
        if (cancelled) return;
        setState({ status: 'ready', data });
        delay = optionsRef.current.refreshMs?.(data) ?? null;
      } catch (error) {
        if (cancelled) return;
        if (isUnauthenticated(error)) onUnauthenticated();
        // A failed refresh keeps showing the last good data next to the error.
        setState((previous) => ({ status: 'error', data: previous.data, error }));
      }
      schedule();
    };
    // A hidden tab skips its refreshes (keeping the schedule) so idle tabs leave the server alone.
    const refresh = async (): Promise<void> => {
      if (document.hidden) schedule();
      else await fetchOnce();
    };
    setState({ status: 'loading' });
    void fetchOnce();
    return () => {
      cancelled = true;
      if (timer !== undefined) clearTimeout(timer);
    };
    // Callers pass their own dependency list, as with useEffect; `load` itself is read through a ref.
  }, [...deps, generation, onUnauthenticated]);

  const reload = useCallback(() => setGeneration((value) => value + 1), []);
  return { ...state, reload };
}
