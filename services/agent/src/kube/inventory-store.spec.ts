import { describe, expect, it } from '@jest/globals';
import { type HookRunState, type KubeObject } from '../domain/index.js';
import { type KubeClients } from './clients.js';
import { InventoryCorruptError, InventoryStore } from './inventory-store.js';

/** One ConfigMap, written whole by each apply (as server-side apply does with the keys one manager owns). */
function store() {
  let configMap: KubeObject | undefined;
  const resources = {
    get: async () => configMap,
    apply: async (obj: KubeObject) => (configMap = structuredClone(obj)),
  };
  const clients = { resources } as unknown as KubeClients;
  return {
    inventories: new InventoryStore(clients, 'fleetwave-system'),
    data: () => configMap?.data as Record<string, string> | undefined,
    setData: (key: string, value: string) => {
      (configMap!.data as Record<string, string>)[key] = value;
    },
  };
}

const hooks: HookRunState = {
  digest: `sha256:${'a'.repeat(64)}`,
  mode: 'upgrade',
  started: [],
  succeeded: ['pre-upgrade/shop_migrate_batch_Job'],
  done: ['pre'],
  failed: { phase: 'post', id: 'shop_notify_batch_Job', reason: 'BackoffLimitExceeded', message: 'failed' },
};
const inventory = { entries: [{ id: 'shop_web_apps_Deployment', version: 'v1' }] };
const meta = { digest: hooks.digest, commit: 'c'.repeat(40) };

describe('InventoryStore: the hooks run for a digest', () => {
  it('keeps them with the inventory, and drops them when saved without', async () => {
    const s = store();
    await s.inventories.save('shop', inventory, { ...meta, hooks });
    expect(await s.inventories.read('shop')).toEqual({ inventory, ...meta, hooks });

    await s.inventories.save('shop', inventory, meta);
    expect(s.data()).not.toHaveProperty('hooks.json');
    expect((await s.inventories.read('shop'))?.hooks).toBeUndefined();
  });

  it.each([
    ['not JSON', '{', 'hooks.json is not JSON'],
    ['an unknown mode', JSON.stringify({ ...hooks, mode: 'rollback' }), 'hooks.json is not a hook record'],
    [
      'a phase that is not one',
      JSON.stringify({ ...hooks, done: ['during'] }),
      'hooks.json is not a hook record',
    ],
    [
      'a malformed failure',
      JSON.stringify({ ...hooks, failed: { phase: 'pre' } }),
      'hooks.json has a malformed failure',
    ],
  ])(
    'refuses a record that is %s: the agent must not guess which hooks ran',
    async (_case, text, message) => {
      const s = store();
      await s.inventories.save('shop', inventory, { ...meta, hooks });
      s.setData('hooks.json', text);
      await expect(s.inventories.read('shop')).rejects.toThrow(InventoryCorruptError);
      await expect(s.inventories.read('shop')).rejects.toThrow(message);
    },
  );
});
