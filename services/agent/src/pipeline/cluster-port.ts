import { type CompiledHealthChecks } from '@fleetwave/contracts';
import {
  type ChangeSetEntry,
  type Inventory,
  type InventoryEntry,
  type KubeObject,
  type NamespaceCheckResult,
  type ResourceResult,
} from '../domain/index.js';

export interface InventoryMeta {
  digest: string;
  commit: string;
}

/** A stored inventory with the digest and commit it was saved for (absent when not recorded). */
export interface InventoryRecord extends Partial<InventoryMeta> {
  inventory: Inventory;
}

/**
 * Everything the reconcile pipeline needs from the cluster. The real implementation is the kube/
 * layer (server-side apply, ConfigMap inventory, discovery); tests can use a fake.
 */
export interface ClusterPort {
  /** Namespaced objects get a namespace (or an error), unknown kinds are refused. */
  checkScopes(objects: KubeObject[], defaultNamespace: string | undefined): Promise<NamespaceCheckResult>;
  /** Staged server-side apply with the owner labels; per-object failures come back as `skipped`. */
  apply(objects: KubeObject[], ownerLabels: Record<string, string>): Promise<ChangeSetEntry[]>;
  loadInventory(application: string): Promise<Inventory | undefined>;
  /** {@link loadInventory} with the digest and commit it was saved for. */
  readInventory(application: string): Promise<InventoryRecord | undefined>;
  saveInventory(application: string, inventory: Inventory, meta: InventoryMeta): Promise<void>;
  /** Forgets `application`: its inventory record goes (nothing else is deleted). Absent is fine. */
  deleteInventory(application: string): Promise<void>;
  /** Stops watching `application`'s objects for drift (until it is applied again). */
  untrack(application: string): void;
  /** Deletes what left the bundle (only objects we own); what refused deletion comes back as survivors. */
  prune(
    stale: InventoryEntry[],
    application: string,
  ): Promise<{ entries: ChangeSetEntry[]; survivors: InventoryEntry[] }>;
  /** Each object's status as it is live, by the application's custom rules first, then kstatus. */
  readStatuses(objects: KubeObject[], healthChecks?: CompiledHealthChecks): Promise<ResourceResult[]>;
}
