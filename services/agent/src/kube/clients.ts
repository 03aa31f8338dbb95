import { CoreApi } from './core.js';
import { ResourceDiscovery } from './discovery.js';
import { KubeHttp, SharedAgent } from './http.js';
import { loadKubeConnection, type KubeConnection } from './kubeconfig.js';
import { KubeResources } from './resources.js';

export interface KubeClientOptions {
  /** A kubeconfig file; without it, the in-cluster service account. */
  kubeconfigPath?: string;
  /** A context of that kubeconfig; default its current-context. */
  context?: string;
  /** Bound for every non-watch request; default 30 s. */
  requestTimeoutMs?: number;
  /** Connections of the shared keep-alive pool; default 16. */
  maxSockets?: number;
}

/** Everything the agent talks to its cluster with, sharing one connection and one connection pool. */
export interface KubeClients {
  /** Where the API server is and how to authenticate (from the kubeconfig or the service account). */
  connection: KubeConnection;
  /** The core/v1 calls outside {@link resources} (namespaces, nodes, Secrets, ConfigMaps, /version). */
  core: CoreApi;
  /** Plain-JSON requests (any path) and watches. */
  http: KubeHttp;
  discovery: ResourceDiscovery;
  /** Plain-JSON get / server-side apply / delete / list of any kind. */
  resources: KubeResources;
  /** The shared keep-alive pool. */
  agent: SharedAgent;
  /** Closes the idle connections of the shared pools. */
  close(): void;
}

export function loadKubeConfig(
  options: Pick<KubeClientOptions, 'kubeconfigPath' | 'context'>,
): KubeConnection {
  return loadKubeConnection(options);
}

export function createKubeClients(options: KubeClientOptions = {}): KubeClients {
  return kubeClientsFor(loadKubeConnection(options), options);
}

/** {@link createKubeClients} for a connection already loaded. */
export function kubeClientsFor(
  connection: KubeConnection,
  options: Pick<KubeClientOptions, 'requestTimeoutMs' | 'maxSockets'> = {},
): KubeClients {
  const agent = new SharedAgent(connection, { maxSockets: options.maxSockets ?? 16 });
  const http = new KubeHttp(connection, agent, options.requestTimeoutMs ?? 30_000);
  const discovery = new ResourceDiscovery(http);
  return {
    connection,
    core: new CoreApi(http),
    http,
    discovery,
    resources: new KubeResources(http, discovery),
    agent,
    close: () => {
      agent.destroy();
      http.destroy();
    },
  };
}
