import { describe, expect, it } from '@jest/globals';
import {
  type ChangeSetEntry,
  type HookDeletion,
  type Inventory,
  type InventoryEntry,
  inventoryOf,
  type KubeObject,
  objectId,
  ownerLabels,
  PRUNE_DISABLED_ANNOTATION,
  APPLICATION_LABEL,
} from '../domain/index.js';
import { type KubeClients } from '../kube/clients.js';
import { InventoryCorruptError } from '../kube/inventory-store.js';
import { KubeApiError } from '../kube/errors.js';
import { prune } from '../kube/pruner.js';
import { type ObjectKey } from '../kube/resources.js';
import {
  type AppliedBundle,
  type ClusterPort,
  type InventoryMeta,
  type InventoryRecord,
} from './cluster-port.js';
import { type Withdrawal, withdrawBundle, type WithdrawInput } from './withdraw.js';

const APP = 'shop';
const DIGEST = `sha256:${'d'.repeat(64)}`;
const COMMIT = 'c'.repeat(40);
const OWNED = ownerLabels({ application: APP, clusterId: '11111111-1111-4111-8111-111111111111' });

const ns = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Namespace',
  metadata: { name, labels: { ...OWNED } },
});
const cm = (name: string, meta: Partial<KubeObject['metadata']> = {}): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'shop', labels: { ...OWNED }, ...meta },
  data: { a: '1' },
});
const deployment: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop', labels: { ...OWNED } },
};

/**
 * A cluster the real pruner runs against (its rules are what a withdrawal relies on): objects by
 * id, deletes that can be refused, and a Namespace's deletion taking its objects with it.
 */
class FakeKube {
  readonly live = new Map<string, KubeObject>();
  /** id → the API server's refusal. */
  readonly refuse = new Map<string, KubeApiError>();
  readonly requests: string[] = [];

  constructor(objects: KubeObject[]) {
    for (const o of objects) this.live.set(objectId(o), structuredClone(o));
  }

  get clients(): KubeClients {
    const id = (key: ObjectKey) => objectId(key as KubeObject);
    return {
      discovery: { servedApiVersion: async (apiVersion: string) => apiVersion },
      resources: {
        get: async (key: ObjectKey) => {
          this.requests.push(`get ${id(key)}`);
          const live = this.live.get(id(key));
          return live && structuredClone(live);
        },
        delete: async (key: ObjectKey) => {
          this.requests.push(`delete ${id(key)}`);
          const refusal = this.refuse.get(id(key));
          if (refusal) throw refusal;
          this.live.delete(id(key));
          if (key.kind === 'Namespace') {
            for (const [other, o] of this.live) {
              if (o.metadata.namespace === key.metadata.name) this.live.delete(other);
            }
          }
          return true;
        },
      },
    } as unknown as KubeClients;
  }
}

/** The pipeline's port over {@link FakeKube}, with the inventory records in memory. */
class FakePort implements ClusterPort {
  readonly inventories = new Map<string, InventoryRecord>();
  readonly calls: string[] = [];
  readFails: Error | undefined;

  constructor(readonly kube: FakeKube) {}

  async checkScopes(objects: KubeObject[]) {
    return { objects, errors: [] };
  }
  async apply(): Promise<AppliedBundle> {
    throw new Error('a withdrawal applies nothing');
  }
  async loadInventory(application: string) {
    return this.inventories.get(application)?.inventory;
  }
  async readInventory(application: string) {
    this.calls.push(`read ${application}`);
    if (this.readFails) throw this.readFails;
    return this.inventories.get(application);
  }
  async saveInventory(application: string, inventory: Inventory, meta: InventoryMeta) {
    this.calls.push(`save ${application} ${inventory.entries.map((e) => e.id).join(' ')}`);
    this.inventories.set(application, { inventory, ...meta });
  }
  async deleteInventory(application: string) {
    this.calls.push(`delete-inventory ${application}`);
    this.inventories.delete(application);
  }
  untrack(application: string) {
    this.calls.push(`untrack ${application}`);
  }
  async prune(stale: InventoryEntry[], application: string) {
    this.calls.push(`prune ${stale.map((e) => e.id).join(' ')}`);
    return prune(this.kube.clients, stale, application);
  }
  async readStatuses() {
    return [];
  }
  async recreate(): Promise<ChangeSetEntry> {
    throw new Error('a withdrawal re-creates nothing');
  }
  async applyHook(): Promise<ChangeSetEntry> {
    throw new Error('a withdrawal runs no hook');
  }
  async readObject(): Promise<KubeObject | undefined> {
    throw new Error('a withdrawal reads no object');
  }
  async deleteHook(): Promise<HookDeletion> {
    throw new Error('a withdrawal runs no hook');
  }
}

