import {
  type AssignmentsResponse,
  type BundleStatus,
  BundleStatusSchema,
  type FailingResource,
} from '@fleetwave/contracts';
import { type ChangeSetEntry, diffInventory, mergeInventory } from '../domain/index.js';
import { type ClusterPort, type InventoryMeta } from './cluster-port.js';

/** A tombstone from the hub: `{ application, deletionPolicy: 'prune' | 'orphan' }`. */
export type Withdrawal = AssignmentsResponse['withdrawals'][number];

export interface WithdrawInput {
  withdrawal: Withdrawal;
  now: Date;
  /**
   * The digest and commit this agent last reconciled the application at, if it remembers: the
   * status of a withdrawal that cannot finish names them when the stored inventory does not.
   */
  lastKnown?: InventoryMeta;
}

export type WithdrawResult =
  | {
      /** Carried out: the inventory record is gone (or there never was one). */
      removed: true;
      /** False when there was no inventory: nothing in the cluster was touched. */
      hadInventory: boolean;
      changes: ChangeSetEntry[];
    }
  | {
      /** Not finished: the inventory is kept (with what could not be deleted), and retried later. */
      removed: false;
      /** Why, for the hub; undefined when neither the inventory nor the agent knows a digest and commit. */
      status: BundleStatus | undefined;
      changes: ChangeSetEntry[];
      /** The failure, for the log. */
      failing: FailingResource[];
    };

/**
 * One application's withdrawal (a tombstone from the hub: it no longer belongs on this cluster).
 * Drift watching stops first, so the agent's own deletions are not taken for drift. Then, with its
 * inventory:
 *
 * - none: nothing to do (never applied here, or already removed);
 * - `orphan`: nothing is deleted and nothing is stripped, the objects stay exactly as they are;
 * - `prune`: the pruner deletes every inventory object in reverse apply order, with its rules: what
 *   no longer carries this application's owner labels (changed by someone else) or is annotated
 *   `fleetwave.io/prune: disabled` stays, and so does a Namespace that holds such an object.
 *
 * Then the inventory record goes. When some deletion fails, or an API error cuts the withdrawal
 * short, the inventory is kept with what is left, nothing is removed, and a `Failed` (or `Stalled`)
 * status says which objects and why; the next pass retries.
 */
export async function withdrawBundle(port: ClusterPort, input: WithdrawInput): Promise<WithdrawResult> {
  const { application, deletionPolicy } = input.withdrawal;
  let changes: ChangeSetEntry[] = [];
  let meta: Partial<InventoryMeta> = {};
  port.untrack(application);
  try {
    const stored = await port.readInventory(application);
    if (stored === undefined) return { removed: true, hadInventory: false, changes };
    meta = {
      ...(stored.digest ? { digest: stored.digest } : {}),
      ...(stored.commit ? { commit: stored.commit } : {}),
    };

    if (deletionPolicy === 'prune') {
      const { stale } = diffInventory(stored.inventory, { entries: [] });
      const pruned = await port.prune(stale, application);
      changes = pruned.entries;
      if (pruned.survivors.length > 0) {
        const survivors = new Set(pruned.survivors.map((entry) => entry.id));
        const failing = changes
          .filter((c) => c.action === 'skipped' && survivors.has(c.id))
          .map((c) => ({
            id: c.id,
            reason: 'PruneFailed',
            message: (c.reason ?? 'cannot delete').slice(0, 1024),
          }));
        await port.saveInventory(application, mergeInventory({ entries: [] }, pruned.survivors), {
          digest: meta.digest ?? input.lastKnown?.digest ?? '',
          commit: meta.commit ?? input.lastKnown?.commit ?? '',
        });
        return {
          removed: false,
          status: statusOf(input, meta, 'Failed', pruned.survivors.length, failing.slice(0, 50)),
          changes,
          failing,
        };
      }
    }
    await port.deleteInventory(application);
    return { removed: true, hadInventory: true, changes };
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 1024);
    // The kube layer's InventoryCorruptError, by name (the pipeline does not import the kube layer).
    const corrupt = error instanceof Error && error.name === 'InventoryCorruptError';
    const reason = corrupt ? 'InventoryCorrupt' : 'ReconcileError';
    const failing = [{ id: application, reason, message }];
    return {
      removed: false,
      status: statusOf(input, meta, 'Stalled', 0, failing),
      changes,
      failing,
    };
  }
}

/** The status of an unfinished withdrawal, when a valid digest and commit are known to name it by. */
function statusOf(
  input: WithdrawInput,
  stored: Partial<InventoryMeta>,
  phase: 'Failed' | 'Stalled',
  total: number,
  failing: FailingResource[],
): BundleStatus | undefined {
  const digestOk = (d: string | undefined) => BundleStatusSchema.shape.digest.safeParse(d).success;
  const commitOk = (c: string | undefined) => BundleStatusSchema.shape.commit.safeParse(c).success;
  // The pair that belongs together: the stored inventory's, else the agent's memory.
  const known = [stored, input.lastKnown].find(
    (m): m is InventoryMeta => m !== undefined && digestOk(m.digest) && commitOk(m.commit),
  );
  if (known === undefined) return undefined;
  return {
    application: input.withdrawal.application,
    digest: known.digest,
    commit: known.commit,
    phase,
    ready: 0,
    total,
    failing,
    driftCorrections: 0,
    observedAt: input.now.toISOString(),
  };
}
