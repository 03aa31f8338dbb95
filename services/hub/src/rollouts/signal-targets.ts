import { type Placement } from '../reports/bundle-status-changes.js';
import { type ClusterSignal } from '../reports/cluster-signals.js';

/** What the scheduler looks up rollouts for: whole clusters, and (cluster, application) pairs. */
export interface SignalTargets {
  clusters: Set<string>;
  /** Keyed `<clusterId>/<application>`. */
  placements: Map<string, Placement>;
}

/**
 * Adds a signal to what the next rollout lookup covers. A cluster whose own status moved concerns
 * all its rollouts; a pair whose report moved concerns its application's rollouts only — unless a
 * per-cluster budget of changing applications is set (`wholeClusters`): then a settled application
 * frees a slot for the cluster's other ones, and all its rollouts are looked at.
 */
export function addSignal(targets: SignalTargets, signal: ClusterSignal, wholeClusters: boolean): void {
  for (const id of signal.clusterIds) targets.clusters.add(id);
  for (const p of signal.placements) {
    if (wholeClusters) targets.clusters.add(p.clusterId);
    else targets.placements.set(`${p.clusterId}/${p.application}`, p);
  }
}
