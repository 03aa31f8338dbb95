import { type CompiledHealthChecks } from '@fleetwave/contracts';
import { APPLICATION_LABEL, checkNamespaces, type KubeObject } from './domain/index.js';
import {
  applyBundle,
  applyObject,
  deleteHookObject,
  type DriftWatcher,
  InventoryStore,
  type KubeClients,
  prune,
  readStatuses,
  recreateObject,
} from './kube/index.js';
import { type AppliedBundle, type ClusterPort } from './pipeline/cluster-port.js';

export const FIELD_MANAGER = 'fleetwave';

/** The reconcile pipeline's view of the real cluster: the kube/ layer plus drift tracking. */
export class KubeClusterPort implements ClusterPort {
  private readonly inventories: InventoryStore;

  constructor(
    private readonly clients: KubeClients,
    namespace: string,
    private readonly watcher: DriftWatcher,
    private readonly stageWaitMs = 60_000,
  ) {
    this.inventories = new InventoryStore(clients, namespace, FIELD_MANAGER);
  }

  async checkScopes(objects: KubeObject[], defaultNamespace: string | undefined) {
    const isNamespaced = await this.clients.discovery.scopeLookup(objects);
    return checkNamespaces(objects, { isNamespaced, ...(defaultNamespace ? { defaultNamespace } : {}) });
  }

  async apply(objects: KubeObject[], ownerLabels: Record<string, string>): Promise<AppliedBundle> {
    const application = ownerLabels[APPLICATION_LABEL];
    // The watcher learns the new set before anything is pruned, so our own deletions are not drift.
    if (application) this.watcher.track(application, objects);
    const observed = new Map<string, KubeObject>();
    const entries = await applyBundle(this.clients, objects, {
      fieldManager: FIELD_MANAGER,
      ownerLabels,
      waitTimeoutMs: this.stageWaitMs,
      onApplied: (applied) => {
        this.watcher.observe(applied);
        observed.set(applied.id, applied.live);
      },
    });
    return { entries, observed };
  }

  loadInventory(application: string) {
    return this.inventories.load(application);
  }

  readInventory(application: string) {
    return this.inventories.read(application);
  }

  saveInventory(
    application: string,
    inventory: Parameters<InventoryStore['save']>[1],
    meta: { digest: string; commit: string },
  ) {
    return this.inventories.save(application, inventory, meta);
  }

  async deleteInventory(application: string) {
    await this.inventories.delete(application);
  }

  untrack(application: string) {
    this.watcher.untrack(application);
  }

  prune(stale: Parameters<typeof prune>[1], application: string) {
    return prune(this.clients, stale, application);
  }

  readStatuses(
    objects: KubeObject[],
    healthChecks?: CompiledHealthChecks,
    observed?: ReadonlyMap<string, KubeObject>,
  ) {
    return readStatuses(this.clients, objects, { healthChecks, ...(observed ? { observed } : {}) });
  }

  recreate(object: KubeObject, ownerLabels: Record<string, string>, fields: string[]) {
    return recreateObject(this.clients, object, fields, {
      fieldManager: FIELD_MANAGER,
      ownerLabels,
      timeoutMs: this.stageWaitMs,
      // The new object is the drift baseline, as for any apply.
      onApplied: (applied) => this.watcher.observe(applied),
    });
  }

  applyHook(object: KubeObject, ownerLabels: Record<string, string>) {
    // Not tracked for drift: hooks run once per revision, and their delete policy removes them.
    return applyObject(this.clients, object, { fieldManager: FIELD_MANAGER, ownerLabels });
  }

  readObject(object: KubeObject) {
    return this.clients.resources.get(object);
  }

  deleteHook(object: KubeObject, application: string, why: string, wait: boolean) {
    return deleteHookObject(this.clients, object, application, why, { wait, timeoutMs: this.stageWaitMs });
  }
}
