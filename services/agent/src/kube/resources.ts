import { isRecord, type KubeObject } from '../domain/index.js';
import { apiVersionPath, type ApiResource, type ResourceDiscovery } from './discovery.js';
import { isNotFound, KubeApiError } from './errors.js';
import { HttpMethod, type KubeHttp } from './http.js';

/** What names one object in the API: enough of a {@link KubeObject} to build its path. */
export interface ObjectKey {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
}

/** What names a collection: a kind, in one namespace or (absent) the whole cluster. */
export interface CollectionKey {
  apiVersion: string;
  kind: string;
  namespace?: string;
}

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';
export type PropagationPolicy = 'Background' | 'Foreground' | 'Orphan';

export interface ApplyRequest {
  fieldManager: string;
  /** Take the fields other managers own (`--force-conflicts`). */
  force: boolean;
  dryRun?: boolean;
  /** Default `Strict`, as kubectl: an unknown field is an error, not silently dropped. */
  fieldValidation?: FieldValidation;
}

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size; default 500. */
  limit?: number;
}

export interface ObjectList {
  items: KubeObject[];
  /** The list's resourceVersion, to start a watch from. */
  resourceVersion: string;
}

/** `application/apply-patch+yaml`: JSON is YAML, and what kubectl sends. */
export const APPLY_PATCH_CONTENT_TYPE = 'application/apply-patch+yaml';

/** The API object as plain JSON, when it has the fields every object has. */
export function asKubeObject(value: unknown): KubeObject | undefined {
  if (!isRecord(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') {
    return undefined;
  }
  if (!isRecord(value.metadata) || typeof value.metadata.name !== 'string') return undefined;
  return value as KubeObject;
}

/**
 * Object-level operations on any kind, as plain JSON in and out (see {@link KubeHttp} for why not
 * client-node's typed models). Paths come from discovery, so custom resources work as soon as their
 * CRD is established.
 */
export class KubeResources {
  constructor(
    private readonly http: KubeHttp,
    private readonly discovery: ResourceDiscovery,
  ) {}

  /** `/apis/apps/v1/namespaces/shop/deployments` (no name) for a collection or an object's collection. */
  async collectionPath(key: CollectionKey): Promise<string> {
    const resource = await this.resourceOf(key.apiVersion, key.kind);
    return this.pathOf(resource, key.apiVersion, key.namespace);
  }

  async objectPath(key: ObjectKey): Promise<string> {
    const resource = await this.resourceOf(key.apiVersion, key.kind);
    if (resource.namespaced && !key.metadata.namespace) {
      throw new KubeApiError(
        400,
        'BadRequest',
        `${key.kind} ${key.metadata.name} is namespaced but has no metadata.namespace`,
      );
    }
    const base = this.pathOf(resource, key.apiVersion, key.metadata.namespace);
    return `${base}/${encodeURIComponent(key.metadata.name)}`;
  }

  /** The live object, or undefined when it does not exist (or its kind is not served). */
  async get(key: ObjectKey): Promise<KubeObject | undefined> {
    try {
      return this.expectObject(await this.http.request(HttpMethod.GET, await this.objectPath(key)), key);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Server-side apply of `obj` as it is; returns what the server stored (or would store, on dry run). */
  async apply(obj: KubeObject, request: ApplyRequest): Promise<KubeObject> {
    const body = await this.http.request(HttpMethod.PATCH, await this.objectPath(obj), {
      query: {
        fieldManager: request.fieldManager,
        force: request.force,
        dryRun: request.dryRun === true ? 'All' : undefined,
        fieldValidation: request.fieldValidation ?? 'Strict',
      },
      body: obj,
      contentType: APPLY_PATCH_CONTENT_TYPE,
    });
    return this.expectObject(body, obj);
  }

  /**
   * Deletes the object. `uid` makes it a precondition: a namesake created since it was read is left
   * alone (409 Conflict). Returns false when it was already gone.
   */
  async delete(
    key: ObjectKey,
    options: { propagationPolicy?: PropagationPolicy; uid?: string } = {},
  ): Promise<boolean> {
    const body: Record<string, unknown> = { apiVersion: 'v1', kind: 'DeleteOptions' };
    if (options.propagationPolicy !== undefined) body.propagationPolicy = options.propagationPolicy;
    if (options.uid !== undefined) body.preconditions = { uid: options.uid };
    try {
      await this.http.request(HttpMethod.DELETE, await this.objectPath(key), { body });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  /** Every object of a collection (all pages), with apiVersion and kind filled in. */
  async list(key: CollectionKey, options: ListOptions = {}): Promise<ObjectList> {
    const path = await this.collectionPath(key);
    const items: KubeObject[] = [];
    let resourceVersion: string;
    let continueToken: string | undefined;
    do {
      const body = await this.http.request(HttpMethod.GET, path, {
        query: {
          labelSelector: options.labelSelector,
          fieldSelector: options.fieldSelector,
          limit: options.limit ?? 500,
          continue: continueToken,
        },
      });
      if (!isRecord(body) || !Array.isArray(body.items)) {
        throw new KubeApiError(200, 'InvalidResponse', `GET ${path}: not a list`);
      }
      for (const item of body.items as unknown[]) {
        // List items carry no apiVersion and kind of their own.
        const obj = asKubeObject(
          isRecord(item) ? { apiVersion: key.apiVersion, kind: key.kind, ...item } : item,
        );
        if (obj !== undefined) items.push(obj);
      }
      const metadata = isRecord(body.metadata) ? body.metadata : {};
      resourceVersion = typeof metadata.resourceVersion === 'string' ? metadata.resourceVersion : '';
      continueToken =
        typeof metadata.continue === 'string' && metadata.continue !== '' ? metadata.continue : undefined;
    } while (continueToken !== undefined);
    return { items, resourceVersion };
  }

  private async resourceOf(apiVersion: string, kind: string): Promise<ApiResource> {
    const resource = await this.discovery.resource(apiVersion, kind);
    if (resource === undefined) {
      throw new KubeApiError(404, 'UnknownKind', `no matches for kind "${kind}" in version "${apiVersion}"`);
    }
    return resource;
  }

  private pathOf(resource: ApiResource, apiVersion: string, namespace: string | undefined): string {
    const base = apiVersionPath(apiVersion);
    return resource.namespaced && namespace
      ? `${base}/namespaces/${encodeURIComponent(namespace)}/${resource.name}`
      : `${base}/${resource.name}`;
  }

  private expectObject(body: unknown, key: ObjectKey): KubeObject {
    const obj = asKubeObject(body);
    if (obj === undefined) {
      throw new KubeApiError(200, 'InvalidResponse', `${key.kind} ${key.metadata.name}: not an object`);
    }
    return obj;
  }
}
