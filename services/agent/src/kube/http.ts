import http from 'node:http';
import https from 'node:https';

import { KubeApiError } from './errors.js';
import type { KubeConnection } from './kubeconfig.js';

export const HttpMethod = {
  GET: 'GET',
  POST: 'POST',
  PUT: 'PUT',
  PATCH: 'PATCH',
  DELETE: 'DELETE',
} as const;
export type HttpMethod = (typeof HttpMethod)[keyof typeof HttpMethod];

/**
 * One keep-alive connection pool for every request of the agent, built once from the connection's
 * CA, client certificate, `skipTLSVerify` and `tlsServerName`. Client certificates are read once: a
 * rotated certificate file needs a new {@link KubeClients}. Bearer tokens are not part of the pool
 * (they are sent per request), so a rotated token file is picked up.
 */
export class SharedAgent {
  private agent: http.Agent | undefined;
  private built = false;
  /** Requests sent through this client (watches excluded), for the agent's API-load metric. */
  requests = 0;

  constructor(
    private readonly connection: KubeConnection,
    private readonly options: { maxSockets: number },
  ) {}

  /** The shared agent. */
  get(): http.Agent | undefined {
    if (!this.built) {
      this.built = true;
      this.agent = buildAgent(this.connection, this.options.maxSockets);
    }
    return this.agent;
  }

  /** Closes the idle sockets; requests still in flight finish. */
  destroy(): void {
    this.agent?.destroy();
    this.agent = undefined;
    this.built = true;
  }
}

/** A keep-alive agent with the connection's TLS settings. */
export function buildAgent(connection: KubeConnection, maxSockets: number): http.Agent {
  const common = { keepAlive: true, maxSockets, scheduling: 'lifo' as const };
  if (connection.server.startsWith('http:')) return new http.Agent(common);
  const options: https.AgentOptions = { ...common };
  if (connection.ca !== undefined) options.ca = connection.ca;
  if (connection.cert !== undefined) options.cert = connection.cert;
  if (connection.key !== undefined) options.key = connection.key;
  if (connection.skipTLSVerify) options.rejectUnauthorized = false;
  if (connection.tlsServerName !== undefined) options.servername = connection.tlsServerName;
  return new https.Agent(options);
}

export interface RequestOptions {
  query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Sent as JSON. */
  body?: unknown;
  /** Default `application/json` when there is a body. */
  contentType?: string;
  /** Default: the client's request timeout. */
  timeoutMs?: number;
  /** Default `application/json` (e.g. a metadata-only list asks for `…;as=PartialObjectMetadataList`). */
  accept?: string;
}

/** A running watch; `abort()` ends it without calling its `done`. */
export interface WatchHandle {
  abort(): void;
}

/**
 * Plain JSON requests to the API server over node:https with one keep-alive pool.
 *
 * Objects are sent and read as the JSON the domain expects (no typed models that would drop fields
 * they do not know or turn timestamps into `Date`s).
 */
export class KubeHttp {
  private watchAgent: http.Agent | undefined;

  constructor(
    readonly connection: KubeConnection,
    private readonly agent: SharedAgent,
    private readonly defaultTimeoutMs: number,
  ) {}

