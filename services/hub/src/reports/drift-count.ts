import { type Report } from '@fleetwave/contracts';

/** What the hub last stored of a pair's reported bundle: the agent's count restarts with each bundle. */
export interface ReportedDrift {
  digest: string;
  driftCorrections: number;
}

/** Drift corrections the hub newly saw for one (cluster, application) pair in a batch. */
export interface DriftIncrease {
  clusterId: string;
  application: string;
  corrections: number;
}

/** Pairs are keyed `<clusterId>/<application>` (a cluster id is a uuid, never holding a slash). */
export function pairKey(clusterId: string, application: string): string {
  return `${clusterId}/${application}`;
}

/**
 * The drift corrections a batch's accepted reports (in sequence order per cluster) add to each pair,
 * from the stored count before the batch. An agent counts corrections per bundle and per process, so
 * its count is a counter that may restart: the same digest with a count that did not drop adds the
 * difference; a new digest or a lower count (a restarted agent) means a fresh counter, which adds
 * all it says. Pairs that added nothing are left out.
 */
export function driftIncreases(
  stored: ReadonlyMap<string, ReportedDrift>,
  reports: readonly Report[],
): DriftIncrease[] {
  // What earlier reports of this batch said, over what is stored (no copy of the stored map: a
  // batch of status reports of 100 bundles holds thousands of pairs).
  const last = new Map<string, ReportedDrift>();
  const added = new Map<string, DriftIncrease>();
  for (const report of reports) {
    if (report.kind !== 'status') continue;
    for (const bundle of report.bundles) {
      const key = pairKey(report.clusterId, bundle.application);
      const before = last.get(key) ?? stored.get(key);
      const fresh =
        before === undefined ||
        before.digest !== bundle.digest ||
        bundle.driftCorrections < before.driftCorrections;
      const corrections = fresh ? bundle.driftCorrections : bundle.driftCorrections - before.driftCorrections;
      last.set(key, { digest: bundle.digest, driftCorrections: bundle.driftCorrections });
      if (corrections === 0) continue;
      const sum = added.get(key);
      if (sum) sum.corrections += corrections;
      else added.set(key, { clusterId: report.clusterId, application: bundle.application, corrections });
    }
  }
  return [...added.values()];
}

/** A pair's event rate limit as stored: when its last event went out, and what no event carried yet. */
export interface DriftAnnouncements {
  lastEventAt: Date | null;
  unannounced: number;
}

/** At most one `placement.driftCorrected` event per pair in this long. */
export const DRIFT_EVENT_INTERVAL_MS = 10 * 60 * 1000;

/**
 * Whether new corrections of a pair are announced now: yes when none was in the last
 * {@link DRIFT_EVENT_INTERVAL_MS}, and the event carries every correction since the previous event;
 * otherwise they are kept for the next event (announced with the next correction after the interval:
 * a pair that stops drifting never gets an event for a quiet period).
 */
export function announceDrift(
  state: DriftAnnouncements,
  corrections: number,
  now: Date,
  intervalMs: number = DRIFT_EVENT_INTERVAL_MS,
): { announce: number | null; next: DriftAnnouncements } {
  const pending = state.unannounced + corrections;
  const due = state.lastEventAt === null || now.getTime() - state.lastEventAt.getTime() >= intervalMs;
  if (corrections > 0 && due) return { announce: pending, next: { lastEventAt: now, unannounced: 0 } };
  return { announce: null, next: { lastEventAt: state.lastEventAt, unannounced: pending } };
}
