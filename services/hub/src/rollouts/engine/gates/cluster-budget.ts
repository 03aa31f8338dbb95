import { OPEN, type WaveGate } from './types.js';

export interface ClusterBudgetReason {
  kind: 'clusterBudget';
  /** Applications changing on the cluster (assigned, not settled), across all rollouts and catch-ups. */
  changing: number;
  /** At most this many applications changing at once on one cluster (HUB_CLUSTER_MAX_CHANGING_APPS). */
  limit: number;
}

/**
 * The per-cluster change budget: a cluster already changing `limit` applications is not assigned
 * another until one settles, so one cluster is never reconciling every application at once. A hub
 * setting, counted under the fleet budget lock like the fleet-wide budget.
 */
export const clusterBudgetGate: WaveGate<ClusterBudgetReason, never, undefined> = {
  kind: 'clusterBudget',
  stage: 'assign',
  setting: undefined,
  evaluate({ fleet, cluster }) {
    const limit = fleet.clusterChangeLimit;
    if (limit === null || cluster === undefined) return OPEN;
    const changing = fleet.clusterChanging[cluster.clusterId] ?? 0;
    if (changing < limit) return OPEN;
    return { status: 'blocked', reason: { kind: 'clusterBudget', changing, limit } };
  },
  message: (reason) =>
    `cluster change budget: ${reason.changing}/${reason.limit} applications changing on this cluster`,
};
