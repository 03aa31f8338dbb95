import { type FailedCheck, type WaveVerification } from '../verification/wave-state.js';
import { FAILURE_PHASES } from '../vocabulary.js';
import { type GateCluster } from './types.js';

/** A failed cluster of a wave, and the per-cluster check it failed when that is why. */
export interface FailedCluster {
  cluster: GateCluster;
  /** Set when the cluster failed a check for good (its phase may well be Healthy). */
  check?: FailedCheck;
}

/**
 * The wave's failed clusters as the failure budget and failure correlation count them: those in a
 * failure phase (Failed, Degraded, TimedOut) and those a per-cluster verification check failed for
 * good on, each once. Pure.
 */
export function failedClusters(
  clusters: readonly GateCluster[],
  verification: WaveVerification | null | undefined,
): FailedCluster[] {
  const checks = new Map((verification?.failedClusters ?? []).map((f) => [f.target, f]));
  return clusters.flatMap((cluster) => {
    const check = checks.get(cluster.name);
    if (check !== undefined) return [{ cluster, check }];
    return FAILURE_PHASES.has(cluster.phase) ? [{ cluster }] : [];
  });
}