/** A cluster where `objects` were applied for {@link APP} and recorded in its inventory. */
function applied(objects: KubeObject[], meta: Partial<InventoryMeta> = { digest: DIGEST, commit: COMMIT }) {
  const port = new FakePort(new FakeKube(objects));
  port.inventories.set(APP, { inventory: inventoryOf(objects), ...meta });
  return port;
}

const withdraw = (
  port: ClusterPort,
  deletionPolicy: Withdrawal['deletionPolicy'] = 'prune',
  extra: Partial<WithdrawInput> = {},
) =>
  withdrawBundle(port, {
    withdrawal: { application: APP, deletionPolicy },
    now: new Date('2026-12-02T08:00:00Z'),
    ...extra,
  });

const BUNDLE = [ns('shop'), cm('settings'), deployment];

describe('withdrawBundle', () => {
  it('prune: stops watching, deletes every inventory object (workloads first, the Namespace last), then the record', async () => {
    const port = applied(BUNDLE);

    const result = await withdraw(port);

    expect(result).toEqual({
      removed: true,
      hadInventory: true,
      changes: [
        { id: 'shop_web_apps_Deployment', action: 'deleted' },
        { id: 'shop_settings__ConfigMap', action: 'deleted' },
        { id: '_shop__Namespace', action: 'deleted' },
      ],
    });
    expect(port.kube.live.size).toBe(0);
    expect(port.calls).toEqual([
      `untrack ${APP}`,
      `read ${APP}`,
      'prune shop_web_apps_Deployment shop_settings__ConfigMap _shop__Namespace',
      `delete-inventory ${APP}`,
    ]);
    expect(port.inventories.has(APP)).toBe(false);
  });

  it('orphan: deletes nothing and strips nothing, and drops the record', async () => {
    const port = applied(BUNDLE);
    const before = structuredClone([...port.kube.live]);

    const result = await withdraw(port, 'orphan');

    expect(result).toEqual({ removed: true, hadInventory: true, changes: [] });
    expect([...port.kube.live]).toEqual(before); // owner labels and all
    expect(port.kube.requests).toEqual([]);
    expect(port.calls).toEqual([`untrack ${APP}`, `read ${APP}`, `delete-inventory ${APP}`]);
  });

  it.each(['prune', 'orphan'] as const)(
    '%s with no inventory (never applied, or already removed): removed, nothing touched',
    async (policy) => {
      const port = new FakePort(new FakeKube([cm('settings')]));

      const result = await withdraw(port, policy);

      expect(result).toEqual({ removed: true, hadInventory: false, changes: [] });
      expect(port.kube.requests).toEqual([]);
      expect(port.kube.live.size).toBe(1);
      expect(port.calls).toEqual([`untrack ${APP}`, `read ${APP}`]);
    },
  );

  it.each<[string, KubeObject, string]>([
    [
      'annotated with the prune opt-out',
      cm('keep', { annotations: { [PRUNE_DISABLED_ANNOTATION]: 'disabled' } }),
      'fleetwave.io/prune: disabled',
    ],
    [
      'whose application label someone removed',
      cm('keep', { labels: { 'fleetwave.io/managed-by': 'fleetwave' } }),
      'not managed by fleetwave',
    ],
    [
      'relabelled by someone else to another application',
      cm('keep', { labels: { ...OWNED, [APPLICATION_LABEL]: 'other' } }),
      'owned by application "other"',
    ],
  ])(
    'prune leaves an object %s, and its Namespace with it; the withdrawal is done',
    async (_case, kept, reason) => {
      const port = applied([...BUNDLE, cm('keep')]);
      port.kube.live.set(objectId(kept), structuredClone(kept)); // as changed in the cluster

      const result = await withdraw(port);

      expect(result.removed).toBe(true);
      expect(result.changes).toEqual([
        { id: 'shop_web_apps_Deployment', action: 'deleted' },
        { id: 'shop_settings__ConfigMap', action: 'deleted' },
        { id: 'shop_keep__ConfigMap', action: 'skipped', reason },
        {
          id: '_shop__Namespace',
          action: 'skipped',
          reason: 'holds objects left in place (ConfigMap shop/keep)',
        },
      ]);
      expect([...port.kube.live.keys()].sort()).toEqual(['_shop__Namespace', 'shop_keep__ConfigMap']);
      expect(port.kube.live.get('shop_keep__ConfigMap')).toEqual(kept);
      expect(port.inventories.has(APP)).toBe(false);
    },
  );

  it('prune that the API server refuses: keeps the survivors in the inventory, reports why, and finishes on a retry', async () => {
    const port = applied(BUNDLE);
    port.kube.refuse.set(
      'shop_web_apps_Deployment',
      new KubeApiError(403, 'Forbidden', 'deployments.apps "web" is forbidden: policy says no'),
    );

    const failed = await withdraw(port);

    expect(failed).toMatchObject({
      removed: false,
      status: {
        application: APP,
        digest: DIGEST,
        commit: COMMIT,
        phase: 'Failed',
        ready: 0,
        total: 2,
        failing: [
          {
            id: 'shop_web_apps_Deployment',
            reason: 'PruneFailed',
            message: 'cannot delete: Forbidden (403): deployments.apps "web" is forbidden: policy says no',
          },
          {
            id: '_shop__Namespace',
            reason: 'PruneFailed',
            message: 'still holds objects that could not be deleted (Deployment.apps shop/web); will retry',
          },
        ],
        driftCorrections: 0,
        observedAt: '2026-12-02T08:00:00.000Z',
      },
    });
    // What could be deleted is; the survivors stay tracked (the Namespace too: deleting it would
    // take the Deployment with it).
    expect([...port.kube.live.keys()].sort()).toEqual(['_shop__Namespace', 'shop_web_apps_Deployment']);
    expect(port.inventories.get(APP)).toEqual({
      inventory: {
        entries: [
          { id: '_shop__Namespace', version: 'v1' },
          { id: 'shop_web_apps_Deployment', version: 'v1' },
        ],
      },
      digest: DIGEST,
      commit: COMMIT,
    });

    port.kube.refuse.clear();
    const retried = await withdraw(port);

    expect(retried).toMatchObject({ removed: true, hadInventory: true });
    expect(port.kube.live.size).toBe(0);
    expect(port.inventories.has(APP)).toBe(false);
  });

  it.each<[string, Error, string]>([
    ['an API error', new Error('connect ECONNREFUSED 10.0.0.1:443'), 'ReconcileError'],
    [
      'an inventory it cannot read',
      new InventoryCorruptError(
        'ConfigMap fleetwave-system/fleetwave-inventory-shop: inventory.json is not JSON',
      ),
      'InventoryCorrupt',
    ],
  ])('stalls on %s, deleting nothing, named by what the agent last knew', async (_case, error, reason) => {
    const port = applied(BUNDLE);
    port.readFails = error;
    const lastKnown = { digest: `sha256:${'e'.repeat(64)}`, commit: 'e'.repeat(40) };

    const result = await withdraw(port, 'prune', { lastKnown });

    expect(result).toMatchObject({
      removed: false,
      status: {
        application: APP,
        ...lastKnown,
        phase: 'Stalled',
        failing: [{ id: APP, reason, message: error.message }],
      },
    });
    expect(port.kube.requests).toEqual([]);
    expect(port.inventories.has(APP)).toBe(true);
  });

  it('has no status to give when neither the inventory nor the agent knows a digest and commit', async () => {
    const port = applied(BUNDLE);
    port.readFails = new Error('connect ECONNREFUSED 10.0.0.1:443');
    const result = await withdraw(port);
    expect(result).toMatchObject({ removed: false, status: undefined });
  });

  it.each<[string, Partial<InventoryMeta>]>([
    ['no digest and commit recorded', {}],
    ['a digest that is not one', { digest: 'sha256:abc', commit: COMMIT }],
  ])(
    'names a failing withdrawal by what the agent last knew when the inventory has %s',
    async (_case, meta) => {
      const port = applied(BUNDLE, meta);
      port.kube.refuse.set('shop_settings__ConfigMap', new KubeApiError(403, 'Forbidden', 'no'));
      const lastKnown = { digest: `sha256:${'e'.repeat(64)}`, commit: 'e'.repeat(40) };

      const result = await withdraw(port, 'prune', { lastKnown });

      expect(result).toMatchObject({ removed: false, status: { ...lastKnown, phase: 'Failed' } });
      expect(port.inventories.get(APP)?.inventory.entries.map((e) => e.id)).toEqual([
        '_shop__Namespace',
        'shop_settings__ConfigMap',
      ]);
    },
  );
});
