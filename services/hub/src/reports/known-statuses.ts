import { type BundleStatus, type Report } from '@fleetwave/contracts';
import { type Placement } from './bundle-status-changes.js';
import { type Accepted } from './report-judge.js';
import { type MemoSet } from './status-memo.js';

/** An accepted report as ingestion folds it (the verdict without its message). */
export type AcceptedReport = Pick<Accepted, 'report' | 'bundleHashes' | 'knownBundles'>;

/**
 * How a batch uses the stored sets this replica knows (`known`: by cluster, those current at the
 * row lock). For those clusters a status sent again byte for byte is the stored status: it needs
 * neither reading back nor comparing, and adds no drift — unless an earlier report of the batch
 * moved its pair, when drift counting needs it again. Other clusters take the ordinary path
 * (every stored status read and compared).
 */
export interface KnownStatusPlan {
  /**
   * Clusters whose stored statuses are all read: those not known, and known ones with more than
   * {@link PAIRS_READ_MAX} pairs sent with new bytes (one index range is cheaper than many pairs).
   */
  wholeClusters: string[];
  /** Of the other known clusters, the pairs reported with new bytes: only those are read. */
  pairs: Placement[];
  /** The accepted reports with the statuses drift counting can leave out left out. */
  driftReports: Report[];
  /** Statuses recognised by their bytes (the metric's count). */
  recognised: number;
}

/** A known cluster with more pairs than this sent with new bytes has all its statuses read. */
export const PAIRS_READ_MAX = 16;

export function planKnownStatuses(
  accepted: readonly AcceptedReport[],
  known: ReadonlyMap<string, MemoSet>,
): KnownStatusPlan {
  const whole = new Set<string>();
  const pairs = new Map<string, Set<string>>();
  const driftReports: Report[] = [];
  let recognised = 0;
  for (const { report, knownBundles } of accepted) {
    if (report.kind !== 'status') {
      driftReports.push(report);
      continue;
    }
    if (!known.has(report.clusterId)) {
      whole.add(report.clusterId);
      driftReports.push(report);
      continue;
    }
    const moved = pairs.get(report.clusterId) ?? new Set<string>();
    pairs.set(report.clusterId, moved);
    const bundles = report.bundles.filter((bundle, i) => {
      if (knownBundles?.[i] === true) {
        recognised++;
        return moved.has(bundle.application);
      }
      moved.add(bundle.application);
      return true;
    });
    driftReports.push(bundles.length === report.bundles.length ? report : { ...report, bundles });
  }
  for (const [clusterId, apps] of pairs) {
    if (apps.size <= PAIRS_READ_MAX) continue;
    whole.add(clusterId);
    pairs.delete(clusterId);
  }
  return {
    wholeClusters: [...whole],
    pairs: [...pairs].flatMap(([clusterId, apps]) =>
      [...apps].map((application) => ({ clusterId, application })),
    ),
    driftReports,
    recognised,
  };
}

/**
 * What this replica knows of a cluster's stored set once the batch commits: the newest status
 * report's statuses by fingerprint; `undefined` when they cannot be known that way (a v1 report,
 * bytes not laid out as expected, an application named twice).
 */
export function knownSetAfter(newest: AcceptedReport): Map<string, BundleStatus> | undefined {
  const { report, bundleHashes } = newest;
  if (report.kind !== 'status' || bundleHashes?.length !== report.bundles.length) return undefined;
  const set = new Map<string, BundleStatus>();
  const applications = new Set<string>();
  for (const [i, bundle] of report.bundles.entries()) {
    if (applications.has(bundle.application)) return undefined;
    applications.add(bundle.application);
    set.set(bundleHashes[i]!, bundle);
  }
  return set;
}
