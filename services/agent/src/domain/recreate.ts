import type { RecreatePolicy } from '@fleetwave/contracts';
import type { KubeObject } from './kube-object.js';
import { describeRef, refOf } from './object-id.js';

/** With the application's recreate policy `annotated`, only objects annotated so are re-created. */
export const RECREATE_ANNOTATION = 'fleetwave.io/recreate';
export const RECREATE_VALUE = 'true';

export type RecreateDecision = { recreate: true } | { recreate: false; why: string };

/**
 * Whether the agent may delete `desired` (as the bundle has it) and create it again because its
 * apply was refused for an immutable field, under the application's `recreate` policy.
 */
export function recreateDecision(policy: RecreatePolicy, desired: KubeObject): RecreateDecision {
  switch (policy) {
    case 'always':
      return { recreate: true };
    case 'never':
      return { recreate: false, why: 'the application does not allow recreating objects (recreate: never)' };
    case 'annotated':
      return desired.metadata.annotations?.[RECREATE_ANNOTATION] === RECREATE_VALUE
        ? { recreate: true }
        : {
            recreate: false,
            why: `annotate it ${RECREATE_ANNOTATION}: "${RECREATE_VALUE}" to have it deleted and re-created, or set the application's recreate policy to always`,
          };
  }
}

/**
 * `Deployment.apps shop/web: field spec.selector is immutable and differs from the live object; …`: the object and the fields, for the
 * bundle's failing entry when the object is not re-created.
 */
export function immutableFieldMessage(desired: KubeObject, fields: readonly string[], why: string): string {
  const what =
    fields.length === 0
      ? 'a field that is immutable differs'
      : fields.length === 1
        ? `field ${fields[0]} is immutable and differs`
        : `fields ${fields.join(', ')} are immutable and differ`;
  return `${describeRef(refOf(desired))}: ${what} from the live object; ${why}`;
}

/** `group/Kind` of the kinds whose objects own Pods. */
const POD_OWNERS = new Set([
  'apps/Deployment',
  'apps/StatefulSet',
  'apps/DaemonSet',
  'apps/ReplicaSet',
  'batch/Job',
  'batch/CronJob',
  '/ReplicationController',
]);

/**
 * How to delete an object the agent is about to create again (re-created for an immutable field, a
 * hook before its next run): objects that own Pods in the `Foreground`, so they are gone only once
 * their Pods are (two generations of a StatefulSet never share its volumes, two runs of a migration
 * Job never overlap); anything else in the `Background` (its dependents, if any, go after).
 */
export function recreatePropagation(obj: KubeObject): 'Foreground' | 'Background' {
  const group = refOf(obj).group;
  return POD_OWNERS.has(`${group}/${obj.kind}`) ? 'Foreground' : 'Background';
}
