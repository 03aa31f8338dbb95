import { PER_CLUSTER_KINDS } from './checks.js';

/** A recorded check attempt, as the wave's state is derived from it. */
export interface RunRecord {
  wave: string;
  checkName: string;
  /** The check's kind: whether its target is a cluster or the wave (see PER_CLUSTER_KINDS). */
  kind: string;
  /** Cluster name, `wave` or `updated-vs-baseline`. */
  target: string;
  attempt: number;
  /** The last attempt for its target: its result is the check's for that target. */
  final: boolean;
  /** null: still running. */
  result: 'passed' | 'failed' | 'error' | null;
  message: string;
  finishedAt: Date | null;
}

/** A check that failed for good: its name, the cluster (or `wave`…) it failed for, and why. */
export interface FailedCheck {
  check: string;
  target: string;
  message: string;
}

/** What the verification gates read of one wave: its checks' outcome so far. */
export interface WaveVerification {
  /**
   * `failed`: a wave-level check failed for good (the whole wave failed); `passed`: every check
   * settled otherwise (per-cluster failures are left to the failure budget).
   */
  status: 'running' | 'passed' | 'failed';
  /** Checks not settled yet (running, or waiting for a retry). */
  running: string[];
  /** The first wave-level check that failed for good. */
  failed: FailedCheck | null;
  /**
   * The wave clusters a per-cluster check failed for good on, one entry per cluster (its first
   * failed check, by check name): each counts as a failed cluster in the wave's failure budget.
   */
  failedClusters: FailedCheck[];
  /** When the last check settled, once all have (soak counts from it). */
  passedAt: Date | null;
}

/**
 * Every wave's verification state from its recorded runs (a wave without runs is absent). A target
 * is settled by its latest attempt when that passed or was final; a wave fails on its first
 * wave-level target that failed for good, collects the clusters per-cluster checks failed for good
 * on, and passes once every target settled otherwise. Pure.
 */
export function waveVerifications(runs: readonly RunRecord[]): Record<string, WaveVerification> {
  const latest = new Map<string, RunRecord>();
  for (const run of runs) {
    const key = JSON.stringify([run.wave, run.checkName, run.target]);
    const seen = latest.get(key);
    if (seen === undefined || run.attempt > seen.attempt) latest.set(key, run);
  }
  const out: Record<string, WaveVerification> = {};
  for (const run of [...latest.values()].sort(byStart)) {
    const state = (out[run.wave] ??= {
      status: 'passed',
      running: [],
      failed: null,
      failedClusters: [],
      passedAt: null,
    });
    const settled = run.result === 'passed' || (run.result !== null && run.final);
    if (!settled) {
      if (!state.running.includes(run.checkName)) state.running.push(run.checkName);
      continue;
    }
    if (run.finishedAt !== null && (state.passedAt === null || run.finishedAt > state.passedAt)) {
      state.passedAt = run.finishedAt;
    }
    if (run.result === 'passed') continue;
    const failed = { check: run.checkName, target: run.target, message: run.message };
    if (!PER_CLUSTER_KINDS.has(run.kind)) state.failed ??= failed;
    else if (!state.failedClusters.some((f) => f.target === run.target)) state.failedClusters.push(failed);
  }
  for (const state of Object.values(out)) {
    state.status = state.failed !== null ? 'failed' : state.running.length > 0 ? 'running' : 'passed';
    if (state.status !== 'passed') state.passedAt = null;
    state.failedClusters.sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));
  }
  return out;
}

function byStart(a: RunRecord, b: RunRecord): number {
  return a.checkName < b.checkName ? -1 : a.checkName > b.checkName ? 1 : a.target < b.target ? -1 : 1;
}
