import { HttpMethod, type KubeHttp } from './http.js';

/** The metadata fields the agent reads and writes on core objects. */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [key: string]: unknown;
}

export interface Secret {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  type?: string;
  /** Base64 values. */
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

export interface ConfigMap {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  data?: Record<string, string>;
}

export interface Namespace {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [key: string]: unknown;
}

/** The node fields the agent reads. */
export interface Node {
  metadata?: ObjectMeta;
  spec?: { providerID?: string; [key: string]: unknown };
}

export interface NodeList {
  items: Node[];
  metadata?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
}

export interface ListNodeArgs {
  limit?: number;
  /** The previous page's `metadata.continue`. */
  continue?: string | undefined;
}

/**
 * Asks for `PartialObjectMetadataList` (names, labels, annotations: no spec or status, a fraction of
 * a node's size), falling back to full JSON on a server that cannot.
 */
const METADATA_ONLY_LIST =
  'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json';

/** `GET /version`. */
export interface VersionInfo {
  gitVersion: string;
  major?: string;
  minor?: string;
  platform?: string;
  [key: string]: unknown;
}

const seg = encodeURIComponent;

/**
 * The few core/v1 calls the agent makes outside the generic {@link KubeResources}, over
 * {@link KubeHttp} (errors are `KubeApiError`s: test with `isNotFound`). Method names and argument
 * shapes follow client-node's `CoreV1Api`.
 */
export class CoreApi {
  constructor(private readonly http: KubeHttp) {}

  async readNamespace(args: { name: string }): Promise<Namespace> {
    return (await this.http.request(HttpMethod.GET, `/api/v1/namespaces/${seg(args.name)}`)) as Namespace;
  }

  async createNamespace(args: { body: Namespace }): Promise<Namespace> {
    const body = { apiVersion: 'v1', kind: 'Namespace', ...args.body };
    return (await this.http.request(HttpMethod.POST, '/api/v1/namespaces', { body })) as Namespace;
  }

  async listNode(args: ListNodeArgs = {}): Promise<NodeList> {
    const list = await this.http.request(HttpMethod.GET, '/api/v1/nodes', {
      query: { limit: args.limit, continue: args.continue },
    });
    return list as NodeList;
  }

  /** Like {@link listNode}, but the items carry only `metadata`. */
  async listNodeMetadata(args: ListNodeArgs = {}): Promise<NodeList> {
    const list = await this.http.request(HttpMethod.GET, '/api/v1/nodes', {
      query: { limit: args.limit, continue: args.continue },
      accept: METADATA_ONLY_LIST,
    });
    return list as NodeList;
  }

  async readNamespacedSecret(args: { name: string; namespace: string }): Promise<Secret> {
    return (await this.http.request(
      HttpMethod.GET,
      namedPath(args.namespace, 'secrets', args.name),
    )) as Secret;
  }

  async createNamespacedSecret(args: { namespace: string; body: Secret }): Promise<Secret> {
    const body = { apiVersion: 'v1', kind: 'Secret', ...args.body };
    return (await this.http.request(HttpMethod.POST, collectionPath(args.namespace, 'secrets'), {
      body,
    })) as Secret;
  }

  async replaceNamespacedSecret(args: { name: string; namespace: string; body: Secret }): Promise<Secret> {
    const body = { apiVersion: 'v1', kind: 'Secret', ...args.body };
    return (await this.http.request(HttpMethod.PUT, namedPath(args.namespace, 'secrets', args.name), {
      body,
    })) as Secret;
  }

  async readNamespacedConfigMap(args: { name: string; namespace: string }): Promise<ConfigMap> {
    return (await this.http.request(
      HttpMethod.GET,
      namedPath(args.namespace, 'configmaps', args.name),
    )) as ConfigMap;
  }

  async createNamespacedConfigMap(args: { namespace: string; body: ConfigMap }): Promise<ConfigMap> {
    const body = { apiVersion: 'v1', kind: 'ConfigMap', ...args.body };
    return (await this.http.request(HttpMethod.POST, collectionPath(args.namespace, 'configmaps'), {
      body,
    })) as ConfigMap;
  }

  async replaceNamespacedConfigMap(args: {
    name: string;
    namespace: string;
    body: ConfigMap;
  }): Promise<ConfigMap> {
    const body = { apiVersion: 'v1', kind: 'ConfigMap', ...args.body };
    return (await this.http.request(HttpMethod.PUT, namedPath(args.namespace, 'configmaps', args.name), {
      body,
    })) as ConfigMap;
  }

  /** `GET /version` (client-node's `VersionApi.getCode`). */
  async getVersion(): Promise<VersionInfo> {
    return (await this.http.request(HttpMethod.GET, '/version')) as VersionInfo;
  }
}

function collectionPath(namespace: string, resource: string): string {
  return `/api/v1/namespaces/${seg(namespace)}/${resource}`;
}

function namedPath(namespace: string, resource: string, name: string): string {
  return `${collectionPath(namespace, resource)}/${seg(name)}`;
}
