import { type CompiledHealthChecks } from '@fleetwave/contracts';
import {
  type ChangeSetEntry,
  type HookDeletion,
  type HookRunState,
  type Inventory,
  type InventoryEntry,
  type KubeObject,
  type NamespaceCheckResult,
  type ResourceResult,
} from '../domain/index.js';

export interface InventoryMeta {
  digest: string;
  commit: string;
  /** The Helm hooks run for a digest (absent: none, and a record of an older digest's is dropped). */
  hooks?: HookRunState;
}

/** A stored inventory with the digest and commit it was saved for (absent when not recorded). */
export interface InventoryRecord extends Partial<Omit<InventoryMeta, 'hooks'>> {
  inventory: Inventory;
  hooks?: HookRunState;
}

/** A staged apply's outcome: the change set, and each object as the API server answered it. */
export interface AppliedBundle {
  entries: ChangeSetEntry[];
  /**
   * By object id: the object as the apply answered it (or as the live read found it, when
   * unchanged), status included, so the health step need not read it again.
   */
  observed: ReadonlyMap<string, KubeObject>;
}

/**
 * Everything the reconcile pipeline needs from the cluster. The real implementation is the kube/
 * layer (server-side apply, ConfigMap inventory, discovery); tests can use a fake.
 */
export interface ClusterPort {
  /** Namespaced objects get a namespace (or an error), unknown kinds are refused. */
  checkScopes(objects: KubeObject[], defaultNamespace: string | undefined): Promise<NamespaceCheckResult>;
  /** Staged server-side apply with the owner labels; per-object failures come back as `skipped`. */
  apply(objects: KubeObject[], ownerLabels: Record<string, string>): Promise<AppliedBundle>;
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
  /**
   * Each object's status, by the application's custom rules first, then kstatus: judged on its
   * `observed` copy when there is one (the apply's answer), and read live only when that copy is
   * not yet Current (a Deployment still rolling out), or when there is none.
   */
  readStatuses(
    objects: KubeObject[],
    healthChecks?: CompiledHealthChecks,
    observed?: ReadonlyMap<string, KubeObject>,
  ): Promise<ResourceResult[]>;
  /**
   * Deletes the live namesake of `object` and creates it again, the old one gone first (bounded
   * wait): `recreated`, or `skipped` with why. For an apply refused because `fields` are immutable.
   */
  recreate(
    object: KubeObject,
    ownerLabels: Record<string, string>,
    fields: string[],
  ): Promise<ChangeSetEntry>;
  /** Applies one Helm hook object with the owner labels, outside the drift-watched bundle. */
  applyHook(object: KubeObject, ownerLabels: Record<string, string>): Promise<ChangeSetEntry>;
  /** The live object, or undefined when it does not exist. */
  readObject(object: KubeObject): Promise<KubeObject | undefined>;
  /**
   * Deletes a hook object by its delete policy (`why`), only if it carries `application`'s owner
   * labels; with `wait`, until it is gone (bounded).
   */
  deleteHook(object: KubeObject, application: string, why: string, wait: boolean): Promise<HookDeletion>;
}
