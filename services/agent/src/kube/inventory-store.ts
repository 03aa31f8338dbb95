import {
  HOOK_PHASES,
  isRecord,
  RELEASE_MODES,
  type HookRunState,
  type Inventory,
  type InventoryEntry,
  type KubeObject,
} from '../domain/index.js';
import type { KubeClients } from './clients.js';

/** Data keys of the inventory ConfigMap. */
export const INVENTORY_KEY = 'inventory.json';
export const DIGEST_KEY = 'digest';
export const COMMIT_KEY = 'commit';
/** The Helm hooks run for the digest (domain `HookRunState`), when the bundle has hooks. */
export const HOOKS_KEY = 'hooks.json';
/** Label on every inventory ConfigMap, valued with the application's name. */
export const INVENTORY_LABEL = 'fleetwave.io/inventory-of';
export const INVENTORY_PREFIX = 'fleetwave-inventory-';

export interface InventoryMeta {
  /** The bundle digest the inventory was recorded for. */
  digest: string;
  commit: string;
  /** Where the bundle's Helm hooks are; absent when it has none (the key is then removed). */
  hooks?: HookRunState;
}

export interface StoredInventory extends Partial<Omit<InventoryMeta, 'hooks'>> {
  inventory: Inventory;
  hooks?: HookRunState;
}

/** The stored inventory cannot be read: the agent must not guess what it owns. */
export class InventoryCorruptError extends Error {
  override readonly name = 'InventoryCorruptError';
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** `fleetwave-inventory-<application>`; the application name must be a DNS label. */
export function inventoryConfigMapName(application: string): string {
  if (!DNS_LABEL.test(application) || application.length > 63) {
    throw new Error(`application name ${JSON.stringify(application)} is not a DNS label`);
  }
  return `${INVENTORY_PREFIX}${application}`;
}

/**
 * What the agent applied, per application, in its own cluster (cli-utils keeps its inventory in a
 * ConfigMap the same way): one ConfigMap `fleetwave-inventory-<application>` in the agent's
 * namespace, data `inventory.json` (the domain Inventory), `digest` and `commit`, and `hooks.json`
 * when the bundle has Helm hooks (so a hook runs once per digest, across restarts). The namespace
 * must exist. Writes are server-side applies (field manager `fleetwave`), so a save never conflicts.
 */
export class InventoryStore {
  constructor(
    private readonly clients: KubeClients,
    private readonly namespace: string,
    private readonly fieldManager = 'fleetwave',
  ) {}

  /** The stored inventory of `application`, or undefined when none was ever saved. */
  async load(application: string): Promise<Inventory | undefined> {
    return (await this.read(application))?.inventory;
  }

  /** {@link load} with the digest and commit it was saved with. */
  async read(application: string): Promise<StoredInventory | undefined> {
    const configMap = await this.clients.resources.get(this.key(application));
    if (configMap === undefined) return undefined;
    const data = isRecord(configMap.data) ? configMap.data : {};
    const text = data[INVENTORY_KEY];
    const where = `ConfigMap ${this.namespace}/${inventoryConfigMapName(application)}`;
    if (typeof text !== 'string') throw new InventoryCorruptError(`${where} has no ${INVENTORY_KEY}`);
    const stored: StoredInventory = { inventory: parseInventory(text, where) };
    const digest = data[DIGEST_KEY];
    const commit = data[COMMIT_KEY];
    if (typeof digest === 'string' && digest !== '') stored.digest = digest;
    if (typeof commit === 'string' && commit !== '') stored.commit = commit;
    const hooks = data[HOOKS_KEY];
    if (typeof hooks === 'string') stored.hooks = parseHooks(hooks, where);
    return stored;
  }

  async save(application: string, inventory: Inventory, meta: InventoryMeta): Promise<void> {
    const configMap: KubeObject = {
      ...this.key(application),
      metadata: {
        ...this.key(application).metadata,
        labels: { 'app.kubernetes.io/part-of': 'fleetwave', [INVENTORY_LABEL]: application },
      },
      data: {
        [INVENTORY_KEY]: JSON.stringify({
          entries: inventory.entries.map(({ id, version }) => ({ id, version })),
        }),
        [DIGEST_KEY]: meta.digest,
        [COMMIT_KEY]: meta.commit,
        // Left out, a key the field manager set before is removed: the hooks of an older digest go.
        ...(meta.hooks === undefined ? {} : { [HOOKS_KEY]: JSON.stringify(meta.hooks) }),
      },
    };
    await this.clients.resources.apply(configMap, { fieldManager: this.fieldManager, force: true });
  }

  /** Forget `application` (once everything it applied was pruned). */
  async delete(application: string): Promise<void> {
    await this.clients.resources.delete(this.key(application));
  }

  /** The applications with a stored inventory (to find the ones no longer assigned). */
  async applications(): Promise<string[]> {
    const { items } = await this.clients.resources.list(
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: this.namespace },
      { labelSelector: INVENTORY_LABEL },
    );
    return items
      .filter((item) => item.metadata.name.startsWith(INVENTORY_PREFIX))
      .map((item) => item.metadata.labels?.[INVENTORY_LABEL])
      .filter((name): name is string => typeof name === 'string' && name !== '')
      .sort();
  }

  private key(application: string): KubeObject {
    return {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: inventoryConfigMapName(application), namespace: this.namespace },
    };
  }
}

function parseInventory(text: string, where: string): Inventory {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new InventoryCorruptError(
      `${where}: ${INVENTORY_KEY} is not JSON (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  if (!isRecord(parsed) || !Array.isArray(parsed.entries)) {
    throw new InventoryCorruptError(`${where}: ${INVENTORY_KEY} has no entries list`);
  }
  const entries: InventoryEntry[] = [];
  for (const entry of parsed.entries as unknown[]) {
    if (!isRecord(entry) || typeof entry.id !== 'string' || typeof entry.version !== 'string') {
      throw new InventoryCorruptError(`${where}: ${INVENTORY_KEY} has a malformed entry`);
    }
    entries.push({ id: entry.id, version: entry.version });
  }
  return { entries };
}

function parseHooks(text: string, where: string): HookRunState {
  const corrupt = (what: string) => new InventoryCorruptError(`${where}: ${HOOKS_KEY} ${what}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw corrupt('is not JSON');
  }
  const strings = (value: unknown) => Array.isArray(value) && value.every((v) => typeof v === 'string');
  if (
    !isRecord(parsed) ||
    typeof parsed.digest !== 'string' ||
    !(RELEASE_MODES as readonly unknown[]).includes(parsed.mode) ||
    !strings(parsed.started) ||
    !strings(parsed.succeeded) ||
    !Array.isArray(parsed.done) ||
    !parsed.done.every((phase) => (HOOK_PHASES as readonly unknown[]).includes(phase))
  ) {
    throw corrupt('is not a hook record');
  }
  const failed = parsed.failed;
  if (
    failed !== undefined &&
    (!isRecord(failed) ||
      !(HOOK_PHASES as readonly unknown[]).includes(failed.phase) ||
      typeof failed.id !== 'string' ||
      typeof failed.reason !== 'string' ||
      typeof failed.message !== 'string')
  ) {
    throw corrupt('has a malformed failure');
  }
  return parsed as unknown as HookRunState;
}
