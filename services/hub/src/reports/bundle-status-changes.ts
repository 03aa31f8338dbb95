import { type BundlePhase, type BundleStatus, type FailingResource } from '@fleetwave/contracts';
import { pairKey } from './drift-count.js';
import { type BundleSet } from './report-fold.js';

/** A (cluster, application) bundle status as stored in `cluster_bundle_status`. */
export interface StoredBundleStatus {
  clusterId: string;
  application: string;
  digest: string;
  commit: string;
  phase: BundlePhase;
  ready: number;
  total: number;
  failing: FailingResource[];
  driftCorrections: number;
  observedAt: Date;
}

export interface Placement {
  clusterId: string;
  application: string;
}

export interface BundleStatusChanges {
  /** Reported statuses that differ from the stored ones in any field (or are new): to be written. */
  writes: (BundleStatus & { clusterId: string })[];
  /** Stored statuses of applications a cluster no longer reports: to be deleted. */
  deletions: Placement[];
  /**
   * Pairs whose digest or phase moved (new and deleted ones included): the only reports a rollout
   * decision reads besides the cluster's own status, so only their rollouts need a pass.
   */
  moved: Placement[];
}

/**
 * A cluster's newest set as compared. With `storedApplications` (the applications of the cluster's
 * stored statuses, all known to this replica: `StatusMemo`), `stored` holds only the pairs sent with
 * new bytes, and the statuses flagged in `known` are the stored ones byte for byte: reported, not
 * compared.
 */
export interface ComparedSet extends BundleSet {
  known?: readonly boolean[];
  storedApplications?: readonly string[];
}

/**
 * What a batch's bundle sets (each cluster's complete set from its newest status report) change
 * against what is stored for those clusters (keyed by `pairKey`). An agent reports every bundle in
 * every status report, so most of a report of 100 bundles is usually what the hub already has:
 * that part is neither written nor signalled. The observation time counts as a change (it is what
 * the matrix shows as last applied and what the engine compares with a retry), so a status is left
 * alone only when it is the very same report of it.
 */
export function bundleStatusChanges(
  stored: ReadonlyMap<string, StoredBundleStatus>,
  sets: readonly ComparedSet[],
): BundleStatusChanges {
  const writes: BundleStatusChanges['writes'] = [];
  const deletions: Placement[] = [];
  const moved: Placement[] = [];
  const compare = (clusterId: string, bundle: BundleStatus, key: string): void => {
    const before = stored.get(key);
    if (before !== undefined && sameStatus(before, bundle)) return;
    writes.push({ clusterId, ...bundle });
    if (before === undefined || before.digest !== bundle.digest || before.phase !== bundle.phase) {
      moved.push({ clusterId, application: bundle.application });
    }
  };
  const reported = new Set<string>();
  const wholeClusters = new Set<string>();
  for (const set of sets) {
    if (set.storedApplications === undefined) {
      wholeClusters.add(set.clusterId);
      for (const bundle of set.bundles) {
        const key = pairKey(set.clusterId, bundle.application);
        // A report naming an application twice: the last entry wins, as the upsert would have it.
        reported.add(key);
        compare(set.clusterId, bundle, key);
      }
      continue;
    }
    const applications = new Set<string>();
    for (const [i, bundle] of set.bundles.entries()) {
      applications.add(bundle.application);
      if (set.known?.[i] !== true) compare(set.clusterId, bundle, pairKey(set.clusterId, bundle.application));
    }
    for (const application of set.storedApplications) {
      if (applications.has(application)) continue;
      deletions.push({ clusterId: set.clusterId, application });
      moved.push({ clusterId: set.clusterId, application });
    }
  }
  for (const [key, status] of stored) {
    if (!wholeClusters.has(status.clusterId) || reported.has(key)) continue;
    deletions.push({ clusterId: status.clusterId, application: status.application });
    moved.push({ clusterId: status.clusterId, application: status.application });
  }
  return { writes: lastWriteWins(writes), deletions, moved: unique(moved) };
}

function sameStatus(stored: StoredBundleStatus, reported: BundleStatus): boolean {
  return (
    stored.digest === reported.digest &&
    stored.commit === reported.commit &&
    stored.phase === reported.phase &&
    stored.ready === reported.ready &&
    stored.total === reported.total &&
    stored.driftCorrections === reported.driftCorrections &&
    stored.observedAt.getTime() === Date.parse(reported.observedAt) &&
    sameFailing(stored.failing, reported.failing)
  );
}

/** Failing resources compared field by field: jsonb does not keep the reported key order. */
function sameFailing(a: readonly FailingResource[], b: readonly FailingResource[]): boolean {
  return a.length === b.length && a.every((f, i) => canonical(f) === canonical(b[i]!));
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** One row per pair (an upsert may not touch a row twice), the last reported. */
function lastWriteWins<T extends Placement>(rows: T[]): T[] {
  const byKey = new Map<string, T>();
  for (const row of rows) byKey.set(pairKey(row.clusterId, row.application), row);
  return [...byKey.values()];
}

function unique(pairs: Placement[]): Placement[] {
  return [...new Map(pairs.map((p) => [pairKey(p.clusterId, p.application), p])).values()];
}
