import { type Client, createClient } from 'graphql-ws';
import { GRAPHQL_PATH } from './graphql';

/** The WebSocket's state, as the header shows it. */
export type LiveStatus = 'idle' | 'connecting' | 'live' | 'offline';

export interface LiveCallbacks {
  onStatus: (status: LiveStatus) => void;
  /** After every connection_ack: the first and each reconnection (pages re-read what they show). */
  onConnected: () => void;
  /** The hub closed the socket with 4403: the token is no longer valid. */
  onRefused: () => void;
}

/** The hub closes a socket whose connection_init carries no valid token with this code. */
const FORBIDDEN = 4403;

function closeCode(event: unknown): number | undefined {
  return typeof event === 'object' && event !== null && 'code' in event && typeof event.code === 'number'
    ? event.code
    : undefined;
}

/**
 * One graphql-ws client per session: subscriptions share its socket, which opens with the first
 * subscription, stays a little after the last (page changes do not reconnect), and retries with
 * back-off unless the token was refused.
 */
export function createLiveClient(token: () => string, callbacks: LiveCallbacks): Client {
  const url = new URL(GRAPHQL_PATH, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return createClient({
    url: url.toString(),
    // Asked at each (re)connection: a renewed SSO token is used from the next one on.
    connectionParams: () => ({ authorization: `Bearer ${token()}` }),
    lazy: true,
    lazyCloseTimeout: 5_000,
    retryAttempts: Number.POSITIVE_INFINITY,
    shouldRetry: (event) => closeCode(event) !== FORBIDDEN,
    on: {
      connecting: () => callbacks.onStatus('connecting'),
      connected: () => {
        callbacks.onStatus('live');
        callbacks.onConnected();
      },
      closed: (event) => {
        const code = closeCode(event);
        if (code === FORBIDDEN) callbacks.onRefused();
        // 1000: closed on purpose (no subscriptions left, or logout).
        callbacks.onStatus(code === 1000 ? 'idle' : 'offline');
      },
    },
  });
}

/** A subscription's error sink gets GraphQL errors, a CloseEvent or an Error: one line for people. */
export function subscriptionErrorMessage(error: unknown): string {
  if (Array.isArray(error)) {
    return error.map((e: { message?: unknown }) => String(e?.message ?? e)).join('; ');
  }
  if (error instanceof Error) return error.message;
  const code = closeCode(error);
  if (code !== undefined) {
    const reason = (error as { reason?: unknown }).reason;
    return `live updates closed (${code}${typeof reason === 'string' && reason ? `: ${reason}` : ''})`;
  }
  return String(error);
}
