import { minimatch } from 'minimatch';
import { z } from 'zod';

/**
 * What a project lets its applications' objects be (docs/projects.md): the hub checks every
 * rendered bundle against it before any rollout, and the agent again when applying (each assignment
 * carries it). Patterns are globs (`*` any run of characters, `?` one, `{a,b}` either); kinds are
 * `group/Kind` (`/Kind` or `Kind` for the core group, `*` for any group or kind).
 */
export const ObjectBoundsSchema = z.object({
  /** Namespaces namespaced objects may live in. */
  namespaces: z.array(z.string().min(1).max(253)).max(100),
  /** Kinds a namespaced object may have. */
  kinds: z.array(z.string().min(1).max(253)).max(100),
  /** Cluster-scoped kinds allowed; none unless listed (default deny). */
  clusterKinds: z.array(z.string().min(1).max(253)).max(100),
});
export type ObjectBounds = z.infer<typeof ObjectBoundsSchema>;

/** Bounds that allow every object: the `default` project's. */
export const UNBOUNDED_OBJECTS: ObjectBounds = { namespaces: ['*'], kinds: ['*'], clusterKinds: ['*'] };

/** What the checks read of an object. */
export interface BoundedObject {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; namespace?: unknown } | null;
}

export type BoundsViolationCode = 'PROJECT_NAMESPACE_DENIED' | 'PROJECT_KIND_DENIED';

/** One object outside the bounds: which and why. */
export interface BoundsViolation {
  code: BoundsViolationCode;
  /** `group/Kind` (`/Kind` for the core group). */
  kind: string;
  namespace: string | null;
  name: string;
  reason: string;
}

/** Whether `value` matches one of the glob `patterns` (whole string, case-sensitive). */
export function matchesAnyPattern(patterns: readonly string[], value: string): boolean {
  return patterns.some((pattern) =>
    minimatch(value, pattern, { dot: true, nonegate: true, nocomment: true }),
  );
}

/** `group/Kind` of an object: `apps/Deployment`, `/ConfigMap` (core group). */
export function groupKindOf(object: BoundedObject): string {
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  return `${group}/${typeof object.kind === 'string' ? object.kind : ''}`;
}

/**
 * Whether a `group/Kind` is allowed by `patterns`: `group/Kind` patterns, a bare `Kind` names the
 * core group, `*` any kind of any group; a group pattern `*` covers the core group too.
 */
export function kindAllowed(patterns: readonly string[], groupKind: string): boolean {
  const slash = groupKind.lastIndexOf('/');
  const group = groupKind.slice(0, slash);
  const kind = groupKind.slice(slash + 1);
  return patterns.some((pattern) => {
    const at = pattern.lastIndexOf('/');
    const [groupPattern, kindPattern] =
      at >= 0 ? [pattern.slice(0, at), pattern.slice(at + 1)] : [pattern === '*' ? '*' : '', pattern];
    const groupOk =
      groupPattern === '*' || (group === '' ? groupPattern === '' : matchesAnyPattern([groupPattern], group));
    return groupOk && matchesAnyPattern([kindPattern], kind);
  });
}

/**
 * The objects outside `bounds`. `clusterScoped` says whether an object is cluster-scoped (the agent
 * asks its cluster's discovery; the hub {@link isWellKnownClusterScoped} and objects naming no
 * namespace where no default applies). A namespaced object without a namespace is in
 * `defaultNamespace` (as the agent applies it).
 */
export function objectViolations(
  bounds: ObjectBounds,
  objects: readonly BoundedObject[],
  clusterScoped: (object: BoundedObject) => boolean,
  defaultNamespace: string | null = null,
): BoundsViolation[] {
  const out: BoundsViolation[] = [];
  for (const object of objects) {
    const kind = groupKindOf(object);
    const name = typeof object.metadata?.name === 'string' ? object.metadata.name : '';
    const declared = typeof object.metadata?.namespace === 'string' ? object.metadata.namespace : '';
    if (clusterScoped(object)) {
      if (!kindAllowed(bounds.clusterKinds, kind)) {
        out.push({
          code: 'PROJECT_KIND_DENIED',
          kind,
          namespace: null,
          name,
          reason: `cluster-scoped kind ${kind} is not among the project's clusterKinds`,
        });
      }
      continue;
    }
    const namespace = declared !== '' ? declared : defaultNamespace;
    if (!kindAllowed(bounds.kinds, kind)) {
      out.push({
        code: 'PROJECT_KIND_DENIED',
        kind,
        namespace,
        name,
        reason: `kind ${kind} is not among the project's kinds`,
      });
    } else if (namespace === null || !matchesAnyPattern(bounds.namespaces, namespace)) {
      out.push({
        code: 'PROJECT_NAMESPACE_DENIED',
        kind,
        namespace,
        name,
        reason:
          namespace === null
            ? 'names no namespace and the application has no default namespace'
            : `namespace ${namespace} is not among the project's namespaces`,
      });
    }
  }
  return out;
}

/** `Kind namespace/name` (`Kind name` when cluster-scoped): how a violation is shown. */
export function describeViolation(v: BoundsViolation): string {
  return `${v.kind} ${v.namespace === null ? '' : `${v.namespace}/`}${v.name}: ${v.reason}`;
}

/**
 * The built-in Kubernetes kinds that are cluster-scoped, by `group/Kind`: what the hub, which
 * has no cluster's discovery, knows to be cluster-scoped. (Custom cluster-scoped kinds are caught by
 * the hub only when they name no namespace, and always by the agent.)
 */
const WELL_KNOWN_CLUSTER_SCOPED = new Set([
  '/Namespace',
  '/Node',
  '/PersistentVolume',
  '/ComponentStatus',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'apiregistration.k8s.io/APIService',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicy',
  'admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding',
  'storage.k8s.io/StorageClass',
  'storage.k8s.io/CSIDriver',
  'storage.k8s.io/CSINode',
  'storage.k8s.io/VolumeAttachment',
  'scheduling.k8s.io/PriorityClass',
  'node.k8s.io/RuntimeClass',
  'networking.k8s.io/IngressClass',
  'policy/PodSecurityPolicy',
  'certificates.k8s.io/CertificateSigningRequest',
  'flowcontrol.apiserver.k8s.io/FlowSchema',
  'flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration',
]);

export function isWellKnownClusterScoped(object: BoundedObject): boolean {
  return WELL_KNOWN_CLUSTER_SCOPED.has(groupKindOf(object));
}
