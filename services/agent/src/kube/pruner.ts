import {
  canPrune,
  describeRef,
  parseObjectId,
  type ChangeSetEntry,
  type InventoryEntry,
  type KubeObject,
  type ObjectRef,
} from '../domain/index.js';
import type { KubeClients } from './clients.js';
import { describeError, isConflict } from './errors.js';
import type { ObjectKey, PropagationPolicy } from './resources.js';

export interface PruneOptions {
  /** Default `Background`: the garbage collector removes dependents (ReplicaSets, Pods) after. */
  propagationPolicy?: PropagationPolicy;
}

export interface PruneResult {
  /** `deleted` or `skipped` (with the reason) per stale object that still existed. */
  entries: ChangeSetEntry[];
  /** Stale entries whose deletion failed: keep them in the inventory, the next reconcile retries. */
  survivors: InventoryEntry[];
}

/** The apiVersion an inventory entry was applied with: `apps` + `v1` → `apps/v1`. */
export function apiVersionOf(ref: Pick<ObjectRef, 'group'>, version: string): string {
  return ref.group === '' ? version : `${ref.group}/${version}`;
}

export function keyOf(ref: ObjectRef, version: string): ObjectKey {
  const metadata: ObjectKey['metadata'] = { name: ref.name };
  if (ref.namespace !== '') metadata.namespace = ref.namespace;
  return { apiVersion: apiVersionOf(ref, version), kind: ref.kind, metadata };
}

/**
 * Deletes what left the bundle, after `fluxcd/pkg/ssa` `DeleteAll`, in the order given (domain
 * `diffInventory` returns stale entries in reverse apply order):
 *
 * - gone already (or its kind is no longer served at all): nothing to do, no entry; an object
 *   recorded under a version no longer served is read and deleted through a version still served;
 * - not carrying this application's owner labels, or annotated `fleetwave.io/prune: disabled`:
 *   `skipped` with the reason, and dropped from the inventory (it is not ours to track);
 * - already being deleted: `deleted`;
 * - otherwise deleted (propagation Background, precondition on the uid read): `deleted`;
 * - a read or delete the server refuses: `skipped` with the error, and a survivor.
 */
export async function prune(
  clients: KubeClients,
  stale: readonly InventoryEntry[],
  application: string,
  options: PruneOptions = {},
): Promise<PruneResult> {
  const result: PruneResult = { entries: [], survivors: [] };
  for (const entry of stale) {
    const ref = parseObjectId(entry.id);
    if (ref === undefined) {
      result.entries.push({
        id: entry.id,
        action: 'skipped',
        reason: 'not an object id; dropped from inventory',
      });
      continue;
    }
    const key = keyOf(ref, entry.version);
    let live: KubeObject | undefined;
    try {
      // Recorded under a version the cluster no longer serves: reach it through one it serves.
      const served = await clients.discovery.servedApiVersion(key.apiVersion, key.kind);
      if (served === undefined) continue; // the kind is gone, and its objects with it
      key.apiVersion = served;
      live = await clients.resources.get(key);
    } catch (err) {
      result.entries.push({ id: entry.id, action: 'skipped', reason: `cannot read: ${describeError(err)}` });
      result.survivors.push({ ...entry });
      continue;
    }
    if (live === undefined) continue;

    const decision = canPrune(live, application);
    if (!decision.prune) {
      result.entries.push({ id: entry.id, action: 'skipped', reason: decision.reason });
      continue;
    }
    if (live.metadata.deletionTimestamp !== undefined) {
      result.entries.push({ id: entry.id, action: 'deleted', reason: 'already being deleted' });
      continue;
    }
    try {
      await clients.resources.delete(key, {
        propagationPolicy: options.propagationPolicy ?? 'Background',
        uid: live.metadata.uid,
      });
      result.entries.push({ id: entry.id, action: 'deleted' });
    } catch (err) {
      const reason = isConflict(err)
        ? `${describeRef(ref)} was replaced since it was read; will retry`
        : `cannot delete: ${describeError(err)}`;
      result.entries.push({ id: entry.id, action: 'skipped', reason });
      result.survivors.push({ ...entry });
    }
  }
  return result;
}
