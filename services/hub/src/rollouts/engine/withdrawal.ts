import { matchesSelector, parseSelector, type Selector } from '@fleetwave/labels';
import { type WithdrawalReason } from './vocabulary.js';

/** A cluster as the withdrawal decision sees it. */
export interface LeavingCluster {
  id: string;
  labels: Readonly<Record<string, string>>;
  /** Being deregistered: every placement on it ends. */
  deregistering: boolean;
}

/** One application's placements as the catch-up lane reads them when looking for ones that ended. */
export interface WithdrawalState {
  target: Selector | string;
  /** The application is being deleted: every placement ends. */
  deleting: boolean;
  /** When the application's settings last changed (its target with them). */
  editedAt: Date;
  /** Clusters assigned the application now, with when they were assigned. */
  assigned: readonly { cluster: LeavingCluster; assignedAt: Date }[];
  /** Members (not skipped) of the application's unfinished rollouts, assigned or not yet. */
  members: readonly LeavingCluster[];
}

export interface Withdrawal {
  clusterId: string;
  reason: WithdrawalReason;
}

export interface WithdrawalsNeeded {
  /** Assigned clusters whose placement ended: their assignment becomes a tombstone. */
  withdraw: Withdrawal[];
  /** Members of unfinished rollouts whose placement ended: they leave those rollouts (skipped). */
  leave: string[];
}

/**
 * Which placements of one application ended, and why: every one when the application is being
 * deleted (`deleted`), every one on a cluster being deregistered (`deregistered`), and those whose
 * cluster the target no longer matches — `target` when the application was edited after the cluster
 * was assigned, else `labels`. Cordon is not a reason: a cordoned cluster keeps what it runs. Only
 * an assignment can be withdrawn (a cluster never assigned has nothing to remove); a rollout member
 * that left is taken out of the rollout whether it was assigned yet or not, so it neither blocks the
 * rollout nor is assigned by it later. Pure: the lane reads, this decides, so replicas agree.
 */
export function withdrawalsNeeded(state: WithdrawalState): WithdrawalsNeeded {
  const selector = typeof state.target === 'string' ? parseSelector(state.target) : state.target;
  const ended = (cluster: LeavingCluster): WithdrawalReason | 'target-or-labels' | null => {
    if (state.deleting) return 'deleted';
    if (cluster.deregistering) return 'deregistered';
    return matchesSelector(selector, cluster.labels) ? null : 'target-or-labels';
  };
  const withdraw: Withdrawal[] = [];
  for (const { cluster, assignedAt } of state.assigned) {
    const reason = ended(cluster);
    if (reason === null) continue;
    withdraw.push({
      clusterId: cluster.id,
      reason:
        reason === 'target-or-labels'
          ? state.editedAt.getTime() > assignedAt.getTime()
            ? 'target'
            : 'labels'
          : reason,
    });
  }
  const leave = state.members.filter((cluster) => ended(cluster) !== null).map((cluster) => cluster.id);
  return { withdraw: sortBy(withdraw, (w) => w.clusterId), leave: [...new Set(leave)].sort() };
}

function sortBy<T>(items: T[], key: (item: T) => string): T[] {
  return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
