import http from 'node:http';
import https from 'node:https';

import {
  bufferFromFileOrString,
  HttpMethod,
  type Configuration,
  type KubeConfig,
  type Middleware,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';

import { KubeApiError } from './errors.js';

export { HttpMethod };

/**
 * One keep-alive connection pool for every request of the agent.
 *
 * client-node 1.x builds a new `https.Agent` for every request (`KubeConfig.applySecurityAuthentication`),
 * so every call pays a TCP and TLS handshake. A middleware replaces that agent with this shared one
 * (same CA, client certificate, `skipTLSVerify` and `tlsServerName` as client-node would use).
 *
 * Not shared (client-node's per-request agent is kept) when the cluster goes through a proxy or the
 * user authenticates with an exec plugin, which may hand out client certificates of its own. Client
 * certificates are read once: a rotated certificate file needs a new {@link KubeClients}.
 */
export class SharedAgent {
  private agent: http.Agent | undefined;
  private built = false;
  /** Requests sent through this client (watches excluded), for the agent's API-load metric. */
  requests = 0;

  constructor(
    private readonly kc: KubeConfig,
    private readonly options: { maxSockets: number },
  ) {}

  /** The shared agent, or undefined when requests must keep client-node's own agent. */
  get(): http.Agent | undefined {
    if (!this.built) {
      this.built = true;
      this.agent = this.build();
    }
    return this.agent;
  }

  /** A client-node middleware that sends the request through the shared agent. */
  middleware(): Middleware {
    return {
      pre: (context: RequestContext): Promise<RequestContext> => {
        this.apply(context);
        return Promise.resolve(context);
      },
      post: (context: ResponseContext): Promise<ResponseContext> => Promise.resolve(context),
    };
  }

  apply(context: RequestContext): void {
    this.requests++;
    const agent = this.get();
    if (agent !== undefined) context.setAgent(agent);
  }

  /** Closes the idle sockets; requests still in flight finish. */
  destroy(): void {
    this.agent?.destroy();
    this.agent = undefined;
    this.built = true;
  }

  private build(): http.Agent | undefined {
    const cluster = this.kc.getCurrentCluster();
    const user = this.kc.getCurrentUser();
    if (cluster === null || cluster.proxyUrl !== undefined || user?.exec !== undefined) return undefined;
    const common = { keepAlive: true, maxSockets: this.options.maxSockets, scheduling: 'lifo' as const };
    if (cluster.server.startsWith('http:')) return new http.Agent(common);
    const options: https.AgentOptions = { ...common };
    const ca = bufferFromFileOrString(cluster.caFile, cluster.caData);
    if (ca !== null) options.ca = ca;
    if (user !== null) {
      const cert = bufferFromFileOrString(user.certFile, user.certData);
      const key = bufferFromFileOrString(user.keyFile, user.keyData);
      if (cert !== null) options.cert = cert;
      if (key !== null) options.key = key;
    }
    if (cluster.skipTLSVerify) options.rejectUnauthorized = false;
    if (cluster.tlsServerName !== undefined) options.servername = cluster.tlsServerName;
    return new https.Agent(options);
  }
}

export interface RequestOptions {
  query?: Readonly<Record<string, string | number | boolean | undefined>>;
  /** Sent as JSON. */
  body?: unknown;
  /** Default `application/json` when there is a body. */
  contentType?: string;
  /** Default: the client's request timeout. */
  timeoutMs?: number;
}

/**
 * Plain JSON requests to the API server, with client-node's authentication and HTTP library.
 *
 * Why not `KubernetesObjectApi` for objects: it serializes through client-node's typed models, which
 * silently drop every field its models do not know (a typo in a manifest, a field newer than the
 * library) and turn timestamps into `Date`s. The agent applies manifests as they are and reads objects
 * as the JSON the domain expects.
 */
export class KubeHttp {
  constructor(
    private readonly kc: KubeConfig,
    private readonly configuration: Configuration,
    private readonly agent: SharedAgent,
    private readonly defaultTimeoutMs: number,
  ) {}

  /** The parsed JSON body (undefined for an empty one); throws {@link KubeApiError} for anything but 2xx. */
  async request(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<unknown> {
    const context = this.configuration.baseServer.makeRequestContext(path, method);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) context.setQueryParam(key, String(value));
    }
    context.setHeaderParam('Accept', 'application/json');
    if (options.body !== undefined) {
      context.setHeaderParam('Content-Type', options.contentType ?? 'application/json');
      context.setBody(JSON.stringify(options.body));
    }
    await this.kc.applySecurityAuthentication(context);
    this.agent.apply(context);
    const timeoutMs = options.timeoutMs ?? this.defaultTimeoutMs;
    context.setSignal(AbortSignal.timeout(timeoutMs));

    const what = `${method} ${path}`;
    let response: ResponseContext;
    let text: string;
    try {
      response = await this.configuration.httpApi.send(context).toPromise();
      text = await response.body.text();
    } catch (err) {
      const name = err instanceof Error ? err.name : '';
      if (name === 'AbortError' || name === 'TimeoutError') {
        throw new KubeApiError(0, 'Timeout', `${what}: no answer within ${timeoutMs} ms`);
      }
      throw new KubeApiError(
        0,
        'ConnectionFailed',
        `${what}: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
    if (response.httpStatusCode < 200 || response.httpStatusCode > 299) {
      throw KubeApiError.fromResponse(response.httpStatusCode, text, what);
    }
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new KubeApiError(response.httpStatusCode, 'InvalidResponse', `${what}: the answer is not JSON`);
    }
  }
}
