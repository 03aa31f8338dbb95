import {
  type BundleStatus,
  type ClusterFacts,
  type ClusterStatus,
  type Maintenance,
  type Report,
} from '@fleetwave/contracts';

export interface ClusterUpdate {
  clusterId: string;
  seq: number;
  status: ClusterStatus;
  /** Undefined when no report in the batch carried facts: the stored facts stay. */
  facts: ClusterFacts | undefined;
  agentVersion: string;
  /** From the newest report alone: a report without it ends the maintenance. */
  maintenance: Maintenance | null;
}

/** Applications a cluster's status reports in the batch listed as removed (their union). */
export interface Removal {
  clusterId: string;
  applications: string[];
}

export interface BundleSet {
  clusterId: string;
  /** The complete set from the cluster's newest status report: rows for other applications go. */
  bundles: BundleStatus[];
}

/**
 * Folds a batch's accepted reports (in sequence order per cluster) into one row change per cluster,
 * one bundle set per cluster and the applications each cluster confirmed removed (any report's), so the batch becomes a handful of SQL statements however many
 * reports it holds.
 */
export function foldReports(reports: readonly Report[]): {
  clusters: ClusterUpdate[];
  bundleSets: BundleSet[];
  removals: Removal[];
} {
  const clusters = new Map<string, ClusterUpdate>();
  const bundleSets = new Map<string, BundleSet>();
  const removals = new Map<string, Set<string>>();
  for (const report of reports) {
    const previous = clusters.get(report.clusterId);
    clusters.set(report.clusterId, {
      clusterId: report.clusterId,
      seq: report.seq,
      status: report.clusterStatus,
      facts: report.facts ?? previous?.facts,
      agentVersion: report.agentVersion,
      maintenance: report.maintenance ?? null,
    });
    if (report.kind === 'status') {
      bundleSets.set(report.clusterId, { clusterId: report.clusterId, bundles: report.bundles });
      if (report.removed !== undefined && report.removed.length > 0) {
        const removed = removals.get(report.clusterId) ?? new Set<string>();
        for (const name of report.removed) removed.add(name);
        removals.set(report.clusterId, removed);
      }
    }
  }
  return {
    clusters: [...clusters.values()],
    bundleSets: [...bundleSets.values()],
    removals: [...removals].map(([clusterId, names]) => ({ clusterId, applications: [...names].sort() })),
  };
}

/** A cluster's maintenance as stored (`since` read back as a Date). */
export interface StoredMaintenance {
  reason: string;
  since: Date;
}

/** Whether a fold's maintenance differs from the stored one (a new `since` is a new maintenance). */
export function maintenanceChanged(stored: StoredMaintenance | null, next: Maintenance | null): boolean {
  if (stored === null || next === null) return stored !== next;
  return stored.reason !== next.reason || stored.since.getTime() !== Date.parse(next.since);
}
