import {
  CoreV1Api,
  createConfiguration,
  KubeConfig,
  KubernetesObjectApi,
  ServerConfiguration,
  type Configuration,
} from '@kubernetes/client-node';

import { ResourceDiscovery } from './discovery.js';
import { KubeHttp, SharedAgent } from './http.js';
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

/** Everything the agent talks to its cluster with, sharing one KubeConfig and one connection pool. */
export interface KubeClients {
  kc: KubeConfig;
  /** client-node's generic client (typed models). The kube/ modules use {@link resources} instead. */
  objects: KubernetesObjectApi;
  core: CoreV1Api;
  /** Plain-JSON requests (any path). */
  http: KubeHttp;
  discovery: ResourceDiscovery;
  /** Plain-JSON get / server-side apply / delete / list of any kind. */
  resources: KubeResources;
  /** The shared keep-alive pool (`get()` is undefined when client-node's per-request agents are kept). */
  agent: SharedAgent;
  /** Closes the idle connections of the shared pool. */
  close(): void;
}

/** `KubernetesObjectApi` on our configuration, with the context's default namespace as makeApiClient sets it. */
class ObjectApi extends KubernetesObjectApi {
  static create(kc: KubeConfig, configuration: Configuration): ObjectApi {
    const api = new ObjectApi(configuration);
    api.setDefaultNamespace(kc);
    return api;
  }
}

export function loadKubeConfig(options: Pick<KubeClientOptions, 'kubeconfigPath' | 'context'>): KubeConfig {
  const kc = new KubeConfig();
  if (options.kubeconfigPath === undefined) {
    if (!process.env.KUBERNETES_SERVICE_HOST || !process.env.KUBERNETES_SERVICE_PORT) {
      throw new Error(
        'not running in a cluster (KUBERNETES_SERVICE_HOST/PORT unset): give a kubeconfig path to run outside one',
      );
    }
    kc.loadFromCluster();
  } else kc.loadFromFile(options.kubeconfigPath);
  if (options.context !== undefined) {
    if (kc.getContextObject(options.context) === null) {
      throw new Error(
        `kubeconfig ${options.kubeconfigPath ?? '(in-cluster)'} has no context "${options.context}"`,
      );
    }
    kc.setCurrentContext(options.context);
  }
  if (kc.getCurrentCluster() === null) {
    throw new Error(`kubeconfig ${options.kubeconfigPath ?? '(in-cluster)'}: no current cluster`);
  }
  return kc;
}

export function createKubeClients(options: KubeClientOptions = {}): KubeClients {
  const kc = loadKubeConfig(options);
  return kubeClientsFor(kc, options);
}

/** {@link createKubeClients} for a KubeConfig already loaded. */
export function kubeClientsFor(
  kc: KubeConfig,
  options: Pick<KubeClientOptions, 'requestTimeoutMs' | 'maxSockets'> = {},
): KubeClients {
  const cluster = kc.getCurrentCluster();
  if (cluster === null) throw new Error('kubeconfig: no current cluster');
  const agent = new SharedAgent(kc, { maxSockets: options.maxSockets ?? 16 });
  const configuration = createConfiguration({
    baseServer: new ServerConfiguration(cluster.server, {}),
    authMethods: { default: kc },
    promiseMiddleware: [agent.middleware()],
  });
  const http = new KubeHttp(kc, configuration, agent, options.requestTimeoutMs ?? 30_000);
  const discovery = new ResourceDiscovery(http);
  return {
    kc,
    objects: ObjectApi.create(kc, configuration),
    core: new CoreV1Api(configuration),
    http,
    discovery,
    resources: new KubeResources(http, discovery),
    agent,
    close: () => agent.destroy(),
  };
}
