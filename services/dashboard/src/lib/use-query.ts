import { type TypedDocumentString } from '@fleetwave/api-client';
import { useCallback, useEffect, useState } from 'react';
import { errorMessage } from '../api/graphql';
import { useLive, useSession } from '../auth/session';

export interface QueryState<T> {
  data: T | undefined;
  /** The variables `data` was read with (JSON): while newer ones load, the data shown is older. */
  dataVariables: string | undefined;
  error: string | undefined;
  loading: boolean;
  reload: () => void;
  /** Replaces the data in place (a live update, a mutation's answer). */
  update: (change: (data: T | undefined) => T | undefined) => void;
}

/**
 * Runs a query whenever its variables change, on reload(), and after every (re)connection of the
 * live socket when `refetchOnReconnect` (subscriptions only deliver what happens after they start).
 * An answer that arrives after newer variables were asked for is dropped.
 */
export function useQuery<T, V>(
  query: TypedDocumentString<T, V>,
  variables: V,
  options: { refetchOnReconnect?: boolean } = {},
): QueryState<T> {
  const session = useSession();
  const { connections } = useLive();
  const [state, setState] = useState<{ data?: T; dataVariables?: string; error?: string; loading: boolean }>({
    loading: true,
  });
  const [nonce, setNonce] = useState(0);
  const key = JSON.stringify(variables);
  const reconnects = options.refetchOnReconnect ? connections : 0;

  useEffect(() => {
    const controller = new AbortController();
    setState((current) => ({ ...current, loading: true }));
    session.request(query, JSON.parse(key) as V, controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ data, dataVariables: key, loading: false });
      },
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ error: errorMessage(error), loading: false });
      },
    );
    return () => controller.abort();
  }, [session, query, key, nonce, reconnects]);

  const reload = useCallback(() => setNonce((n) => n + 1), []);
  const update = useCallback(
    (change: (data: T | undefined) => T | undefined) =>
      setState((current) => ({ ...current, data: change(current.data) })),
    [],
  );
  return {
    data: state.data,
    dataVariables: state.dataVariables,
    error: state.error,
    loading: state.loading,
    reload,
    update,
  };
}
