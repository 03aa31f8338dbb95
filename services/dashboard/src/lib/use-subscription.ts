import { type TypedDocumentString } from '@fleetwave/api-client';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useSession } from '../auth/session';

/**
 * Keeps a subscription open while the component is mounted and `enabled`; restarts it when the
 * variables change. Returns the last error (cleared by the next update).
 */
export function useSubscription<T, V extends Record<string, unknown>>(
  query: TypedDocumentString<T, V>,
  variables: V,
  onData: (data: T) => void,
  enabled = true,
): string | undefined {
  const session = useSession();
  const [error, setError] = useState<string>();
  const handler = useRef(onData);
  useLayoutEffect(() => {
    handler.current = onData;
  });
  const key = JSON.stringify(variables);

  useEffect(() => {
    if (!enabled) return;
    setError(undefined);
    return session.subscribe(query, JSON.parse(key) as V, {
      next: (data) => {
        setError(undefined);
        handler.current(data);
      },
      error: setError,
    });
  }, [session, query, key, enabled]);
  return error;
}
