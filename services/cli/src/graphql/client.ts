import { type TypedDocumentString } from '@fleetwave/api-client';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ApiError, CliError, CLI_CODES, oneLine, UnavailableError } from '../errors.js';
import { Channel } from './channel.js';

export interface GraphqlErrorBody {
  message?: unknown;
  extensions?: { code?: unknown };
}

export interface GraphqlClientOptions {
  /** The hub's base URL (`http://hub:8080`) or its GraphQL endpoint (`…/graphql`). */
  hub: string;
  token: string | undefined;
  /** How long one query or mutation may take (a sync fetches from git). */
  timeoutMs?: number;
}

/** What a subscription tells its follower besides the values. */
export interface SubscriptionHooks {
  /** The socket is up and the hub accepted the token (the subscription is being registered). */
  onConnected?: () => void;
}

/** A subscription that went away without a GraphQL error (the socket closed or never opened). */
export class SubscriptionDropped extends CliError {
  override readonly name = 'SubscriptionDropped';

  constructor(message: string) {
    super(message, CLI_CODES.unavailable);
  }
}

const DEFAULT_TIMEOUT_MS = 120_000;

/** Pure: the GraphQL endpoint of a hub URL; refuses anything but http(s). */
export function graphqlEndpoint(hub: string): URL {
  let url: URL;
  try {
    url = new URL(hub);
  } catch {
    throw new CliError(`invalid hub URL "${hub}": expected e.g. http://127.0.0.1:8080`, CLI_CODES.config);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError(`invalid hub URL "${hub}": the scheme must be http or https`, CLI_CODES.config);
  }
  if (url.username || url.password) {
    throw new CliError(`invalid hub URL: put the token in --token, not in the URL`, CLI_CODES.config);
  }
  if (!url.pathname.endsWith('/graphql')) url.pathname = `${url.pathname.replace(/\/+$/, '')}/graphql`;
  url.search = '';
  url.hash = '';
  return url;
}

/** Pure: the WebSocket URL of a GraphQL endpoint (`ws:` for `http:`, `wss:` for `https:`). */
export function websocketEndpoint(endpoint: URL): string {
  return endpoint.href.replace(/^http/, 'ws');
}

/** Pure: one ApiError for the `errors` of an answer: the first code, every distinct message. */
export function apiErrorFrom(errors: readonly GraphqlErrorBody[]): ApiError {
  const code = errors.map((e) => e.extensions?.code).find((c): c is string => typeof c === 'string');
  const messages = [
    ...new Set(errors.map((e) => (typeof e.message === 'string' ? oneLine(e.message) : 'unknown error'))),
  ];
  return new ApiError(messages.join('; ') || 'unknown error', code ?? 'UNKNOWN');
}

/** Pure: why fetch failed, from its cause (`connect ECONNREFUSED 127.0.0.1:8080`). */
export function describeFetchFailure(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return 'no answer in time';
  }
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause instanceof Error || (typeof cause === 'object' && cause !== null)) {
    const { message, code, errors } = cause as { message?: unknown; code?: unknown; errors?: unknown };
    if (typeof message === 'string' && message !== '') return message;
    if (Array.isArray(errors) && errors[0] instanceof Error && errors[0].message) return errors[0].message;
    if (typeof code === 'string') return code;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Pure: a socket close or error as one line (`closed with 4403: Forbidden`). */
export function describeSocketFailure(failure: unknown): string {
  if (failure instanceof Error) return failure.message;
  const { code, reason, message } = (failure ?? {}) as {
    code?: unknown;
    reason?: unknown;
    message?: unknown;
  };
  if (typeof code === 'number') return `closed with ${code}${reason ? `: ${String(reason)}` : ''}`;
  if (typeof message === 'string' && message) return message;
  return 'the connection failed';
}

/**
 * The hub's GraphQL API: queries and mutations over fetch, subscriptions over graphql-ws (the `ws`
 * package as the WebSocket; the token in `connection_init`).
 */
export class GraphqlClient {
  readonly endpoint: URL;
  private readonly timeoutMs: number;

  constructor(private readonly options: GraphqlClientOptions) {
    this.endpoint = graphqlEndpoint(options.hub);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** Runs a query or mutation; the answer's `data`, or an ApiError with the hub's code. */
  async request<T, V>(document: TypedDocumentString<T, V>, variables: V): Promise<T> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
    };
    if (this.options.token) headers['authorization'] = `Bearer ${this.options.token}`;
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query: document.toString(), variables }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new UnavailableError(
        `cannot reach the hub at ${this.endpoint.href}: ${describeFetchFailure(error)}`,
      );
    }
    let body: { data?: T | null; errors?: GraphqlErrorBody[] };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new UnavailableError(
        `the hub at ${this.endpoint.href} answered HTTP ${response.status} without GraphQL: ${oneLine(text).slice(0, 120)}`,
      );
    }
    if (Array.isArray(body.errors) && body.errors.length > 0) throw apiErrorFrom(body.errors);
    if (body.data === null || body.data === undefined) {
      throw new UnavailableError(
        `the hub at ${this.endpoint.href} answered HTTP ${response.status} without data`,
      );
    }
    return body.data;
  }

  /**
   * Subscribes; each `data` is yielded. GraphQL errors end it with an ApiError (fatal), a socket
   * that closes or never opens with SubscriptionDropped. Aborting `signal` (or leaving the loop)
   * unsubscribes and closes the socket.
   */
  subscribe<T, V extends Record<string, unknown>>(
    document: TypedDocumentString<T, V>,
    variables: V,
    signal: AbortSignal,
    hooks: SubscriptionHooks = {},
  ): AsyncIterableIterator<T> {
    const client = createClient({
      url: websocketEndpoint(this.endpoint),
      webSocketImpl: WebSocket,
      connectionParams: this.options.token ? { authorization: `Bearer ${this.options.token}` } : {},
      lazy: true,
      retryAttempts: 0,
      on: { connected: () => hooks.onConnected?.() },
    });
    let unsubscribe: () => void = () => undefined;
    const channel = new Channel<T>(() => {
      unsubscribe();
      void client.dispose();
    });
    unsubscribe = client.subscribe<T>(
      { query: document.toString(), variables },
      {
        next: (result) => {
          if (result.errors?.length) channel.fail(apiErrorFrom(result.errors as GraphqlErrorBody[]));
          else if (result.data !== undefined && result.data !== null) channel.push(result.data);
        },
        error: (error) => {
          if (Array.isArray(error)) channel.fail(apiErrorFrom(error as GraphqlErrorBody[]));
          else channel.fail(new SubscriptionDropped(`live updates stopped: ${describeSocketFailure(error)}`));
        },
        complete: () => channel.fail(new SubscriptionDropped('live updates stopped: the hub ended them')),
      },
    );
    if (signal.aborted) channel.end();
    else signal.addEventListener('abort', () => channel.end(), { once: true });
    return channel;
  }
}
