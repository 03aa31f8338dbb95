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
 * - a read or delete the server refuses: `skipped` with the error, and a survivor;
 * - a Namespace that still holds an object this prune left in place (deleting the Namespace would
 *   delete it too): `skipped`, and dropped from the inventory like the object it protects, or a
 *   survivor (retried with it) when that object's deletion failed. Namespaces come last in the
 *   order `diffInventory` gives, so their objects were seen first. Objects in the Namespace that
 *   were never in the inventory are not looked for.
 */
export async function prune(
  clients: KubeClients,
  stale: readonly InventoryEntry[],
  application: string,
  options: PruneOptions = {},
): Promise<PruneResult> {
  const result: PruneResult = { entries: [], survivors: [] };
  // Per namespace, what this prune leaves in it: kept on purpose, or whose deletion failed.
  const left = new Map<string, { kept: ObjectRef[]; failed: ObjectRef[] }>();
  const leave = (ref: ObjectRef, how: 'kept' | 'failed') => {
    if (ref.namespace === '') return;
    const inNamespace = left.get(ref.namespace) ?? { kept: [], failed: [] };
    inNamespace[how].push(ref);
    left.set(ref.namespace, inNamespace);
  };
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
    const holds = isNamespace(ref) ? left.get(ref.name) : undefined;
    if (holds !== undefined) {
      const failed = holds.failed.length > 0;
      const refs = failed ? holds.failed : holds.kept;
      const names = refs.slice(0, 3).map(describeRef).join(', ') + (refs.length > 3 ? ', …' : '');
      result.entries.push({
        id: entry.id,
        action: 'skipped',
        reason: failed
          ? `still holds objects that could not be deleted (${names}); will retry`
          : `holds objects left in place (${names})`,
      });
      if (failed) result.survivors.push({ ...entry });
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
      leave(ref, 'failed');
      continue;
    }
    if (live === undefined) continue;

    const decision = canPrune(live, application);
    if (!decision.prune) {
      result.entries.push({ id: entry.id, action: 'skipped', reason: decision.reason });
      leave(ref, 'kept');
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
      leave(ref, 'failed');
    }
  }
  return result;
}

function isNamespace(ref: ObjectRef): boolean {
  return ref.group === '' && ref.kind === 'Namespace' && ref.namespace === '';
}
