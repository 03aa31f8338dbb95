import {
  type BoundedObject,
  type BoundsViolation,
  isWellKnownClusterScoped,
  type ObjectBounds,
  objectViolations,
} from '@fleetwave/contracts';
import { bundleObjects } from './bundle-diff.js';

/**
 * The objects of a rendered bundle outside a project's object bounds, as the hub can tell them
 * without a cluster: built-in cluster-scoped kinds are cluster-scoped, and so is any object that
 * names no namespace when the application has no default namespace (a custom cluster-scoped kind,
 * or a namespaced object the agent could not place anyway). The agent checks again with its
 * cluster's discovery.
 */
export function bundleViolations(
  manifests: string,
  bounds: ObjectBounds,
  defaultNamespace: string | null,
): BoundsViolation[] {
  const scoped = (object: BoundedObject) =>
    isWellKnownClusterScoped(object) ||
    (defaultNamespace === null &&
      (typeof object.metadata?.namespace !== 'string' || object.metadata.namespace === ''));
  return objectViolations(bounds, bundleObjects(manifests) as BoundedObject[], scoped, defaultNamespace);
}
