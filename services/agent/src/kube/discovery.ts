import { isRecord, type KubeObject, type ScopeLookup } from '../domain/index.js';
import { isNotFound } from './errors.js';
import { HttpMethod, type KubeHttp } from './http.js';

/** One resource of an API group version, from discovery (`/api/v1`, `/apis/apps/v1`). */
export interface ApiResource {
  /** The plural resource name used in paths: `deployments`. */
  name: string;
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

/** `/api/v1` for the core group, `/apis/apps/v1` otherwise. */
export function apiVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/**
 * What the API server serves, per group version, cached. A kind that is not in the cached list
 * triggers one refresh of that group version (the kind may have appeared since: a CRD just
 * established), so the cache never has to be invalidated by hand. Concurrent lookups of one group
 * version share one request.
 */
export class ResourceDiscovery {
  /** apiVersion → its resources; undefined when the server does not serve that group version. */
  private readonly cache = new Map<string, Promise<ApiResource[] | undefined>>();

  constructor(private readonly http: KubeHttp) {}

  /** The resource for `apiVersion`/`kind`, or undefined when the cluster does not serve it. */
  async resource(apiVersion: string, kind: string): Promise<ApiResource | undefined> {
    const cached = this.cache.get(apiVersion);
    if (cached !== undefined) {
      try {
        const found = findKind(await cached, kind);
        if (found !== undefined) return found;
      } catch {
        // That fetch failed; fetch again below.
      }
    }
    return findKind(await this.refresh(apiVersion, cached), kind);
  }

  /**
   * The versions of `group` the server serves, preferred first (`/apis/<group>`); empty when it
   * serves none. The core group is `v1`.
   */
  async groupVersions(group: string): Promise<string[]> {
    if (group === '') return ['v1'];
    let body: unknown;
    try {
      body = await this.http.request(HttpMethod.GET, `/apis/${group}`);
    } catch (err) {
      if (isNotFound(err)) return [];
      throw err;
    }
    if (!isRecord(body) || !Array.isArray(body.versions)) return [];
    const preferred = isRecord(body.preferredVersion) ? body.preferredVersion.version : undefined;
    const versions = (body.versions as unknown[])
      .map((entry) => (isRecord(entry) && typeof entry.version === 'string' ? entry.version : undefined))
      .filter((version): version is string => version !== undefined);
    return typeof preferred === 'string'
      ? [preferred, ...versions.filter((version) => version !== preferred)]
      : versions;
  }

  /**
   * The apiVersion to reach `group`/`kind` with: `apiVersion` when it is still served, else another
   * served version of the group (the preferred first), else undefined. For objects recorded under a
   * version the cluster has since stopped serving (`autoscaling/v2beta2` after an upgrade).
   */
  async servedApiVersion(apiVersion: string, kind: string): Promise<string | undefined> {
    if ((await this.resource(apiVersion, kind)) !== undefined) return apiVersion;
    const slash = apiVersion.indexOf('/');
    const group = slash === -1 ? '' : apiVersion.slice(0, slash);
    for (const version of await this.groupVersions(group)) {
      const candidate = group === '' ? version : `${group}/${version}`;
      if (candidate !== apiVersion && (await this.resource(candidate, kind)) !== undefined) return candidate;
    }
    return undefined;
  }

  /** Whether `apiVersion`/`kind` is namespaced; undefined when the cluster does not serve it. */
  async isNamespaced(apiVersion: string, kind: string): Promise<boolean | undefined> {
    return (await this.resource(apiVersion, kind))?.namespaced;
  }

  /**
   * The synchronous lookup domain `checkNamespaces` takes, for `objects`: every distinct
   * apiVersion/kind is resolved first (in parallel). Errors other than "not served" reject, so a
   * flaky API server fails the reconcile instead of calling kinds unknown.
   */
  async scopeLookup(objects: readonly Pick<KubeObject, 'apiVersion' | 'kind'>[]): Promise<ScopeLookup> {
    const keys = new Map<string, { apiVersion: string; kind: string }>();
    for (const obj of objects) keys.set(`${obj.apiVersion}|${obj.kind}`, obj);
    const scopes = new Map<string, boolean | undefined>();
    await Promise.all(
      [...keys].map(async ([key, { apiVersion, kind }]) => {
        scopes.set(key, await this.isNamespaced(apiVersion, kind));
      }),
    );
    return (apiVersion, kind) => scopes.get(`${apiVersion}|${kind}`);
  }

  /** Forget one group version (or everything). */
  invalidate(apiVersion?: string): void {
    if (apiVersion === undefined) this.cache.clear();
    else this.cache.delete(apiVersion);
  }

  /**
   * Fetches `apiVersion` again, unless someone else already did since the caller read `stale`
   * (then that fetch, done or in flight, is the answer): concurrent misses make one request.
   */
  private refresh(
    apiVersion: string,
    stale: Promise<ApiResource[] | undefined> | undefined,
  ): Promise<ApiResource[] | undefined> {
    const current = this.cache.get(apiVersion);
    if (current !== undefined && current !== stale) return current;
    const pending = this.fetch(apiVersion);
    this.cache.set(apiVersion, pending);
    // A failed fetch is not cached: the next lookup tries again.
    pending.catch(() => {
      if (this.cache.get(apiVersion) === pending) this.cache.delete(apiVersion);
    });
    return pending;
  }

  private async fetch(apiVersion: string): Promise<ApiResource[] | undefined> {
    let body: unknown;
    try {
      body = await this.http.request(HttpMethod.GET, apiVersionPath(apiVersion));
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
    const resources: ApiResource[] = [];
    const list = isRecord(body) && Array.isArray(body.resources) ? (body.resources as unknown[]) : [];
    for (const entry of list) {
      if (!isRecord(entry) || typeof entry.name !== 'string' || typeof entry.kind !== 'string') continue;
      if (entry.name.includes('/')) continue; // subresources: deployments/scale, pods/log
      resources.push({
        name: entry.name,
        kind: entry.kind,
        namespaced: entry.namespaced === true,
        verbs: Array.isArray(entry.verbs)
          ? entry.verbs.filter((verb): verb is string => typeof verb === 'string')
          : [],
      });
    }
    return resources;
  }
}

function findKind(resources: ApiResource[] | undefined, kind: string): ApiResource | undefined {
  return resources?.find((resource) => resource.kind === kind);
}
