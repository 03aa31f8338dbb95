import { type Decision } from './engine.js';
import { type FleetCluster } from './membership.js';
import { DEFAULT_WAVE_SETTINGS, type WavePlan } from './plan.js';
import { type JoinPolicy, OFFLINE_STATUSES } from './vocabulary.js';

/** Why a placed cluster that does not run the settled revision is not caught up now. */
export type CatchupWait =
  /** Join policy `wave` and a rollout of the application is running: the cluster waits for it. */
  | { kind: 'rolloutInProgress' }
  /** Offline or Unknown: assigning it would only run down the catch-up's deadline. */
  | { kind: 'offline' }
  /** A catch-up to this commit already assigned it: its outcome is shown there (no retry loop). */
  | { kind: 'triedBefore' };

/** One application's placement as the catch-up lane reads it. */
export interface CatchupState {
  /** The commit of the application's newest Succeeded rollout or rollback; null: nothing to catch up to. */
  settledCommit: string | null;
  joinPolicy: JoinPolicy;
  /** A rollout or rollback of the application has not finished. */
  rolloutInProgress: boolean;
  /** The placement ({@link placementsFor}), in order. */
  placed: readonly FleetCluster[];
  /** Per cluster: the commit of the application it is assigned now (none: never assigned). */
  assignedCommit: ReadonlyMap<string, string>;
  /** Members of any unfinished rollout of the application (catch-ups included): they move with it. */
  inActiveRollout: ReadonlySet<string>;
  /** Clusters a catch-up to `settledCommit` already assigned. */
  tried: ReadonlySet<string>;
}

export interface CatchupNeeds {
  /** Clusters to catch up now, in placement order. */
  catchUp: string[];
  waiting: { clusterId: string; reason: CatchupWait }[];
}

/**
 * Which placed clusters need the settled revision: those assigned another commit of the application
 * or none, unless a running rollout already counts them, or they wait (see {@link CatchupWait}).
 * Pure: the lane reads the state, this decides, so replicas deciding on the same state agree.
 */
export function catchupNeeds(state: CatchupState): CatchupNeeds {
  const needs: CatchupNeeds = { catchUp: [], waiting: [] };
  const settled = state.settledCommit;
  if (settled === null) return needs;
  for (const cluster of state.placed) {
    const id = cluster.id;
    if (state.assignedCommit.get(id) === settled || state.inActiveRollout.has(id)) continue;
    const reason: CatchupWait | null =
      state.rolloutInProgress && state.joinPolicy === 'wave'
        ? { kind: 'rolloutInProgress' }
        : OFFLINE_STATUSES.has(cluster.status)
          ? { kind: 'offline' }
          : state.tried.has(id)
            ? { kind: 'triedBefore' }
            : null;
    if (reason === null) needs.catchUp.push(id);
    else needs.waiting.push({ clusterId: id, reason });
  }
  return needs;
}

/**
 * The plan of a catch-up: one wave, every member at once (the lane bounds how many clusters are
 * caught up fleet-wide), no soak or approval, a failure budget of 100% so one cluster that cannot
 * take the revision does not hold the others, and never an automatic rollback: the revision is
 * already the fleet's, a joining cluster failing it says nothing against it. An offline member is
 * skipped (the lane tries it again when it is back). The deadline is the application's own.
 */
export function catchupPlan(progressDeadlineSeconds: number): WavePlan {
  return {
    waves: [],
    rest: {
      ...DEFAULT_WAVE_SETTINGS,
      maxConcurrency: '100%',
      soakSeconds: 0,
      requireApproval: false,
      failureBudget: '100%',
      offlinePolicy: 'skip',
      progressDeadlineSeconds,
    },
    autoRollback: false,
  };
}

/**
 * A catch-up's decision with its verdict: once every member settled, it ends Failed if any member
 * failed or had no bundle (Succeeded would claim they all run the settled revision), with a message
 * naming how many. Never a rollback: its plan asks for none.
 */
export function catchupVerdict(decision: Decision): { decision: Decision; message: string | null } {
  if (decision.nextState !== 'Succeeded') return { decision, message: null };
  const failed =
    decision.waves.reduce((n, wave) => n + wave.failed, 0) +
    decision.clusters.filter((cluster) => cluster.blocking?.kind === 'noBundle').length;
  if (failed === 0) return { decision, message: null };
  return {
    decision: { ...decision, nextState: 'Failed' },
    message: `${failed} cluster(s) did not take the settled revision; see each cluster's phase`,
  };
}
