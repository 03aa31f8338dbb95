import { parseSeconds } from './gates/settings.js';
import { type ClusterStatus, type ReportedPhase, type RolloutState } from './vocabulary.js';

/**
 * Watch after success: for `watchSeconds` after a rollout Succeeded the hub keeps looking at its
 * clusters; one whose report about the rollout's bundle degrades in that window is recorded (and
 * notified), and with `rollbackOnWatchFailure` the rollout is rolled back. Pure: the watcher
 * (watch-after-success.ts) reads, this decides.
 */

export interface WatchSettings {
  /** Seconds to watch after success; 0: off. */
  watchSeconds: number;
  /** Roll the rollout back when a cluster degrades in the window. */
  rollbackOnWatchFailure: boolean;
}

/** Reads the plan's watch fields (absent: off), pushing `watchSeconds: …` style errors. */
export function parseWatchSettings(input: Record<string, unknown>, errors: string[]): WatchSettings {
  const watchSeconds = parseSeconds(input['watchSeconds'], 0, 0, 'watchSeconds', errors);
  const raw = input['rollbackOnWatchFailure'] ?? false;
  if (typeof raw !== 'boolean') errors.push('rollbackOnWatchFailure: must be a boolean');
  const rollbackOnWatchFailure = raw === true;
  if (rollbackOnWatchFailure && watchSeconds === 0) {
    errors.push('rollbackOnWatchFailure: needs watchSeconds (the window to watch in)');
  }
  return { watchSeconds, rollbackOnWatchFailure };
}

/** When the watch ends; null when the rollout is not (or no longer) watched. */
export function watchingUntil(
  rollout: { state: RolloutState; finishedAt: Date | null },
  watchSeconds: number | undefined,
): Date | null {
  if (rollout.state !== 'Succeeded' || rollout.finishedAt === null || !watchSeconds) return null;
  return new Date(rollout.finishedAt.getTime() + watchSeconds * 1000);
}

/** A member cluster as the watcher reads it: live, not the report frozen when the rollout finished. */
export interface WatchedCluster {
  clusterId: string;
  name: string;
  /** The bundle this rollout moved it to (null: it got none). */
  targetDigest: string | null;
  /** Its latest report about the application, whatever the bundle. */
  reported: { digest: string; phase: ReportedPhase; ready: number; total: number } | null;
  clusterStatus: ClusterStatus;
}

export interface Degradation {
  clusterId: string;
  cluster: string;
  reason: string;
  at: Date;
}

const DEGRADED_PHASES: ReadonlySet<ReportedPhase> = new Set(['Degraded', 'Failed', 'Stalled']);

/** Why a cluster counts as degraded now, or null. Only a report about the rollout's own bundle counts. */
export function degradationOf(cluster: WatchedCluster): string | null {
  const report = cluster.reported;
  if (cluster.targetDigest === null || report === null || report.digest !== cluster.targetDigest) return null;
  if (DEGRADED_PHASES.has(report.phase)) return `phase ${report.phase}`;
  if (report.total > 0 && report.ready < report.total) return `not ready (${report.ready}/${report.total})`;
  return null;
}

/**
 * The clusters that degraded in the window and were not recorded yet (each is recorded once).
 * Nothing outside the window: before success nothing is watched, after it ends nothing counts.
 */
export function newDegradations(
  until: Date | null,
  now: Date,
  clusters: readonly WatchedCluster[],
  recorded: readonly { clusterId: string }[],
): Degradation[] {
  if (until === null || now.getTime() >= until.getTime()) return [];
  const seen = new Set(recorded.map((d) => d.clusterId));
  return clusters.flatMap((c) => {
    if (seen.has(c.clusterId)) return [];
    const reason = degradationOf(c);
    return reason === null ? [] : [{ clusterId: c.clusterId, cluster: c.name, reason, at: now }];
  });
}
