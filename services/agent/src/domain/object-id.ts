import type { KubeObject } from './kube-object.js';

/**
 * Object identity in the inventory, as Flux and cli-utils write it: `namespace_name_group_kind`
 * (`ObjMetadata.String()` in `sigs.k8s.io/cli-utils/pkg/object`). Cluster-scoped objects have an empty
 * namespace, core objects an empty group: `_team-a__Namespace`, `shop_web_apps_Deployment`.
 *
 * RBAC names may contain `:` (`system:controller:foo`); like cli-utils we write each `:` as `__`.
 * The version is not part of the identity: the same object read as `v1beta1` or `v1` is one object.
 */
export interface ObjectRef {
  namespace: string;
  name: string;
  group: string;
  kind: string;
}

const SEPARATOR = '_';
const COLON_ENCODED = '__';

/** `apps/v1` → `apps`; `v1` → `` (the core group). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? '' : apiVersion.slice(0, slash);
}

/** `apps/v1` → `v1`; `v1` → `v1`. */
export function versionOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash === -1 ? apiVersion : apiVersion.slice(slash + 1);
}

export function refOf(obj: KubeObject): ObjectRef {
  return {
    namespace: obj.metadata.namespace ?? '',
    name: obj.metadata.name,
    group: groupOf(obj.apiVersion),
    kind: obj.kind,
  };
}

export function formatObjectId(ref: ObjectRef): string {
  const name = ref.name.replaceAll(':', COLON_ENCODED);
  return [ref.namespace, name, ref.group, ref.kind].join(SEPARATOR);
}

export function objectId(obj: KubeObject): string {
  return formatObjectId(refOf(obj));
}

/**
 * The inverse of {@link formatObjectId}; undefined when `id` is not `namespace_name_group_kind`.
 *
 * Namespaces, groups and kinds never contain `_`, so the namespace is everything before the first
 * `_` and group and kind are the last two fields; the name is what is left. Unlike cli-utils we
 * accept a name that still contains `_` (allowed in RBAC names); `__` always decodes to `:`, so an
 * RBAC name with a literal `__` does not round-trip (the same limitation as cli-utils).
 */
export function parseObjectId(id: string): ObjectRef | undefined {
  const first = id.indexOf(SEPARATOR);
  if (first === -1) return undefined;
  const namespace = id.slice(0, first);
  let rest = id.slice(first + 1);

  const kindAt = rest.lastIndexOf(SEPARATOR);
  if (kindAt === -1) return undefined;
  const kind = rest.slice(kindAt + 1);
  rest = rest.slice(0, kindAt);

  const groupAt = rest.lastIndexOf(SEPARATOR);
  if (groupAt === -1) return undefined;
  const group = rest.slice(groupAt + 1);
  const encodedName = rest.slice(0, groupAt);

  if (kind === '' || encodedName === '') return undefined;
  return { namespace, name: encodedName.replaceAll(COLON_ENCODED, ':'), group, kind };
}

/** For people: `Deployment.apps shop/web`, `Namespace team-a`, `ClusterRole.rbac.authorization.k8s.io view`. */
export function describeRef(ref: ObjectRef): string {
  const groupKind = ref.group === '' ? ref.kind : `${ref.kind}.${ref.group}`;
  const where = ref.namespace === '' ? ref.name : `${ref.namespace}/${ref.name}`;
  return `${groupKind} ${where}`;
}

/** {@link describeRef} for an id; an id that does not parse is shown as it is. */
export function describeObjectId(id: string): string {
  const ref = parseObjectId(id);
  return ref === undefined ? id : describeRef(ref);
}
