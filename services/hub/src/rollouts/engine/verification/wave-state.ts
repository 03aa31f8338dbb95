/** A recorded check attempt, as the wave's state is derived from it. */
export interface RunRecord {
  wave: string;
  checkName: string;
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

/** What the verification gates read of one wave: its checks' outcome so far. */
export interface WaveVerification {
  status: 'running' | 'passed' | 'failed';
  /** Checks not settled yet (running, or waiting for a retry). */
  running: string[];
  /** The first check that failed for good: its name, target and message. */
  failed: { check: string; target: string; message: string } | null;
  /** When the last check passed (soak counts from it). */
  passedAt: Date | null;
}

/**
 * Every wave's verification state from its recorded runs (a wave without runs is absent). A target
 * is settled by its latest attempt when that passed or was final; a wave fails on its first target
 * that failed for good, and passes when every target passed. Pure.
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
    const state = (out[run.wave] ??= { status: 'passed', running: [], failed: null, passedAt: null });
    if (run.result === 'passed') {
      if (run.finishedAt !== null && (state.passedAt === null || run.finishedAt > state.passedAt)) {
        state.passedAt = run.finishedAt;
      }
    } else if (run.result !== null && run.final) {
      state.failed ??= { check: run.checkName, target: run.target, message: run.message };
    } else if (!state.running.includes(run.checkName)) {
      state.running.push(run.checkName);
    }
  }
  for (const state of Object.values(out)) {
    state.status = state.failed !== null ? 'failed' : state.running.length > 0 ? 'running' : 'passed';
    if (state.status !== 'passed') state.passedAt = null;
  }
  return out;
}

function byStart(a: RunRecord, b: RunRecord): number {
  return a.checkName < b.checkName ? -1 : a.checkName > b.checkName ? 1 : a.target < b.target ? -1 : 1;
}