  /** The parsed JSON body (undefined for an empty one); throws {@link KubeApiError} for anything but 2xx. */
  async request(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<unknown> {
    this.agent.requests++;
    const what = `${method} ${path}`;
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers: http.OutgoingHttpHeaders = { Accept: options.accept ?? 'application/json' };
    if (body !== undefined) {
      headers['Content-Type'] = options.contentType ?? 'application/json';
      headers['Content-Length'] = Buffer.byteLength(body);
    }
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      let req: http.ClientRequest;
      try {
        req = this.send(method, path, options.query, headers, this.agent.get());
      } catch (err) {
        reject(connectionFailed(what, err));
        return;
      }
      const timer = setTimeout(() => {
        req.destroy(new KubeApiError(0, 'Timeout', `${what}: no answer within ${timeoutMs} ms`));
      }, timeoutMs);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', (err) => {
          clearTimeout(timer);
          reject(connectionFailed(what, err));
        });
      });
      req.on('error', (err) => {
        clearTimeout(timer);
        reject(connectionFailed(what, err));
      });
      req.end(body);
    });
    if (status < 200 || status > 299) throw KubeApiError.fromResponse(status, text, what);
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new KubeApiError(status, 'InvalidResponse', `${what}: the answer is not JSON`);
    }
  }

  /**
   * A streaming watch (`GET path?watch=1&…`): `onEvent` gets each newline-delimited event, `done`
   * is called once when the server ends the stream (null) or it fails (the error). Resolves when the
   * response starts (or the request failed: `done` has been called). Not counted in `requests`, and
   * sent over a pool of its own so long-running watches never hold the request pool's sockets.
   */
  watch(
    path: string,
    query: Readonly<Record<string, string | number | boolean | undefined>>,
    onEvent: (type: string, object: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<WatchHandle> {
    const what = `WATCH ${path}`;
    return new Promise<WatchHandle>((resolve) => {
      let finished = false;
      let aborted = false;
      let req: http.ClientRequest | undefined;
      const handle: WatchHandle = {
        abort: () => {
          aborted = true;
          clearTimeout(timer);
          req?.destroy();
        },
      };
      const finish = (err: unknown): void => {
        clearTimeout(timer);
        if (finished || aborted) return;
        finished = true;
        done(err);
        resolve(handle);
      };
      const timer = setTimeout(() => {
        req?.destroy(new KubeApiError(0, 'Timeout', `${what}: no answer within ${this.defaultTimeoutMs} ms`));
      }, this.defaultTimeoutMs);
      try {
        this.watchAgent ??= buildAgent(this.connection, Infinity);
        req = this.send('GET', path, { ...query, watch: 1 }, { Accept: 'application/json' }, this.watchAgent);
      } catch (err) {
        finish(connectionFailed(what, err));
        return;
      }
      req.on('error', (err) => finish(err instanceof KubeApiError ? err : connectionFailed(what, err)));
      req.on('response', (res) => {
        clearTimeout(timer);
        const status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        if (status < 200 || status > 299) {
          let text = '';
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => finish(KubeApiError.fromResponse(status, text, what)));
          res.on('error', (err) => finish(connectionFailed(what, err)));
          return;
        }
        resolve(handle);
        let buffer = '';
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let newline = buffer.indexOf('\n');
          while (newline >= 0) {
            const line = buffer.slice(0, newline).trim();
            buffer = buffer.slice(newline + 1);
            newline = buffer.indexOf('\n');
            if (line === '' || aborted || finished) continue;
            let event: unknown;
            try {
              event = JSON.parse(line);
            } catch {
              finish(new KubeApiError(status, 'InvalidResponse', `${what}: an event is not JSON`));
              req?.destroy();
              return;
            }
            if (typeof event === 'object' && event !== null) {
              const { type, object } = event as { type?: unknown; object?: unknown };
              if (typeof type === 'string') onEvent(type, object);
            }
          }
        });
        res.on('end', () => finish(null));
        res.on('aborted', () =>
          finish(new KubeApiError(0, 'ConnectionFailed', `${what}: connection closed`)),
        );
        res.on('error', (err) => finish(connectionFailed(what, err)));
        res.on('close', () => {
          if (!res.complete) finish(new KubeApiError(0, 'ConnectionFailed', `${what}: connection closed`));
        });
      });
      req.end();
    });
  }

  /** Closes the idle sockets of the watch pool. */
  destroy(): void {
    this.watchAgent?.destroy();
    this.watchAgent = undefined;
  }

  private send(
    method: string,
    path: string,
    query: Readonly<Record<string, string | number | boolean | undefined>> | undefined,
    headers: http.OutgoingHttpHeaders,
    agent: http.Agent | undefined,
  ): http.ClientRequest {
    const url = new URL(this.connection.server + path);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const token = this.connection.token();
    const all: http.OutgoingHttpHeaders = { ...headers };
    if (token !== undefined) all.Authorization = `Bearer ${token}`;
    const options: http.RequestOptions = { method, headers: all };
    if (agent !== undefined) options.agent = agent;
    return url.protocol === 'http:' ? http.request(url, options) : https.request(url, options);
  }
}

function connectionFailed(what: string, err: unknown): KubeApiError {
  if (err instanceof KubeApiError) return err;
  return new KubeApiError(
    0,
    'ConnectionFailed',
    `${what}: ${err instanceof Error ? err.message : String(err)}`,
  );
}
