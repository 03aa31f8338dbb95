import { type EntityManager } from 'typeorm';

/**
 * What deregistering a cluster needs to know of its placements: declared here and provided by the
 * assignments feature (CLUSTER_PLACEMENTS), because assignments import clusters and not the other
 * way round.
 */
export interface ClusterPlacements {
  /** In `tx`: how many applications the cluster has assigned or unconfirmed withdrawals of. */
  remaining(tx: EntityManager, clusterId: string): Promise<number>;
}

export const CLUSTER_PLACEMENTS = Symbol('ClusterPlacements');
