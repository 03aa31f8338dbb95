import type { KubeObject } from './kube-object.js';

/**
 * Ownership of applied objects, after `fluxcd/pkg/ssa` owner labels and `DeleteAll` inclusions and
 * exclusions: the agent labels everything it applies and prunes only objects that carry its labels.
 */
export const APPLICATION_LABEL = 'fleetwave.io/application';
export const MANAGED_BY_LABEL = 'fleetwave.io/managed-by';
export const MANAGED_BY_VALUE = 'fleetwave';

/** With value {@link PRUNE_DISABLED_VALUE} on the live object, the agent never deletes it. */
export const PRUNE_DISABLED_ANNOTATION = 'fleetwave.io/prune';
export const PRUNE_DISABLED_VALUE = 'disabled';

export interface BundleOwner {
  application: string;
  clusterId: string;
}

/**
 * The labels set on every applied object. The cluster id is deliberately not one of them: an object
 * lives in one cluster only, and a label carrying the id would rewrite every object the day a
 * cluster re-registers.
 */
export function ownerLabels(bundle: BundleOwner): Record<string, string> {
  return { [APPLICATION_LABEL]: bundle.application, [MANAGED_BY_LABEL]: MANAGED_BY_VALUE };
}

/** True when the object carries the owner labels of `application`. */
export function isOwnedBy(obj: KubeObject, application: string): boolean {
  const labels = obj.metadata.labels ?? {};
  return labels[APPLICATION_LABEL] === application && labels[MANAGED_BY_LABEL] === MANAGED_BY_VALUE;
}

/**
 * A copy of `obj` with `labels` added (they win over labels of the same key in the manifest). Only
 * `obj` and `obj.metadata` are copied; nested values are shared, and nothing of `obj` is modified.
 */
export function withOwnerLabels(obj: KubeObject, labels: Readonly<Record<string, string>>): KubeObject {
  return { ...obj, metadata: { ...obj.metadata, labels: { ...obj.metadata.labels, ...labels } } };
}

export function isPruneDisabled(obj: KubeObject): boolean {
  return obj.metadata.annotations?.[PRUNE_DISABLED_ANNOTATION] === PRUNE_DISABLED_VALUE;
}

export type PruneDecision = { prune: true } | { prune: false; reason: string };

/**
 * Whether the agent may delete `liveObj` (as read from the cluster) for `application`: only objects
 * it owns, never one annotated `fleetwave.io/prune: disabled`. The reason becomes the `skipped`
 * change-set entry's reason.
 */
export function canPrune(liveObj: KubeObject, application: string): PruneDecision {
  if (!isOwnedBy(liveObj, application)) {
    const owner = liveObj.metadata.labels?.[APPLICATION_LABEL];
    return {
      prune: false,
      reason:
        owner === undefined || liveObj.metadata.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE
          ? 'not managed by fleetwave'
          : `owned by application "${owner}"`,
    };
  }
  if (isPruneDisabled(liveObj)) {
    return { prune: false, reason: `${PRUNE_DISABLED_ANNOTATION}: ${PRUNE_DISABLED_VALUE}` };
  }
  return { prune: true };
}
