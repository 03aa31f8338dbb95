import { getPath, isRecord, type KubeObject } from './kube-object.js';
import { describeRef, groupOf, objectId, refOf, versionOf } from './object-id.js';

/**
 * Whether `apiVersion`/`kind` is namespaced in the target cluster (from API discovery), or
 * undefined when the cluster does not know the kind.
 */
export type ScopeLookup = (apiVersion: string, kind: string) => boolean | undefined;

export interface NamespaceCheckOptions {
  isNamespaced: ScopeLookup;
  /** Given by the assignment: set on namespaced objects that have no namespace. */
  defaultNamespace?: string;
}

export interface NamespaceError {
  /** The object's id as written in the bundle (before any default namespace). */
  id: string;
  message: string;
}

export interface NamespaceCheckResult {
  /** The objects that passed, with the default namespace filled in (copies; the input is untouched). */
  objects: KubeObject[];
  errors: NamespaceError[];
}

interface CrdScope {
  versions: ReadonlySet<string>;
  namespaced: boolean;
}

const CRD_GROUP = 'apiextensions.k8s.io';

/** `group/Kind` → scope for the CustomResourceDefinitions in the bundle. */
export function crdScopes(objects: readonly KubeObject[]): Map<string, CrdScope> {
  const scopes = new Map<string, CrdScope>();
  for (const obj of objects) {
    if (obj.kind !== 'CustomResourceDefinition' || groupOf(obj.apiVersion) !== CRD_GROUP) continue;
    const group = getPath(obj, ['spec', 'group']);
    const kind = getPath(obj, ['spec', 'names', 'kind']);
    const scope = getPath(obj, ['spec', 'scope']);
    if (typeof group !== 'string' || typeof kind !== 'string') continue;
    if (scope !== 'Namespaced' && scope !== 'Cluster') continue;
    const versions = new Set<string>();
    const listed = getPath(obj, ['spec', 'versions']);
    if (Array.isArray(listed)) {
      for (const version of listed) {
        if (isRecord(version) && typeof version.name === 'string') versions.add(version.name);
      }
    }
    // apiextensions.k8s.io/v1beta1 CRDs could name a single `spec.version`.
    const single = getPath(obj, ['spec', 'version']);
    if (typeof single === 'string') versions.add(single);
    scopes.set(`${group}/${kind}`, { versions, namespaced: scope === 'Namespaced' });
  }
  return scopes;
}

/**
 * Checks every object's scope against the cluster, or against a CRD in the same bundle for kinds the
 * cluster does not know yet (the CRD is applied in stage 0, before the custom resources):
 *
 * - a namespaced object without a namespace gets `defaultNamespace`, or is an error without one;
 * - a cluster-scoped object with a namespace is an error (the API server would not find it there);
 * - a kind neither the cluster nor the bundle defines is an error.
 *
 * Ids change when a default namespace is filled in, so duplicates are checked again afterwards
 * (`web` without a namespace and `web` in the default namespace are one object).
 */
export function checkNamespaces(
  objects: readonly KubeObject[],
  options: NamespaceCheckOptions,
): NamespaceCheckResult {
  const scopes = crdScopes(objects);
  const result: NamespaceCheckResult = { objects: [], errors: [] };
  const seen = new Set<string>();
  const defaultNamespace = options.defaultNamespace === '' ? undefined : options.defaultNamespace;

  for (const obj of objects) {
    const id = objectId(obj);
    const fail = (message: string): void => {
      result.errors.push({ id, message });
    };
    const what = `${obj.apiVersion} ${obj.kind} ${obj.metadata.name}`;

    let namespaced = options.isNamespaced(obj.apiVersion, obj.kind);
    if (namespaced === undefined) {
      const crd = scopes.get(`${groupOf(obj.apiVersion)}/${obj.kind}`);
      if (crd !== undefined && crd.versions.has(versionOf(obj.apiVersion))) namespaced = crd.namespaced;
      else if (crd !== undefined) {
        fail(
          `unknown kind ${obj.apiVersion} ${obj.kind} (the bundle's CRD serves ${[...crd.versions].join(', ') || 'no versions'})`,
        );
        continue;
      }
    }
    if (namespaced === undefined) {
      fail(`unknown kind ${obj.apiVersion} ${obj.kind} (no CRD in the bundle or cluster)`);
      continue;
    }

    const namespace = obj.metadata.namespace;
    let checked = obj;
    if (namespaced && (namespace === undefined || namespace === '')) {
      if (defaultNamespace === undefined) {
        fail(`${what} is namespaced but has no metadata.namespace and the assignment sets no default`);
        continue;
      }
      checked = { ...obj, metadata: { ...obj.metadata, namespace: defaultNamespace } };
    } else if (!namespaced && namespace !== undefined && namespace !== '') {
      fail(`${what} is cluster-scoped but has metadata.namespace "${namespace}"`);
      continue;
    }

    const finalId = objectId(checked);
    if (seen.has(finalId)) {
      fail(`duplicate object ${describeRef(refOf(checked))} once the default namespace is filled in`);
      continue;
    }
    seen.add(finalId);
    result.objects.push(checked);
  }
  return result;
}
