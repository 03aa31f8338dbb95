import { compareRefs, sortForApply } from './apply-order.js';
import type { KubeObject } from './kube-object.js';
import { objectId, parseObjectId, versionOf } from './object-id.js';

/**
 * What the agent has applied, kept in its cluster so it can prune without the hub; a port of
 * `fluxcd/kustomize-controller/internal/inventory` (pure data and set arithmetic).
 */
export interface InventoryEntry {
  /** `namespace_name_group_kind`, see `object-id.ts`. */
  id: string;
  /** The version part of the apiVersion last applied (`v1` for `apps/v1`). */
  version: string;
}

export interface Inventory {
  entries: InventoryEntry[];
}

/** Apply order for inventory entries; entries whose id does not parse go last, by id. */
function compareEntries(a: InventoryEntry, b: InventoryEntry): number {
  const refA = parseObjectId(a.id);
  const refB = parseObjectId(b.id);
  if (refA !== undefined && refB !== undefined) return compareRefs(refA, refB);
  if (refA !== undefined) return -1;
  if (refB !== undefined) return 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The inventory of a set of objects, in apply order; a repeated id is kept once (first wins). */
export function inventoryOf(objects: readonly KubeObject[]): Inventory {
  const seen = new Set<string>();
  const entries: InventoryEntry[] = [];
  for (const obj of sortForApply(objects)) {
    const id = objectId(obj);
    if (seen.has(id)) continue;
    seen.add(id);
    entries.push({ id, version: versionOf(obj.apiVersion) });
  }
  return { entries };
}

/**
 * The entries of `previous` whose id is not in `next`: what to prune. Identity ignores the version
 * (an object moved from `v1beta1` to `v1` is not stale). Returned in reverse apply order, the order
 * to delete in: workloads before the Services and ConfigMaps they use, Namespaces and CRDs last,
 * webhooks first. Entries whose id does not parse come last.
 */
export function diffInventory(previous: Inventory, next: Inventory): { stale: InventoryEntry[] } {
  const keep = new Set(next.entries.map((entry) => entry.id));
  const seen = new Set<string>();
  const stale: InventoryEntry[] = [];
  for (const entry of previous.entries) {
    if (keep.has(entry.id) || seen.has(entry.id)) continue;
    seen.add(entry.id);
    stale.push({ ...entry });
  }
  // Unparsable ids (a damaged stored inventory) stay last: the pruner cannot resolve them anyway.
  const parsable = stale.filter((entry) => parseObjectId(entry.id) !== undefined);
  const unparsable = stale.filter((entry) => parseObjectId(entry.id) === undefined);
  return { stale: [...parsable.sort((a, b) => compareEntries(b, a)), ...unparsable.sort(compareEntries)] };
}

/**
 * `next` plus the `survivors`: stale objects whose deletion failed stay tracked, so the next
 * reconcile retries them (kustomize-controller `inventory.Merge`, fluxcd/kustomize-controller#1664).
 * An id in both keeps `next`'s version. The result is in apply order.
 */
export function mergeInventory(next: Inventory, survivors: readonly InventoryEntry[]): Inventory {
  const byId = new Map<string, InventoryEntry>();
  for (const entry of [...next.entries, ...survivors]) {
    if (!byId.has(entry.id)) byId.set(entry.id, { ...entry });
  }
  return { entries: [...byId.values()].sort(compareEntries) };
}
