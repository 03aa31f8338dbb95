import { type TypedDocumentString } from '@fleetwave/api-client';
import { type Client } from 'graphql-ws';
import { createContext, type ReactNode, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, postGraphql } from '../api/graphql';
import { createLiveClient, type LiveStatus, subscriptionErrorMessage } from '../api/live';
import { type Role } from '../api/model';

export interface SubscriptionSink<T> {
  next: (data: T) => void;
  error: (message: string) => void;
}

/** A logged-in user: the token's role, and the API with that token. */
export interface Session {
  role: Role;
  request<T, V>(document: TypedDocumentString<T, V>, variables: V, signal?: AbortSignal): Promise<T>;
  /** Starts a subscription; returns the function that ends it. */
  subscribe<T, V extends Record<string, unknown>>(
    document: TypedDocumentString<T, V>,
    variables: V,
    sink: SubscriptionSink<T>,
  ): () => void;
  logout(message?: string): void;
}

export interface Live {
  status: LiveStatus;
  /** Counts connection_acks: pages re-read what they show when it changes (updates are live only). */
  connections: number;
}

const SessionContext = createContext<Session | null>(null);
const LiveContext = createContext<Live>({ status: 'idle', connections: 0 });

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a SessionProvider');
  return session;
}

export function useLive(): Live {
  return useContext(LiveContext);
}

export function SessionProvider(props: {
  token: string;
  role: Role;
  onLogout: (message?: string) => void;
  children: ReactNode;
}) {
  const { token, role, onLogout } = props;
  const [live, setLive] = useState<Live>({ status: 'idle', connections: 0 });
  // The token changes when single sign-on renews it: calls and (re)connections take the latest.
  const tokenRef = useRef(token);
  tokenRef.current = token;

  // Made in an effect, so the socket closes with the session (and React's strict mode gets a fresh one).
  const [client, setClient] = useState<Client>();
  useEffect(() => {
    const created = createLiveClient(() => tokenRef.current, {
      onStatus: (status) => setLive((current) => ({ ...current, status })),
      onConnected: () => setLive((current) => ({ ...current, connections: current.connections + 1 })),
      onRefused: () => onLogout('The hub no longer accepts this token.'),
    });
    setClient(created);
    return () => void created.dispose();
  }, [onLogout]);

  const session = useMemo<Session | undefined>(
    () =>
      client && {
        role,
        async request<T, V>(document: TypedDocumentString<T, V>, variables: V, signal?: AbortSignal) {
          try {
            return await postGraphql(tokenRef.current, document, variables, signal);
          } catch (error) {
            if (error instanceof ApiError && error.code === 'UNAUTHENTICATED') {
              onLogout(`The hub no longer accepts this token: ${error.message}.`);
            }
            throw error;
          }
        },
        subscribe<T, V extends Record<string, unknown>>(
          document: TypedDocumentString<T, V>,
          variables: V,
          sink: SubscriptionSink<T>,
        ) {
          return client.subscribe<T>(
            { query: document.toString(), variables },
            {
              next: (result) => {
                if (result.errors?.length) sink.error(subscriptionErrorMessage(result.errors));
                else if (result.data) sink.next(result.data);
              },
              error: (error) => sink.error(subscriptionErrorMessage(error)),
              complete: () => undefined,
            },
          );
        },
        logout: onLogout,
      },
    [role, client, onLogout],
  );

  if (!session) return null;
  return (
    <SessionContext.Provider value={session}>
      <LiveContext.Provider value={live}>{props.children}</LiveContext.Provider>
    </SessionContext.Provider>
  );
}
